"""The deadline sweeper: warnings and breaches at their exact times, each recorded once."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests.conftest import at, order_data
from waterdesk.deadlines.models import Clock
from waterdesk.deadlines.recompute import recompute_open_clocks
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.orders.models import OrderEvent
from waterdesk.policy.models import get_policy

SECOND = datetime.timedelta(seconds=1)
CREATED = at("2026-12-04 10:00:00")


@pytest.fixture
def dispatched(dispatcher):
    order, _ = actions.create_order(dispatcher, order_data(time_limit_hours=24), now=CREATED)
    return order


def events(order, action):
    return list(OrderEvent.objects.filter(order=order, action=action).order_by("at", "id"))


def test_accept_clock_warns_one_minute_before_due(dispatched):
    # 20% of 5 minutes is 60 seconds, which is also the minimum lead.
    sweep(CREATED + datetime.timedelta(minutes=4) - SECOND)
    assert events(dispatched, "warning") == []
    sweep(CREATED + datetime.timedelta(minutes=4))
    [warning] = events(dispatched, "warning")
    assert warning.data["clock"] == "accept"
    assert warning.data["seconds_left"] == 60


def test_breach_is_recorded_at_due_not_a_second_before(dispatched):
    due = CREATED + datetime.timedelta(minutes=5)
    sweep(due - SECOND)
    assert events(dispatched, "breach") == []
    sweep(due)
    [breach] = events(dispatched, "breach")
    assert breach.data["clock"] == "accept"
    assert breach.actor is None
    assert breach.at == due
    assert Clock.objects.get(order=dispatched, clock="accept").breached_at == due


def test_each_breach_and_warning_happens_once(dispatched):
    due = CREATED + datetime.timedelta(minutes=5)
    for offset in range(5):
        sweep(due + datetime.timedelta(seconds=offset))
    assert len(events(dispatched, "breach")) == 1
    assert len(events(dispatched, "warning")) == 0


def test_late_sweep_breaches_without_a_late_warning(dispatched):
    result = sweep(CREATED + datetime.timedelta(hours=1))
    assert result.breached == 1
    assert result.warned == 0


def test_met_clock_neither_warns_nor_breaches(dispatched, handler):
    actions.accept_order(handler, dispatched, now=CREATED + datetime.timedelta(minutes=3))
    sweep(CREATED + datetime.timedelta(minutes=10))
    assert events(dispatched, "breach") == []


def test_contact_clock_breaches_after_the_night(dispatched, handler):
    accepted = at("2026-12-04 20:50:00")
    actions.accept_order(handler, dispatched, now=accepted)
    sweep(at("2026-12-05 08:39:59"))
    assert [event.data["clock"] for event in events(dispatched, "breach")] == ["accept"]
    sweep(at("2026-12-05 08:40:00"))
    assert [event.data["clock"] for event in events(dispatched, "breach")] == ["accept", "contact"]


def test_resolution_clock_breaches_at_time_limit(dispatched):
    due = CREATED + datetime.timedelta(hours=24)
    sweep(due - SECOND)
    assert "resolution" not in [event.data["clock"] for event in events(dispatched, "breach")]
    sweep(due)
    assert "resolution" in [event.data["clock"] for event in events(dispatched, "breach")]


def test_breach_is_visible_in_order_deadlines(dispatched, dispatcher):
    from tests.conftest import ApiClient

    sweep(CREATED + datetime.timedelta(minutes=5))
    body = ApiClient(dispatcher).get(f"/api/v1/orders/{dispatched.number}").json()
    accept = next(item for item in body["deadlines"] if item["clock"] == "accept")
    assert accept["breached"] is True
    assert accept["breached_at"] == "2026-12-04T10:05:00+08:00"


def test_sweep_command_accepts_a_time(dispatched):
    output = io.StringIO()
    call_command("sweep_deadlines", "--now", "2026-12-04T10:05:00+08:00", stdout=output)
    assert "1 breaches" in output.getvalue()


def test_sweep_command_rejects_time_without_offset(preset):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="offset"):
        call_command("sweep_deadlines", "--now", "2026-12-04T10:05:00")


def test_policy_change_does_not_move_running_clocks(dispatched):
    policy = get_policy()
    policy.accept_minutes = 10
    policy.save_as_new_version()
    clock = Clock.objects.get(order=dispatched, clock="accept")
    assert clock.due_at == CREATED + datetime.timedelta(minutes=5)


def test_recompute_moves_running_clocks_and_records_it(dispatched):
    policy = get_policy()
    policy.accept_minutes = 10
    policy.save_as_new_version()
    moved = recompute_open_clocks(None, CREATED + datetime.timedelta(minutes=1), ("accept",))
    assert moved == 1
    clock = Clock.objects.get(order=dispatched, clock="accept")
    assert clock.due_at == CREATED + datetime.timedelta(minutes=10)
    assert clock.policy_version == 2
    [event] = events(dispatched, "deadline_recompute")
    assert event.data["new_due_at"] == clock.due_at.isoformat()
