"""The dashboard's monthly assessment charts: their data on the page, access, and drawing."""

import json
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import at, order_data
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions

from .conftest import client_for, create_dispatched_order, local_today_at, save_screenshot
from .test_translations import untranslated_words

NOW = at("2026-12-15 10:00:00")
CLOCK_LABELS = ["派发", "接单", "联系用户", "转办", "退单", "处理时限", "回访"]


class _ScriptData(HTMLParser):
    """Collect the text of every <script> element that has an id."""

    def __init__(self):
        super().__init__()
        self.current = None
        self.scripts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and values.get("id"):
            self.current = values["id"]
            self.scripts[self.current] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.scripts[self.current] += data


def chart_data(html: str, element_id: str) -> dict:
    parser = _ScriptData()
    parser.feed(html)
    assert element_id in parser.scripts, f"no json_script {element_id!r} on the page"
    return json.loads(parser.scripts[element_id])


@pytest.fixture
def breached_order(dispatcher):
    """A December order of supply_1, never accepted, so the 09:30 sweep breaches acceptance."""
    order, _ = actions.create_order(dispatcher, order_data(), now=at("2026-12-15 09:00:00"))
    sweep(at("2026-12-15 09:30:00"))
    return order


def get_dashboard(user, query: str = "") -> str:
    with time_machine.travel(NOW, tick=False):
        response = client_for(user).get(f"/dashboard/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_center_head_sees_both_charts(center_head, breached_order):
    html = get_dashboard(center_head)

    assert 'id="assessment-trend-chart"' in html
    assert 'id="assessment-breaches-chart"' in html
    assert "web/charts.js" in html
    trend = chart_data(html, "assessment-trend-data")
    assert trend["months"] == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
    assert trend["received"] == [0, 0, 0, 0, 0, 1]
    assert [series["name"] for series in trend["series"]] == ["处结及时率", "处结率", "满意度"]
    assert [series["figure"] for series in trend["series"]] == [
        "closed_on_time",
        "closed",
        "satisfied",
    ]
    # Months without orders are null (a gap), not zero. December's only order is open.
    assert trend["series"][0]["data"] == [None, None, None, None, None, 0.0]
    assert trend["series"][1]["data"] == [None, None, None, None, None, 0.0]
    assert trend["series"][2]["data"] == [None] * 6
    assert trend["department"] == ""
    assert trend["drill_down_url"] == "/reports/orders/"

    breaches = chart_data(html, "assessment-breaches-data")
    assert breaches["month"] == "2026-12"
    assert breaches["clocks"] == CLOCK_LABELS
    assert breaches["counts"] == [0, 1, 0, 0, 0, 0, 0]


def test_department_choice_narrows_both_charts(center_head, breached_order):
    html = get_dashboard(center_head, "?department=supply_2")

    assert '<option value="supply_2" selected>' in html
    trend = chart_data(html, "assessment-trend-data")
    assert trend["department"] == "supply_2"
    assert trend["received"] == [0] * 6
    assert trend["series"][1]["data"] == [None] * 6
    assert chart_data(html, "assessment-breaches-data")["counts"] == [0] * 7


def test_unknown_department_shows_whole_utility(center_head, breached_order):
    html = get_dashboard(center_head, "?department=nowhere")
    assert chart_data(html, "assessment-trend-data")["department"] == ""
    assert chart_data(html, "assessment-breaches-data")["counts"][1] == 1


def test_finalised_month_is_marked(center_head, breached_order):
    from waterdesk.reports.service import finalize_month

    finalize_month(center_head, "2026-11", at("2026-12-01 09:00:00"))
    trend = chart_data(get_dashboard(center_head), "assessment-trend-data")
    assert trend["titles"][4] == "2026-11（已定稿）"
    assert trend["titles"][5] == "2026-12"


def test_department_head_sees_own_department_only(dispatcher, department_head):
    create_dispatched_order(dispatcher, department="supply_2")
    html = get_dashboard(department_head, "?department=supply_2")

    assert 'id="assessment-department"' not in html
    assert "责任单位：供水一部" in html
    assert chart_data(html, "assessment-trend-data")["department"] == "supply_1"


def test_handler_sees_no_assessment_charts(handler):
    html = get_dashboard(handler)
    assert 'id="assessment-trend-chart"' not in html
    assert 'id="assessment-trend-data"' not in html
    assert "web/charts.js" not in html


def test_charts_section_is_translated(center_head, breached_order):
    html = get_dashboard(center_head)
    section = html.split('id="assessment-charts"')[1].split('id="dashboard-live"')[0]
    assert "月度考核" in section
    assert "2026-12 创建工单的各环节超时次数" in section
    assert untranslated_words(section) == set()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_charts_draw_in_browser(browser_login, dispatcher, center_head):
    # At 10:00 today the order and the page fall in the same month. The clock keeps running.
    with time_machine.travel(local_today_at(10, 0), tick=True):
        # Created at 09:50 and not accepted: the acceptance clock (5 minutes) breaches.
        actions.create_order(dispatcher, order_data(), now=local_today_at(9, 50))
        sweep(timezone.now())
        month = timezone.localdate().strftime("%Y-%m")
        page = browser_login(center_head)
        page.goto(re.sub(r"/center/$", "/dashboard/", page.url))

        page.wait_for_selector("#assessment-trend-chart canvas")
        page.wait_for_selector("#assessment-breaches-chart canvas")
        save_screenshot(page, "dashboard-assessment")
        page.locator("#assessment-table").scroll_into_view_if_needed()
        page.locator("#assessment-table-section").screenshot(
            path=str(save_screenshot(page, "dashboard-assessment-table"))
        )
        received = page.locator('#assessment-table tr[data-figure="received"] a').first
        with page.expect_navigation():
            received.click()
        assert page.locator("#report-orders-list tbody tr").count() == 1
        save_screenshot(page, "assessment-drill-down")
        page.go_back()
        page.wait_for_selector("#assessment-trend-chart canvas")

        # This month's point: the open order makes both closure rates 0%, so the two points
        # overlap and the click reaches whichever series is drawn on top.
        point = page.evaluate(
            """() => {
              const container = document.getElementById("assessment-trend-chart");
              container.scrollIntoView();
              const chart = echarts.getInstanceByDom(container);
              const box = container.getBoundingClientRect();
              const [x, y] = chart.convertToPixel({ seriesIndex: 1 }, [5, 0]);
              return [box.left + x, box.top + y];
            }"""
        )
        with page.expect_popup() as popup_info:
            page.mouse.click(*point)
        drill_down = popup_info.value
        drill_down.wait_for_load_state()
        assert "/reports/orders/?" in drill_down.url
        assert f"month={month}" in drill_down.url
        assert drill_down.locator("h1").inner_text() in ("已办结", "按时处结数")
        assert "共 0 件工单" in drill_down.inner_text("body")

        # Choosing a department replaces the charts through htmx, and the new ones draw too.
        page.select_option("#assessment-department", "supply_2")
        page.wait_for_url(re.compile(r".*/dashboard/\?month=\d{4}-\d{2}&department=supply_2$"))
        page.wait_for_function(
            "JSON.parse(document.getElementById('assessment-trend-data').textContent)"
            ".department === 'supply_2'"
        )
        page.wait_for_selector("#assessment-trend-chart canvas")
        page.wait_for_selector("#assessment-breaches-chart canvas")
        assert page.locator("#assessment-charts").count() == 1
