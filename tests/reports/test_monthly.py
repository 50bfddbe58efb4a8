"""A hand-computed month: the figures, their drill-down lists, finalising and the export."""

import datetime
import io

import openpyxl
import pytest

from tests.conftest import GOOD_REPLY, ApiClient, at, make_user, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.organization.models import Role
from waterdesk.reports.figures import FIGURES, compute_month, figure_orders
from waterdesk.reports.service import finalize_month, monthly_report

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
EXEMPT_REPLY = (
    "【用户诉求不符合《确山县城市供水管理办法》的要求，建议不计入考核】工作人员于11月2日10点电话联系用户并到现场查看，"
    "用户要求免除户表后管道维修费用，根据《确山县城市供水管理办法》第二十条，户表后管道由用户负责维修。"
    "已向用户解释相关规定并联系维修单位上门，目前漏点已修复。用户表示理解认可。"
)


@pytest.fixture
def people(preset):
    return {
        "dispatcher": make_user("dispatcher", [Role.DISPATCHER]),
        "center_head": make_user("center_head", [Role.CENTER_HEAD]),
        "agent": make_user("agent", [Role.CALLBACK_AGENT]),
        "h1": make_user("h1", [Role.HANDLER], "supply_1"),
        "head1": make_user("head1", [Role.DEPARTMENT_HEAD], "supply_1"),
        "h2": make_user("h2", [Role.HANDLER], "supply_2"),
    }


def create(people, when, **overrides):
    order, _ = actions.create_order(
        people["dispatcher"], order_data(time_limit_hours=24, **overrides), now=when
    )
    return order


def reply_and_approve(people, order, handler, when):
    actions.submit_reply(people[handler], order, GOOD_REPLY, now=when)
    return actions.review_reply(people["dispatcher"], order, {"decision": "approve"}, now=when)


def callback(people, order, outcome, when, truthful=True):
    body = {"kind": "result", "outcome": outcome, "reply_truthful": truthful}
    return record_callback(people["agent"], order, body, now=when)


@pytest.fixture
def november(people):
    """Ten orders of November 2026 (and one of December) with hand-known outcomes."""
    day = at("2026-11-02 09:00:00")
    orders = {}

    # A: everything on time, closed satisfied.
    orders["A"] = a = create(people, day)
    actions.accept_order(people["h1"], a, now=day + MINUTE)
    actions.record_contact_attempt(
        people["h1"],
        a,
        {"at": (day + 5 * MINUTE).isoformat(), "outcome": "reached"},
        now=day + 5 * MINUTE,
    )
    reply_and_approve(people, a, "h1", day + 2 * HOUR)
    callback(people, a, "satisfied", day + 5 * HOUR)

    # B: accepted 10 minutes late, contacted late, replied after 30 hours, closed satisfied.
    orders["B"] = b = create(people, day)
    actions.accept_order(people["h1"], b, now=day + 10 * MINUTE)
    actions.record_contact_attempt(
        people["h1"], b, {"at": (day + HOUR).isoformat(), "outcome": "reached"}, now=day + HOUR
    )
    reply_and_approve(people, b, "h1", day + 30 * HOUR)
    callback(people, b, "satisfied", day + 31 * HOUR)

    # C (supply_2): reply rejected, dispatched again with the time left, replied,
    # basically satisfied.
    orders["C"] = c = create(people, day, department="supply_2", phone="13900002222")
    actions.accept_order(people["h2"], c, now=day + MINUTE)
    actions.submit_reply(people["h2"], c, GOOD_REPLY, now=day + HOUR)
    actions.review_reply(
        people["dispatcher"], c, {"decision": "reject", "comment": "未写明原因"}, now=day + 2 * HOUR
    )
    actions.accept_order(people["h2"], c, now=day + 2 * HOUR + MINUTE)
    reply_and_approve(people, c, "h2", day + 3 * HOUR)
    callback(people, c, "basically_satisfied", day + 5 * HOUR)

    # D: hand-over rejected as buck-passing, replied, callback finds the reply untrue.
    orders["D"] = d = create(people, day, phone="13900003333")
    actions.accept_order(people["h1"], d, now=day + MINUTE)
    requests.request_transfer(
        people["h1"],
        d,
        {"department": "supply_2", "contact_person": "李工", "contact_phone": "13900001111"},
        now=day + HOUR,
    )
    requests.decide_transfer(
        people["dispatcher"], d, {"decision": "reject", "comment": "属本部门职责"}, now=day + HOUR
    )
    reply_and_approve(people, d, "h1", day + 3 * HOUR)
    callback(people, d, "unsatisfied", day + 5 * HOUR, truthful=False)

    # E: returned to the 12345 hotline, requested after 24 hours.
    orders["E"] = e = create(
        people, day, phone="13900004444", channel="upper_hotline", external_id="12345-E"
    )
    actions.accept_order(people["h1"], e, now=day + MINUTE)
    body = {"reason": "非我公司职责", "basis": "《办法》第八条", "target_unit": "市政处"}
    requests.request_return(people["h1"], e, body, now=day + 25 * HOUR)
    requests.decide_return(people["head1"], e, {"decision": "approve"}, now=day + 26 * HOUR)
    requests.decide_return(people["center_head"], e, {"decision": "approve"}, now=day + 26 * HOUR)

    # F: extended, still in progress.
    orders["F"] = f = create(people, day, phone="13900005555")
    actions.accept_order(people["h1"], f, now=day + MINUTE)
    promised = (day + 48 * HOUR).isoformat()
    requests.request_extension(
        people["h1"],
        f,
        {
            "reason": "材料未到",
            "measures": "临时供水",
            "expected_done_at": promised,
            "citizen_agreed": True,
        },
        now=day + HOUR,
    )
    requests.decide_extension(people["dispatcher"], f, {"decision": "approve"}, now=day + HOUR)

    # G: a duplicate of A, merged: counted once, on A.
    orders["G"] = g = create(people, day + HOUR)
    requests.merge_order(people["dispatcher"], g, {"into": a.number}, now=day + HOUR)

    # H: excluded from the assessment through the reply's prefix.
    orders["H"] = h = create(people, day, phone="13900006666")
    actions.accept_order(people["h1"], h, now=day + MINUTE)
    actions.submit_reply(people["h1"], h, EXEMPT_REPLY, now=day + HOUR)
    requests.decide_exemption(people["center_head"], h, {"decision": "approve"}, now=day + 2 * HOUR)

    # I: a redo order, accepted only.
    orders["I"] = i = create(
        people, day, phone="13900007777", order_type="redo", redo_reasons="用户反映仍未修复"
    )
    actions.accept_order(people["h1"], i, now=day + MINUTE)

    # J: created in December, outside the month.
    orders["J"] = create(people, at("2026-12-01 00:00:00"))
    return orders


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
    from waterdesk.orders.errors import InvalidTransition

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
