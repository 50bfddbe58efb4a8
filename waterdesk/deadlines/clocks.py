"""Starting, meeting and stopping the clocks of an order.

Order actions call these inside their own transaction, with the `now` they read once, so a clock
changes exactly when the order does.
"""

import datetime

from waterdesk.orders import hooks
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.statuses import Action
from waterdesk.orders.transitions import record_event
from waterdesk.policy.models import Policy

from . import calendars
from .calendar import add_duration
from .models import Clock, ClockName


def start_clock(
    order: WorkOrder, name: str, started_at: datetime.datetime, policy: Policy, **timing
) -> Clock:
    """Start clock `name` for the order's current dispatch round and return it.

    `timing` is new_clock's `duration` or `due_at`, which set the due time.
    """
    clock = new_clock(order, name, started_at, policy, **timing)
    clock.save(force_insert=True)
    return clock


def new_clock(
    order: WorkOrder,
    name: str,
    started_at: datetime.datetime,
    policy: Policy,
    *,
    duration: datetime.timedelta | None = None,
    due_at: datetime.datetime | None = None,
) -> Clock:
    """Return clock `name` of the order's current dispatch round, unsaved.

    The due time is `due_at` when given, else `started_at` plus `duration` (default: the policy's
    duration for the clock) counted in the clock's calendar. A caller that starts several clocks
    inserts them in one statement.
    """
    if due_at is None:
        if duration is None:
            duration = calendars.policy_duration(name, policy)
        calendar = calendars.calendar_for(name, order, policy)
        due_at = add_duration(started_at, duration, calendar)
    return Clock(
        order=order,
        clock=name,
        dispatch_round=order.dispatch_round,
        started_at=started_at,
        due_at=due_at,
        warn_at=calendars.warning_time(started_at, due_at, policy),
        policy_version=policy.version,
    )


def _running_clocks(order: WorkOrder):
    """Return the order's clocks that are neither met nor stopped, as a queryset."""
    return Clock.objects.filter(order=order, met_at__isnull=True, stopped_at__isnull=True)


def open_clock(order: WorkOrder, name: str) -> Clock | None:
    """Return the latest open clock `name` of the order, whatever its round."""
    return _running_clocks(order).filter(clock=name).order_by("-dispatch_round").first()


def meet_clock(
    order: WorkOrder, name: str, at: datetime.datetime, *, clock: Clock | None = None
) -> Clock | None:
    """Mark the open clock `name` as met at `at`; returns it, or None if none was open.

    A caller that holds the open clock already passes it as `clock`. A clock met after its due
    time that the sweeper has not yet caught gets its breach recorded here, so that every breach
    is in the history whether or not a sweep ran in between.
    """
    if clock is None:
        clock = open_clock(order, name)
    if clock is None:
        return None
    clock.met_at = at
    fields = ["met_at"]
    if at > clock.due_at and clock.breached_at is None:
        clock.breached_at = clock.due_at
        fields.append("breached_at")
        record_breach(clock, order, at)
    clock.save(update_fields=fields)
    return clock


def record_breach(clock: Clock, order: WorkOrder, now: datetime.datetime) -> None:
    """Write the breach event of `clock`; the caller has set `breached_at` and saves the clock."""
    record_event(
        order,
        Action.BREACH,
        None,
        now,
        from_status=order.status,
        to_status=order.status,
        data=clock_event_data(clock, order),
    )
    hooks.deadline_breached(clock, order, now)


def clock_event_data(clock: Clock, order: WorkOrder) -> dict:
    """Return the data of a warning or breach event: which clock, round, due time, department."""
    return {
        "clock": clock.clock,
        "round": clock.dispatch_round,
        "due_at": clock.due_at.isoformat(),
        "department": order.department.code,
    }


def stop_clock(order: WorkOrder, name: str, at: datetime.datetime) -> int:
    """Stop the open clock `name` without meeting it (it no longer applies); returns how many."""
    return _running_clocks(order).filter(clock=name).update(stopped_at=at)


def stop_open_clocks(order: WorkOrder, at: datetime.datetime) -> int:
    """Stop every clock of the order still running; returns how many.

    Called when an order ends (closed, returned, merged). A clock of a finished order would
    otherwise keep counting, warn and breach, and send messages about work that is no longer due.
    """
    return _running_clocks(order).update(stopped_at=at)


def time_left(clock: Clock, now: datetime.datetime) -> datetime.timedelta:
    """Natural time from `now` to the clock's due time, never negative."""
    return max(clock.due_at - now, datetime.timedelta(0))


__all__ = [
    "ClockName",
    "start_clock",
    "open_clock",
    "meet_clock",
    "stop_clock",
    "stop_open_clocks",
    "time_left",
]
