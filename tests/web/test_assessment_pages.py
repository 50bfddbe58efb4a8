"""The monthly assessment's table on the dashboard, its spreadsheet and the drill-down page."""

import datetime

import time_machine

from tests.conftest import at, order_data
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions

from .conftest import client_for, text_of
from .test_translations import untranslated_words

NOW = at("2026-12-15 10:00:00")


def get_page(user, path: str):
    with time_machine.travel(NOW, tick=False):
        return client_for(user).get(path)


def create_december_orders(dispatcher, count: int, department: str = "supply_1") -> list:
    orders = []
    for index in range(count):
        order, _ = actions.create_order(
            dispatcher,
            order_data(department=department, phone=f"138{index:08d}", address=f"建设路{index}号"),
            now=at("2026-12-15 09:30:00") + datetime.timedelta(minutes=index),
        )
        orders.append(order)
    return orders


def test_table_shows_month_figures(dispatcher, center_head):
    create_december_orders(dispatcher, 2)
    create_december_orders(dispatcher, 1, department="supply_2")
    response = get_page(center_head, "/dashboard/")
    html = response.content.decode()
    table = text_of(html, "assessment-table")

    assert response.status_code == 200
    assert 'value="2026-12"' in html
    assert "受理工单数" in table
    assert "供水一部" in table
    assert "供水二部" in table
    assert "合计" in table
    assert "0.00%" in table
    assert "/reports/orders/?month=2026-12&amp;figure=received&amp;department=supply_1" in html
    assert '/reports/orders/?month=2026-12&amp;figure=received"' in html
    assert "/api/v1/reports/monthly.xlsx?month=2026-12" in html


def test_table_of_chosen_month(dispatcher, center_head):
    create_december_orders(dispatcher, 1)
    html = get_page(center_head, "/dashboard/?month=2026-11").content.decode()
    assert 'value="2026-11"' in html
    assert 'id="assessment-table"' not in html
    assert "figure=received" not in html


def test_invalid_month_shows_error(center_head):
    for value in ("2026-13", "december", "0000-01", "9999-12"):
        response = get_page(center_head, f"/dashboard/?month={value}")
        html = response.content.decode()
        assert response.status_code == 400, value
        assert "YYYY-MM" in text_of(html, "assessment-month-error")
        assert f'value="{value}"' in html


def test_department_head_table_own_department(dispatcher, department_head):
    create_december_orders(dispatcher, 1)
    create_december_orders(dispatcher, 1, department="supply_2")
    html = get_page(department_head, "/dashboard/").content.decode()
    table = text_of(html, "assessment-table")
    assert "供水一部" in table
    assert "供水二部" not in table
    assert "合计" not in table


def test_table_section_is_translated(dispatcher, center_head):
    create_december_orders(dispatcher, 1)
    html = get_page(center_head, "/dashboard/").content.decode()
    section = html.split('id="assessment-table-section"')[1].split('id="assessment-trend')[0]
    assert untranslated_words(section) == set()


def test_export_link_serves_workbook(center_head):
    response = get_page(center_head, "/api/v1/reports/monthly.xlsx?month=2026-12")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_drill_down_lists_orders(dispatcher, center_head):
    orders = create_december_orders(dispatcher, 2)
    create_december_orders(dispatcher, 1, department="supply_2")
    response = get_page(
        center_head, "/reports/orders/?month=2026-12&figure=received&department=supply_1"
    )
    html = response.content.decode()
    listing = text_of(html, "report-orders-list")

    assert response.status_code == 200
    for order in orders:
        assert f'href="/orders/{order.number}/"' in html
    assert listing.count("供水一部") == 2
    # Created at 09:30 in Asia/Shanghai, which is stored as 01:30 UTC.
    assert "2026-12-15 09:30" in listing
    assert "2026-12-15 01:30" not in listing
    assert "建设路0号" in listing
    assert "供水二部" not in listing
    assert untranslated_words(html) == set()


def test_drill_down_pages_by_fifty(dispatcher, center_head):
    create_december_orders(dispatcher, 51)
    first = get_page(center_head, "/reports/orders/?month=2026-12&figure=received")
    second = get_page(center_head, "/reports/orders/?month=2026-12&figure=received&page=2")
    first_html = first.content.decode()

    assert first_html.count('<td data-label="工单编号">') == 50
    assert "page=2" in first_html
    assert second.content.decode().count('<td data-label="工单编号">') == 1


def test_drill_down_of_breach_counts_only_figure(dispatcher, center_head):
    order, _ = actions.create_order(dispatcher, order_data(), now=at("2026-12-15 01:00:00"))
    sweep(at("2026-12-15 02:00:00"))
    html = get_page(center_head, "/reports/orders/?month=2026-12&figure=closed").content.decode()
    assert order.number not in html


def test_drill_down_rejects_bad_input(center_head):
    cases = [
        ("month=2026-13&figure=received", "YYYY-MM"),
        ("figure=received", "YYYY-MM"),
        ("month=2026-12&figure=nonsense", "nonsense"),
    ]
    for query, expected in cases:
        response = get_page(center_head, f"/reports/orders/?{query}")
        assert response.status_code == 400, query
        assert expected in text_of(response.content.decode(), "report-orders-error")


def test_handler_cannot_open_drill_down(handler):
    response = get_page(handler, "/reports/orders/?month=2026-12&figure=received")
    assert response.status_code == 403


def test_department_head_drill_down_own_orders(dispatcher, department_head):
    create_december_orders(dispatcher, 1)
    elsewhere = create_december_orders(dispatcher, 1, department="supply_2")[0]
    html = get_page(department_head, "/reports/orders/?month=2026-12&figure=received")
    assert elsewhere.number not in html.content.decode()
