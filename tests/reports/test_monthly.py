"""A hand-computed month: the figures, their drill-down lists, finalising and the export."""

import io

import openpyxl
import pytest

from tests.conftest import ApiClient, at
from tests.reports.conftest import callback
from waterdesk.orders import actions
from waterdesk.orders.errors import InvalidTransition
from waterdesk.reports.figures import FIGURES, compute_month, figure_orders
from waterdesk.reports.service import finalize_month, monthly_report

EXPECTED_SUPPLY_1 = {
    "received": 6,
    "dispatched_on_time": 6,
    "accepted_on_time": 5,
    "contacted_on_time": 1,
    "replied_on_time": 2,
    "closed": 2,
    "closed_on_time": 1,
    "callbacks_due": 3,
    "callbacks_made": 3,
    "callbacks_reached": 3,
    "satisfied": 2,
    "rejected_replies": 0,
    "buck_passing": 1,
    "returns": 1,
    "late_returns": 1,
    "extensions": 1,
    "redo_orders": 1,
    "untrue_replies": 1,
    "excluded": 1,
    "closure_rate": 0.3333,
    "on_time_closure_rate": 0.1667,
    "callback_rate": 1.0,
    "satisfaction_rate": 0.6667,
}
EXPECTED_SUPPLY_2 = {
    "received": 1,
    "accepted_on_time": 1,
    "replied_on_time": 1,
    "closed": 1,
    "closed_on_time": 1,
    "rejected_replies": 1,
    "satisfied": 1,
    "satisfaction_rate": 1.0,
}


def rows_by_department(month="2026-11"):
    report = compute_month(month, "Asia/Shanghai")
    return {row["department"]: row for row in report["departments"]}, report["total"]


def test_department_figures_match_the_hand_count(november):
    rows, _total = rows_by_department()
    for name, value in EXPECTED_SUPPLY_1.items():
        assert rows["supply_1"][name] == value, name
    for name, value in EXPECTED_SUPPLY_2.items():
        assert rows["supply_2"][name] == value, name


def test_total_is_the_sum_of_departments(november):
    _rows, total = rows_by_department()
    assert total["received"] == 7
    assert total["rejected_replies"] == 1
    assert total["closure_rate"] == round(3 / 7, 4)


def test_every_count_equals_its_drill_down_list(november):
    rows, total = rows_by_department()
    for figure in [*(figure.name for figure in FIGURES), "excluded"]:
        for department, row in rows.items():
            listed = figure_orders("2026-11", "Asia/Shanghai", figure, department).count()
            assert listed == row[figure], (figure, department)
        assert figure_orders("2026-11", "Asia/Shanghai", figure).count() == total[figure], figure


def test_merged_duplicate_and_other_month_are_not_received(november):
    received = set(
        figure_orders("2026-11", "Asia/Shanghai", "received").values_list("number", flat=True)
    )
    assert november["G"].number not in received
    assert november["J"].number not in received
    assert november["H"].number not in received


def test_finalised_month_stays_unchanged_when_later_events_arrive(november, people):
    finalize_month(people["center_head"], "2026-11", at("2026-12-01 09:00:00"))
    frozen = monthly_report("2026-11")
    callback(people, november["D"], "unsatisfied", at("2026-12-02 10:00:00"), truthful=True)
    actions.close_order(
        people["dispatcher"], november["D"], {"reason": "协调后结案"}, now=at("2026-12-02 11:00:00")
    )
    again = monthly_report("2026-11", compare=True)
    assert again["departments"] == frozen["departments"]
    assert again["finalized"] is True
    assert {"department": "supply_1", "figure": "closed", "finalized": 2, "now": 3} in again[
        "differences"
    ]


def test_month_is_finalised_once(november, people):
    finalize_month(people["center_head"], "2026-11", at("2026-12-01 09:00:00"))
    with pytest.raises(InvalidTransition):
        finalize_month(people["center_head"], "2026-11", at("2026-12-01 10:00:00"))


def test_api_report_drill_down_and_export(november, people):
    client = ApiClient(people["center_head"])
    body = client.get("/api/v1/reports/monthly", {"month": "2026-11"}).json()
    assert body["finalized"] is False
    supply_1 = next(row for row in body["departments"] if row["department"] == "supply_1")
    assert supply_1["buck_passing"] == 1
    listed = client.get(
        "/api/v1/reports/monthly/orders",
        {"month": "2026-11", "figure": "buck_passing", "department": "supply_1"},
    ).json()
    assert listed["count"] == 1
    assert [item["number"] for item in listed["results"]] == [november["D"].number]
    response = client.get("/api/v1/reports/monthly.xlsx", {"month": "2026-11"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["各部门", "扣分工单", "回访"]


def test_bad_month_and_figure_are_invalid_input(people):
    client = ApiClient(people["center_head"])
    assert client.get("/api/v1/reports/monthly", {"month": "2026-13"}).status_code == 400
    response = client.get("/api/v1/reports/monthly/orders", {"month": "2026-11", "figure": "luck"})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "figure"


def test_handler_cannot_read_the_assessment(people):
    assert (
        ApiClient(people["h1"]).get("/api/v1/reports/monthly", {"month": "2026-11"}).status_code
        == 403
    )


def test_export_shows_local_times_and_chinese_headers(november, people):
    body = ApiClient(people["center_head"]).get(
        "/api/v1/reports/monthly.xlsx", {"month": "2026-11"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(body.content))
    headers = [cell.value for cell in workbook["各部门"][2]]
    callback_times = [row[2].value for row in workbook["回访"].iter_rows(min_row=2)]
    # Order A's callback was made at 14:00 Beijing time (06:00 UTC) on 2 November.
    assert "excluded" not in headers
    assert "不计入考核" in headers
    assert "2026-11-02 14:00" in callback_times


def test_department_head_export_lists_own_orders(november, people):
    body = ApiClient(people["head1"]).get("/api/v1/reports/monthly.xlsx", {"month": "2026-11"})
    workbook = openpyxl.load_workbook(io.BytesIO(body.content))
    listed = {row[2].value for row in workbook["扣分工单"].iter_rows(min_row=2)}
    assert november["D"].number in listed
    assert november["C"].number not in listed


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1999-12"])
def test_month_outside_supported_years_is_invalid(people, month):
    response = ApiClient(people["center_head"]).get("/api/v1/reports/monthly", {"month": month})
    assert response.status_code == 400


def test_unknown_department_is_invalid_input(people):
    client = ApiClient(people["center_head"])
    query = {"month": "2026-11", "department": "nope"}
    response = client.get("/api/v1/reports/monthly", query)
    listed = client.get("/api/v1/reports/monthly/orders", {**query, "figure": "received"})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "department"
    assert listed.status_code == 400
