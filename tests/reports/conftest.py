"""The people and the hand-computed month of November 2026 that the report tests share."""

import datetime

import pytest

from tests.conftest import GOOD_REPLY, at, make_user, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.organization.models import Role

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
