"""Callbacks: only inside the windows, two failed attempts in different slots close the order."""

import pytest

from tests.conftest import GOOD_REPLY, at, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.orders import actions
from waterdesk.orders.errors import Forbidden, InvalidInput, InvalidTransition


@pytest.fixture
def awaiting_callback(dispatcher, handler):
    start = at("2026-12-04 08:00:00")
    order, _ = actions.create_order(dispatcher, order_data(), now=start)
    actions.accept_order(handler, order, now=start)
    actions.submit_reply(handler, order, GOOD_REPLY, now=start)
    return actions.review_reply(dispatcher, order, {"decision": "approve"}, now=start)


UNREACHABLE = {"kind": "result", "outcome": "unreachable"}


def test_callback_at_window_opening_is_recorded(awaiting_callback, callback_agent):
    order = record_callback(
        callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 08:30:00")
    )
    assert order.callbacks.count() == 1


def test_callback_one_second_before_window_is_refused(awaiting_callback, callback_agent):
    with pytest.raises(InvalidTransition) as raised:
        record_callback(
            callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 08:29:59")
        )
    assert "08:30" in raised.value.message
    assert awaiting_callback.callbacks.count() == 0


def test_callback_at_noon_is_refused_until_afternoon_window(awaiting_callback, callback_agent):
    with pytest.raises(InvalidTransition) as raised:
        record_callback(
            callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 12:00:00")
        )
    assert "13:30" in raised.value.message


def test_callback_at_19_is_refused(awaiting_callback, callback_agent):
    with pytest.raises(InvalidTransition):
        record_callback(
            callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 19:00:00")
        )
    order = record_callback(
        callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 18:59:59")
    )
    assert order.callbacks.count() == 1


def test_second_failure_in_same_slot_is_refused(awaiting_callback, callback_agent):
    record_callback(callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 09:00:00"))
    with pytest.raises(InvalidInput) as raised:
        record_callback(
            callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 11:00:00")
        )
    assert raised.value.details[0]["code"] == "same_slot"
    assert awaiting_callback.callbacks.count() == 1


def test_two_failures_in_different_slots_close_as_unreachable(awaiting_callback, callback_agent):
    record_callback(callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 09:00:00"))
    order = record_callback(
        callback_agent, awaiting_callback, UNREACHABLE, now=at("2026-12-04 14:00:00")
    )
    assert order.status == "closed"
    event = order.events.last()
    assert event.data["closed_because"] == "unreachable"
    assert len(event.data["attempt_times"]) == 2


def test_unsatisfied_callback_waits_for_center_decision(awaiting_callback, callback_agent):
    order = record_callback(
        callback_agent,
        awaiting_callback,
        {"kind": "result", "outcome": "unsatisfied", "reply_truthful": True},
        now=at("2026-12-04 10:00:00"),
    )
    assert order.status == "callback_pending"
    assert order.events.last().data["needs_center_decision"] is True


def test_untrue_reply_is_not_closed_as_satisfied(awaiting_callback, callback_agent):
    order = record_callback(
        callback_agent,
        awaiting_callback,
        {"kind": "result", "outcome": "satisfied", "reply_truthful": False},
        now=at("2026-12-04 10:00:00"),
    )
    assert order.status == "callback_pending"


def test_reached_result_callback_needs_truthfulness(awaiting_callback, callback_agent):
    with pytest.raises(InvalidInput) as raised:
        record_callback(
            callback_agent,
            awaiting_callback,
            {"kind": "result", "outcome": "satisfied"},
            now=at("2026-12-04 10:00:00"),
        )
    assert raised.value.details[0]["field"] == "reply_truthful"


def test_only_callback_agents_record_callbacks(awaiting_callback, dispatcher):
    with pytest.raises(Forbidden):
        record_callback(
            dispatcher,
            awaiting_callback,
            {"kind": "result", "outcome": "satisfied", "reply_truthful": True},
            now=at("2026-12-04 10:00:00"),
        )


def test_callback_on_accepted_order_is_invalid_transition(dispatcher, handler, callback_agent):
    order, _ = actions.create_order(dispatcher, order_data())
    actions.accept_order(handler, order)
    with pytest.raises(InvalidTransition):
        record_callback(callback_agent, order, UNREACHABLE, now=at("2026-12-04 10:00:00"))
