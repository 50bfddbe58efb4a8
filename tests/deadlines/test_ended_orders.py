"""Clocks of an order that has ended stop, so nothing warns or breaches on a closed order."""

import datetime

from tests.conftest import GOOD_REPLY, at, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.deadlines.models import Clock
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.orders.models import OrderEvent

CREATED = at("2026-12-04 10:00:00")
MINUTE = datetime.timedelta(minutes=1)


def running_clocks(order):
    return Clock.objects.filter(order=order, met_at__isnull=True, stopped_at__isnull=True)


def test_callback_close_stops_second_round_contact_clock(dispatcher, handler, callback_agent):
    order, _ = actions.create_order(dispatcher, order_data(), now=CREATED)
    actions.accept_order(handler, order, now=CREATED + MINUTE)
    actions.record_contact_attempt(
        handler,
        order,
        {"at": (CREATED + 2 * MINUTE).isoformat(), "outcome": "reached"},
        now=CREATED + 2 * MINUTE,
    )
    actions.submit_reply(handler, order, GOOD_REPLY, now=CREATED + 10 * MINUTE)
    rejected = {"decision": "reject", "comment": "未写明原因"}
    actions.review_reply(dispatcher, order, rejected, now=CREATED + 11 * MINUTE)
    # The second round's contact clock starts at acceptance and is never met below.
    actions.accept_order(handler, order, now=CREATED + 12 * MINUTE)
    actions.submit_reply(handler, order, GOOD_REPLY, now=CREATED + 13 * MINUTE)
    actions.review_reply(dispatcher, order, {"decision": "approve"}, now=CREATED + 14 * MINUTE)
    record_callback(
        callback_agent,
        order,
        {"kind": "result", "outcome": "satisfied", "reply_truthful": True},
        now=CREATED + 15 * MINUTE,
    )
    order.refresh_from_db()
    assert order.status == "closed"
    assert not running_clocks(order).exists()

    sweep(CREATED + datetime.timedelta(days=2))

    late = OrderEvent.objects.filter(order=order, action__in=["warning", "breach"])
    assert not late.filter(at__gt=CREATED + 15 * MINUTE).exists()


def test_close_by_center_stops_every_clock(dispatcher, handler):
    order, _ = actions.create_order(dispatcher, order_data(), now=CREATED)
    actions.accept_order(handler, order, now=CREATED + MINUTE)
    actions.submit_reply(handler, order, GOOD_REPLY, now=CREATED + 10 * MINUTE)
    actions.review_reply(dispatcher, order, {"decision": "approve"}, now=CREATED + 11 * MINUTE)
    actions.close_order(dispatcher, order, {"reason": "协调后结案"}, now=CREATED + 12 * MINUTE)

    assert not running_clocks(order).exists()
