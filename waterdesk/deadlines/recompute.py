"""Recomputing running clocks after a policy change, on an operator's request only.

A policy change never moves clocks that are already running by itself: a department that was told
"due at 10:05" keeps that time. An operator may ask for a recompute; each moved clock is recorded
as an event on its order with the old and new due time.
"""

import datetime
import logging

from django.db import transaction

from waterdesk.orders.statuses import Action
from waterdesk.orders.transitions import record_event
from waterdesk.policy.models import get_policy

from .calendar import add_duration
from .calendars import calendar_for, policy_duration, warning_time
from .models import Clock, ClockName

logger = logging.getLogger(__name__)

# The resolution clock follows the order's own time limit, not a policy duration.
RECOMPUTABLE_CLOCKS = tuple(name for name in ClockName.values if name != ClockName.RESOLUTION)


def recompute_open_clocks(actor, now: datetime.datetime, clock_names=RECOMPUTABLE_CLOCKS) -> int:
    """Move the due time of open clocks to what the current policy gives; returns how many moved."""
    policy = get_policy()
    moved = 0
    with transaction.atomic():
        clocks = (
            Clock.objects.filter(
                met_at__isnull=True,
                stopped_at__isnull=True,
                breached_at__isnull=True,
                clock__in=clock_names,
            )
            .select_related("order")
            .select_for_update(of=("self",))
        )
        for clock in clocks:
            calendar = calendar_for(clock.clock, clock.order, policy)
            new_due = add_duration(clock.started_at, policy_duration(clock.clock, policy), calendar)
            if new_due == clock.due_at:
                continue
            old_due = clock.due_at
            clock.due_at = new_due
            clock.warn_at = warning_time(clock.started_at, new_due, policy)
            clock.policy_version = policy.version
            clock.save(update_fields=["due_at", "warn_at", "policy_version"])
            record_event(
                clock.order,
                Action.DEADLINE_RECOMPUTE,
                actor,
                now,
                from_status=clock.order.status,
                to_status=clock.order.status,
                data={
                    "clock": clock.clock,
                    "round": clock.dispatch_round,
                    "old_due_at": old_due.isoformat(),
                    "new_due_at": new_due.isoformat(),
                    "policy_version": policy.version,
                },
            )
            moved += 1
    logger.info("recomputed %d open clocks with policy version %d", moved, policy.version)
    return moved
