"""Each clock of an order at its exact boundaries, with the time frozen by time-machine."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import GOOD_REPLY, at, order_data
from waterdesk.deadlines.holidays import seed_holiday_calendar
from waterdesk.deadlines.models import Clock
from waterdesk.orders import actions
from waterdesk.orders.models import OrderEvent
from waterdesk.policy.models import get_policy

SECOND = datetime.timedelta(seconds=1)


def clock_of(order, name, round_=None):
    clocks = Clock.objects.filter(order=order, clock=name).order_by("-dispatch_round")
    return clocks.get(dispatch_round=round_) if round_ else clocks.first()


def breaches(order):
    return [
        event.data["clock"] for event in OrderEvent.objects.filter(order=order, action="breach")
    ]


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        call_command("sweep_deadlines", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        ("2026-12-04 20:39:59", "2026-12-04 20:59:59"),
        ("2026-12-04 20:50:00", "2026-12-05 08:40:00"),
        ("2026-12-04 20:59:59", "2026-12-05 08:49:59"),
        ("2026-12-04 21:00:00", "2026-12-05 08:50:00"),
        ("2026-12-04 23:59:59", "2026-12-05 08:50:00"),
        ("2026-12-05 00:00:00", "2026-12-05 08:50:00"),
        ("2026-12-05 08:29:59", "2026-12-05 08:50:00"),
        ("2026-12-05 08:30:00", "2026-12-05 08:50:00"),
    ],
)
def test_contact_clock_due_time(dispatcher, handler, accepted, due):
    with time_machine.travel(at(accepted), tick=False):
        order, _ = actions.create_order(dispatcher, order_data())
        actions.accept_order(handler, order)
    assert clock_of(order, "contact").due_at == at(due)


def test_contact_clock_breaches_exactly_at_due(dispatcher, handler):
    with time_machine.travel(at("2026-12-04 20:50:00"), tick=False):
        order, _ = actions.create_order(dispatcher, order_data())
        actions.accept_order(handler, order)
    sweep_at(at("2026-12-05 08:39:59"))
    assert "contact" not in breaches(order)
    sweep_at(at("2026-12-05 08:40:00"))
    assert "contact" in breaches(order)


def test_dispatch_clock_breaches_after_five_minutes(dispatcher):
    created = at("2026-12-04 10:00:00")
    with time_machine.travel(created, tick=False):
        order, _ = actions.create_order(dispatcher, order_data(dispatch=False))
    sweep_at(created + datetime.timedelta(minutes=5) - SECOND)
    assert breaches(order) == []
    sweep_at(created + datetime.timedelta(minutes=5))
    assert breaches(order) == ["dispatch"]


def test_callback_clock_runs_24_hours_from_approval(dispatcher, handler):
    start = at("2026-12-04 10:00:00")
    with time_machine.travel(start, tick=False):
        order, _ = actions.create_order(dispatcher, order_data())
        actions.accept_order(handler, order)
        actions.record_contact_attempt(
            handler, order, {"at": start.isoformat(), "outcome": "reached"}
        )
        actions.submit_reply(handler, order, GOOD_REPLY)
        actions.review_reply(dispatcher, order, {"decision": "approve"})
    callback = clock_of(order, "callback")
    assert callback.due_at == start + datetime.timedelta(hours=24)
    sweep_at(callback.due_at - SECOND)
    assert "callback" not in breaches(order)
    sweep_at(callback.due_at)
    assert "callback" in breaches(order)


def test_resolution_after_rejection_gets_time_left_at_reply(dispatcher, handler):
    start = at("2026-12-04 10:00:00")
    with time_machine.travel(start, tick=False):
        order, _ = actions.create_order(dispatcher, order_data(time_limit_hours=24))
        actions.accept_order(handler, order)
    with time_machine.travel(start + datetime.timedelta(hours=20), tick=False):
        actions.submit_reply(handler, order, GOOD_REPLY)
    redispatched = start + datetime.timedelta(hours=30)
    with time_machine.travel(redispatched, tick=False):
        actions.review_reply(dispatcher, order, {"decision": "reject", "comment": "缺少原因"})
    assert clock_of(order, "resolution", 2).due_at == redispatched + datetime.timedelta(hours=4)
    sweep_at(redispatched + datetime.timedelta(hours=4) - SECOND)
    assert "resolution" not in breaches(order)


def test_working_time_resolution_skips_holiday_and_counts_makeup_saturday(dispatcher):
    policy = get_policy()
    policy.clock_time_kinds = {**policy.clock_time_kinds, "resolution": "working"}
    policy.save_as_new_version()
    # Friday 2026-02-13 17:00; Saturday 2026-02-14 is a make-up working day (调休) before the
    # Spring Festival holiday of 2026-02-15 to 2026-02-23.
    created = at("2026-02-13 17:00:00")
    # The preset seeds only the years around today, so 2026 is seeded here explicitly.
    seed_holiday_calendar([2026])
    # 30 minutes on Friday, then the make-up Saturday's 7.5 hours (08:30–12:00, 13:30–17:30)
    # end exactly at 17:30 on Saturday.
    with time_machine.travel(created, tick=False):
        eight_hours, _ = actions.create_order(dispatcher, order_data(time_limit_hours=8))
        nine_hours, _ = actions.create_order(dispatcher, order_data(time_limit_hours=9))
    assert clock_of(eight_hours, "resolution").due_at == at("2026-02-14 17:30:00")
    # One more hour falls on the first working day after the holiday, Tuesday 2026-02-24.
    assert clock_of(nine_hours, "resolution").due_at == at("2026-02-24 09:30:00")
