"""Rate trends and breaches by clock, from orders over two hand-counted months."""

import pytest

from tests.conftest import GOOD_REPLY, at, order_data
from tests.reports.conftest import HOUR, MINUTE
from waterdesk.callbacks.actions import record_callback
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.orders.errors import InvalidInput
from waterdesk.reports.service import finalize_month
from waterdesk.reports.trends import breaches_by_clock, months_ending, rate_trend

ZONE = "Asia/Shanghai"


def create(people, when, phone, department="supply_1"):
    """Create and dispatch an order at its own address, so the reply check sees no repeat."""
    data = order_data(
        time_limit_hours=24,
        phone=phone,
        address=f"确山县建设路{phone[-2:]}号",
        department=department,
    )
    order, _ = actions.create_order(people["dispatcher"], data, now=when)
    return order


def reply_and_call_back(people, order, handler, replied_after, outcome):
    """Accept, reply `replied_after` hours after creation, approve, and record the callback.

    Orders are created at 09:00. The callback follows 3 hours after a reply after 2 hours and
    1 hour after a later reply, at 14:00 or 16:00, inside the afternoon callback window.
    """
    created = order.created_at
    replied_at = created + replied_after * HOUR
    actions.accept_order(people[handler], order, now=created + MINUTE)
    actions.submit_reply(people[handler], order, GOOD_REPLY, now=replied_at)
    actions.review_reply(people["dispatcher"], order, {"decision": "approve"}, now=replied_at)
    body = {"kind": "result", "outcome": outcome, "reply_truthful": True}
    called_after = replied_after + (3 if replied_after < 24 else 1)
    record_callback(people["agent"], order, body, now=created + called_after * HOUR)


@pytest.fixture
def two_months(people):
    """Three orders in October 2026 and three in November, with hand-known outcomes."""
    october = at("2026-10-12 09:00:00")
    orders = {}
    # October, supply_1: one closed on time and satisfied. One replied six hours late and was
    # unsatisfied at callback, so it stays open.
    orders["O1"] = o1 = create(people, october, "13900000001")
    reply_and_call_back(people, o1, "h1", 2, "satisfied")
    orders["O2"] = o2 = create(people, october, "13900000002")
    reply_and_call_back(people, o2, "h1", 30, "unsatisfied")
    # October, supply_2: dispatched and never accepted.
    orders["O3"] = create(people, october, "13900000003", department="supply_2")

    november = at("2026-11-02 09:00:00")
    # November, supply_1: two closed on time, satisfied and basically satisfied.
    orders["N1"] = n1 = create(people, november, "13900000011")
    reply_and_call_back(people, n1, "h1", 2, "satisfied")
    orders["N2"] = n2 = create(people, november, "13900000012")
    reply_and_call_back(people, n2, "h1", 2, "basically_satisfied")
    # November, supply_2: closed satisfied, but replied six hours after the time limit.
    orders["N3"] = n3 = create(people, november, "13900000013", department="supply_2")
    reply_and_call_back(people, n3, "h2", 30, "satisfied")
    return orders


def rates(row: dict) -> tuple:
    return (row["on_time_closure_rate"], row["closure_rate"], row["satisfaction_rate"])


def test_months_ending_crosses_year():
    assert months_ending("2027-02", 4) == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months_ending("2026-11", 1) == ["2026-11"]


def test_rate_trend_rejects_bad_input(db):
    with pytest.raises(InvalidInput):
        rate_trend("2026-13", 6, ZONE)
    with pytest.raises(ValueError, match="months must be at least 1"):
        rate_trend("2026-11", 0, ZONE)


def test_rate_trend_total_by_month(two_months):
    trend = rate_trend("2026-11", 3, ZONE)

    assert [row["month"] for row in trend] == ["2026-09", "2026-10", "2026-11"]
    assert [row["received"] for row in trend] == [0, 3, 3]
    assert [row["finalized"] for row in trend] == [False, False, False]
    # September has no orders: every rate is None, so the chart leaves a gap.
    assert rates(trend[0]) == (None, None, None)
    # October: 1 of 3 closed, on time. 1 of the 2 citizens reached at callback was satisfied.
    assert rates(trend[1]) == (0.3333, 0.3333, 0.5)
    # November: 3 of 3 closed, 2 of them on time, and all 3 reached were satisfied.
    assert rates(trend[2]) == (0.6667, 1.0, 1.0)


def test_rate_trend_one_department(two_months):
    supply_2 = rate_trend("2026-11", 2, ZONE, department="supply_2")
    assert [row["received"] for row in supply_2] == [1, 1]
    # October: the only order is open and had no callback.
    assert rates(supply_2[0]) == (0.0, 0.0, None)
    # November: closed late, satisfied.
    assert rates(supply_2[1]) == (0.0, 1.0, 1.0)

    supply_1 = rate_trend("2026-11", 2, ZONE, department="supply_1")
    assert rates(supply_1[0]) == (0.5, 0.5, 0.5)
    assert rates(supply_1[1]) == (1.0, 1.0, 1.0)


def test_rate_trend_keeps_finalised_month_frozen(two_months, people):
    finalize_month(people["center_head"], "2026-10", at("2026-11-01 09:00:00"))
    actions.close_order(
        people["dispatcher"],
        two_months["O2"],
        {"reason": "协调后结案"},
        now=at("2026-11-05 10:00:00"),
    )

    trend = rate_trend("2026-11", 2, ZONE)
    assert [row["finalized"] for row in trend] == [True, False]
    # Live, October would now count 2 of 3 closed, but the frozen figures keep 1 of 3.
    assert rates(trend[0]) == (0.3333, 0.3333, 0.5)

    supply_2 = rate_trend("2026-10", 1, ZONE, department="supply_2")
    assert rates(supply_2[0]) == (0.0, 0.0, None)
    # A department without orders in a finalised month has no row in the snapshot.
    supply_3 = rate_trend("2026-10", 1, ZONE, department="supply_3")
    assert supply_3[0]["received"] == 0
    assert rates(supply_3[0]) == (None, None, None)


@pytest.fixture
def december_breaches(people):
    """Three December orders and one November order, swept at two times.

    The sweep at 09:30 breaches P1's acceptance (due 09:05) and P2's contact (due 09:21). The
    sweep a day later breaches the resolution clocks of P1, P2 and P3 (due 09:00 the next day).
    P4, created in November, breaches its acceptance and resolution too, outside December.
    """
    december = at("2026-12-07 09:00:00")
    p1 = create(people, december, "13900000021")
    p2 = create(people, december, "13900000022")
    actions.accept_order(people["h1"], p2, now=december + MINUTE)
    p3 = create(people, december, "13900000023", department="supply_2")
    actions.accept_order(people["h2"], p3, now=december + MINUTE)
    actions.record_contact_attempt(
        people["h2"],
        p3,
        {"at": (december + 5 * MINUTE).isoformat(), "outcome": "reached"},
        now=december + 5 * MINUTE,
    )
    p4 = create(people, at("2026-11-30 09:00:00"), "13900000024")
    sweep(december + 30 * MINUTE)
    sweep(december + 25 * HOUR)
    return {"P1": p1, "P2": p2, "P3": p3, "P4": p4}


def test_breaches_by_clock_whole_month(december_breaches):
    assert breaches_by_clock("2026-12", ZONE) == {
        "dispatch": 0,
        "accept": 1,
        "contact": 1,
        "transfer": 0,
        "return": 0,
        "resolution": 3,
        "callback": 0,
    }


def test_breaches_by_clock_one_department(december_breaches):
    supply_1 = breaches_by_clock("2026-12", ZONE, department="supply_1")
    assert supply_1["accept"] == 1
    assert supply_1["contact"] == 1
    assert supply_1["resolution"] == 2
    supply_2 = breaches_by_clock("2026-12", ZONE, department="supply_2")
    assert supply_2["resolution"] == 1
    assert sum(supply_2.values()) == 1


def test_breaches_by_clock_other_month(december_breaches):
    november = breaches_by_clock("2026-11", ZONE)
    assert november["accept"] == 1
    assert november["resolution"] == 1
    assert sum(november.values()) == 2
