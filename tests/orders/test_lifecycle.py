"""The order lifecycle through the actions: guards, events and clocks of each step."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.conftest import GOOD_REPLY, at, make_user, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.deadlines.models import Clock
from waterdesk.orders import actions
from waterdesk.orders.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    ReplyRejected,
)
from waterdesk.orders.models import OrderEvent, Reply
from waterdesk.organization.models import Role


@pytest.fixture
def dispatched(dispatcher):
    order, _ = actions.create_order(dispatcher, order_data())
    return order


@pytest.fixture
def accepted(dispatched, handler):
    return actions.accept_order(handler, dispatched)


@pytest.fixture
def replied(accepted, handler):
    return actions.submit_reply(handler, accepted, GOOD_REPLY)


def test_accept_moves_to_accepted_and_meets_accept_clock(dispatched, handler):
    now = timezone.now()
    order = actions.accept_order(handler, dispatched, now=now)
    assert order.status == "accepted"
    assert order.accepted_by == handler
    assert Clock.objects.get(order=order, clock="accept").met_at == now


def test_accept_starts_contact_clock_when_phone_left(accepted):
    assert Clock.objects.filter(order=accepted, clock="contact", met_at__isnull=True).exists()


def test_accept_without_phone_starts_no_contact_clock(dispatcher, handler):
    order, _ = actions.create_order(dispatcher, order_data(phone=None))
    order = actions.accept_order(handler, order)
    assert not Clock.objects.filter(order=order, clock="contact").exists()


def test_contact_clock_skips_quiet_hours(dispatcher, handler):
    accepted_at = at("2026-12-04 20:50:00")
    order, _ = actions.create_order(dispatcher, order_data(), now=accepted_at)
    actions.accept_order(handler, order, now=accepted_at)
    contact = Clock.objects.get(order=order, clock="contact")
    assert contact.due_at == at("2026-12-05 08:40:00")


def test_contact_clock_counts_night_when_allowed(dispatcher, handler):
    accepted_at = at("2026-12-04 20:50:00")
    order, _ = actions.create_order(
        dispatcher, order_data(night_contact_allowed=True), now=accepted_at
    )
    actions.accept_order(handler, order, now=accepted_at)
    contact = Clock.objects.get(order=order, clock="contact")
    assert contact.due_at == at("2026-12-04 21:10:00")


def test_handler_of_other_department_may_not_accept(dispatched, other_handler):
    with pytest.raises(Forbidden):
        actions.accept_order(other_handler, dispatched)
    dispatched.refresh_from_db()
    assert dispatched.status == "dispatched"


def test_dispatcher_may_not_accept(dispatched, dispatcher):
    with pytest.raises(Forbidden):
        actions.accept_order(dispatcher, dispatched)


def test_accept_twice_is_invalid_transition(accepted, handler):
    with pytest.raises(InvalidTransition) as raised:
        actions.accept_order(handler, accepted)
    assert "处理中" in raised.value.message
    assert OrderEvent.objects.filter(order=accepted, action="accept").count() == 1


def test_stale_version_is_a_conflict(dispatched, handler):
    with pytest.raises(Conflict):
        actions.accept_order(handler, dispatched, expected_version=dispatched.version - 1)
    dispatched.refresh_from_db()
    assert dispatched.status == "dispatched"


def test_current_version_is_accepted(dispatched, handler):
    order = actions.accept_order(handler, dispatched, expected_version=dispatched.version)
    assert order.status == "accepted"


def test_dispatch_of_new_order(dispatcher):
    order, _ = actions.create_order(dispatcher, order_data(dispatch=False))
    order = actions.dispatch_order(dispatcher, order, "supply_2")
    assert order.status == "dispatched"
    assert order.department.code == "supply_2"
    assert Clock.objects.get(order=order, clock="dispatch").met_at is not None


def test_redispatch_before_acceptance_restarts_accept_clock(dispatched, dispatcher):
    order = actions.dispatch_order(dispatcher, dispatched, "supply_2")
    accept_clocks = Clock.objects.filter(order=order, clock="accept").order_by("dispatch_round")
    assert [clock.stopped_at is not None for clock in accept_clocks] == [True, False]
    event = order.events.filter(action="dispatch").last()
    assert event.data["from_department"] == "supply_1"


def test_dispatch_to_unknown_department_is_invalid_input(dispatcher):
    order, _ = actions.create_order(dispatcher, order_data(dispatch=False))
    with pytest.raises(InvalidInput) as raised:
        actions.dispatch_order(dispatcher, order, "moon")
    assert raised.value.details[0]["field"] == "department"


def test_handler_may_not_dispatch(dispatched, handler):
    with pytest.raises(Forbidden):
        actions.dispatch_order(handler, dispatched, "supply_2")


def test_dispatch_of_accepted_order_is_invalid_transition(accepted, dispatcher):
    with pytest.raises(InvalidTransition):
        actions.dispatch_order(dispatcher, accepted, "supply_2")


def test_contact_attempt_reached_meets_contact_clock(accepted, handler):
    when = timezone.now()
    actions.record_contact_attempt(
        handler, accepted, {"at": when.isoformat(), "outcome": "reached"}
    )
    contact = Clock.objects.get(order=accepted, clock="contact")
    assert contact.met_at == when


def test_contact_attempt_no_answer_keeps_contact_clock_open(accepted, handler):
    actions.record_contact_attempt(
        handler, accepted, {"at": timezone.now().isoformat(), "outcome": "no_answer"}
    )
    assert Clock.objects.get(order=accepted, clock="contact").met_at is None
    assert accepted.contact_attempts.count() == 1


def test_contact_attempt_in_future_is_rejected(accepted, handler):
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    with pytest.raises(InvalidInput) as raised:
        actions.record_contact_attempt(handler, accepted, {"at": future, "outcome": "reached"})
    assert raised.value.details[0]["field"] == "at"


def test_contact_attempt_with_unknown_outcome_is_rejected(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        actions.record_contact_attempt(
            handler, accepted, {"at": timezone.now().isoformat(), "outcome": "maybe"}
        )
    assert raised.value.details[0]["field"] == "outcome"


def test_contact_attempt_before_acceptance_is_invalid_transition(dispatched, handler):
    with pytest.raises(InvalidTransition):
        actions.record_contact_attempt(
            handler, dispatched, {"at": timezone.now().isoformat(), "outcome": "reached"}
        )


def test_reply_moves_to_replied_and_keeps_time_left(accepted, handler):
    now = timezone.now()
    resolution_due = Clock.objects.get(order=accepted, clock="resolution").due_at
    order = actions.submit_reply(handler, accepted, GOOD_REPLY, now=now)
    assert order.status == "replied"
    assert order.time_left_at_reply == resolution_due - now
    assert Clock.objects.get(order=order, clock="resolution").met_at == now
    reply = Reply.objects.get(order=order)
    assert reply.policy_version == 1


def test_reply_with_errors_is_rejected_and_saves_nothing(accepted, handler):
    with pytest.raises(ReplyRejected) as raised:
        actions.submit_reply(handler, accepted, "已处理完毕。")
    assert any(item["rule"] == "vague_only" for item in raised.value.details)
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert not Reply.objects.exists()


def test_empty_reply_is_invalid_input(accepted, handler):
    with pytest.raises(InvalidInput):
        actions.submit_reply(handler, accepted, "  ")


def test_reply_by_other_department_is_forbidden(accepted, other_handler):
    with pytest.raises(Forbidden):
        actions.submit_reply(other_handler, accepted, GOOD_REPLY)


def test_review_approve_moves_to_callback_pending(replied, dispatcher):
    order = actions.review_reply(dispatcher, replied, {"decision": "approve"})
    assert order.status == "callback_pending"
    assert Clock.objects.filter(order=order, clock="callback", met_at__isnull=True).exists()


def test_review_approve_without_callback_closes(dispatcher, handler):
    order, _ = actions.create_order(dispatcher, order_data(callback_required=False))
    actions.accept_order(handler, order)
    actions.submit_reply(handler, order, GOOD_REPLY)
    order = actions.review_reply(dispatcher, order, {"decision": "approve"})
    assert order.status == "closed"
    assert order.closed_at is not None


def test_review_reject_redispatches_with_time_left(replied, dispatcher):
    time_left = replied.time_left_at_reply
    now = timezone.now() + datetime.timedelta(hours=2)
    order = actions.review_reply(
        dispatcher, replied, {"decision": "reject", "comment": "未说明原因"}, now=now
    )
    assert order.status == "dispatched"
    assert order.dispatch_round == 2
    new_resolution = Clock.objects.get(order=order, clock="resolution", dispatch_round=2)
    assert new_resolution.due_at == now + time_left
    assert Reply.objects.get(order=order).status == "rejected"


def test_review_reject_needs_a_comment(replied, dispatcher):
    with pytest.raises(InvalidInput) as raised:
        actions.review_reply(dispatcher, replied, {"decision": "reject"})
    assert raised.value.details[0]["field"] == "comment"


def test_review_with_bad_decision_is_invalid_input(replied, dispatcher):
    with pytest.raises(InvalidInput):
        actions.review_reply(dispatcher, replied, {"decision": "maybe"})


def test_handler_may_not_review(replied, handler):
    with pytest.raises(Forbidden):
        actions.review_reply(handler, replied, {"decision": "approve"})


def test_review_of_accepted_order_is_invalid_transition(accepted, dispatcher):
    with pytest.raises(InvalidTransition):
        actions.review_reply(dispatcher, accepted, {"decision": "approve"})


def test_rejected_reply_can_be_replied_again(replied, dispatcher, handler):
    actions.review_reply(dispatcher, replied, {"decision": "reject", "comment": "补充用户认可情况"})
    actions.accept_order(handler, replied)
    order = actions.submit_reply(handler, replied, GOOD_REPLY)
    assert order.status == "replied"
    assert order.replies.count() == 2


def test_close_needs_reason(replied, dispatcher):
    order = actions.review_reply(dispatcher, replied, {"decision": "approve"})
    with pytest.raises(InvalidInput):
        actions.close_order(dispatcher, order, {})
    order = actions.close_order(dispatcher, order, {"reason": "用户不满意，经协调后结案"})
    assert order.status == "closed"


def test_every_step_writes_one_event_with_actor(replied, dispatcher, handler):
    events = list(
        replied.events.values_list("action", "actor__username", "from_status", "to_status")
    )
    assert events == [
        ("create", "dispatcher", "", "new"),
        ("dispatch", "dispatcher", "new", "dispatched"),
        ("accept", "supply_1_handler", "dispatched", "accepted"),
        ("reply", "supply_1_handler", "accepted", "replied"),
    ]


def test_events_cannot_be_changed(dispatched):
    event = dispatched.events.first()
    event.data = {"changed": True}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_version_grows_with_each_change(dispatched, handler):
    before = dispatched.version
    order = actions.accept_order(handler, dispatched)
    assert order.version == before + 1


def test_callback_satisfied_closes_order(replied, dispatcher, callback_agent):
    actions.review_reply(dispatcher, replied, {"decision": "approve"})
    order = record_callback(
        callback_agent,
        replied,
        {"kind": "result", "outcome": "satisfied", "reply_truthful": True},
        now=timezone.now().replace(hour=2, minute=0) + datetime.timedelta(days=1),
    )
    assert order.status == "closed"
    assert Clock.objects.get(order=order, clock="callback").met_at is not None


def test_center_head_has_dispatcher_rights(preset):
    head = make_user("head", [Role.CENTER_HEAD])
    order, _ = actions.create_order(head, order_data(dispatch=False))
    order = actions.dispatch_order(head, order, "supply_1")
    assert order.status == "dispatched"


def test_empty_reply_error_names_the_reply(dispatcher, handler):
    order, _ = actions.create_order(dispatcher, order_data())
    actions.accept_order(handler, order)
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        actions.submit_reply(handler, order, "")
    message = raised.value.details[0]["message"]
    assert raised.value.details[0]["field"] == "content"
    assert "回复" in message
    assert "反映内容" not in message
