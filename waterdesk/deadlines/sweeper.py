"""One pass of the deadline sweeper: warn before clocks break, record each breach once.

A pass reads only clocks whose warning or due time has come, through partial indexes, so its cost
follows the number of due clocks and not the number of orders. Several passes may run at once (on
several Celery workers): rows locked by another pass are skipped (`SKIP LOCKED` on PostgreSQL), and
each warning or breach is a compare-and-set update that only one pass can win.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction

from waterdesk.orders.statuses import Action
from waterdesk.orders.transitions import record_event

from .clocks import clock_event_data, record_breach
from .models import Clock

logger = logging.getLogger(__name__)

# Clocks handled per transaction. A batch of 500 keeps each transaction's locks short while a
# pass over 1,000 due clocks needs only two round trips per kind.
BATCH_SIZE = 500


@dataclass
class SweepResult:
    warned: int = 0
    breached: int = 0


def open_clocks():
    return Clock.objects.filter(met_at__isnull=True, stopped_at__isnull=True)


def sweep(now: datetime.datetime) -> SweepResult:
    """Run one pass at `now` and return how many warnings and breaches it recorded.

    1. Breaches first: open clocks with `due_at <= now` and no breach yet.
    2. Then warnings: open clocks with `warn_at <= now < due_at`, not yet warned. A clock whose due
       time has already passed gets its breach and no late warning.
    """
    result = SweepResult()
    while True:
        selected, handled = _breach_batch(now)
        result.breached += handled
        if selected < BATCH_SIZE:
            break
    while True:
        selected, handled = _warn_batch(now)
        result.warned += handled
        if selected < BATCH_SIZE:
            break
    if result.warned or result.breached:
        logger.info(
            "deadline sweep at %s: %d warned, %d breached",
            now.isoformat(),
            result.warned,
            result.breached,
        )
    return result


def _breach_batch(now: datetime.datetime) -> tuple[int, int]:
    """Breach one batch of due clocks; returns how many were selected and how many breached."""
    with transaction.atomic():
        batch = list(
            open_clocks()
            .filter(breached_at__isnull=True, due_at__lte=now)
            .select_related("order__department")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("due_at")[:BATCH_SIZE]
        )
        handled = 0
        for clock in batch:
            # The breach time is the due time; the event's time is when the sweep noticed it.
            won = (
                open_clocks()
                .filter(pk=clock.pk, breached_at__isnull=True)
                .update(breached_at=clock.due_at)
            )
            if not won:
                continue
            handled += 1
            record_breach(clock, clock.order, now)
            logger.warning(
                "order %s: %s deadline breached (due %s)",
                clock.order.number,
                clock.clock,
                clock.due_at.isoformat(),
            )
        return len(batch), handled


def _warn_batch(now: datetime.datetime) -> tuple[int, int]:
    """Warn one batch of clocks; returns how many were selected and how many warned."""
    with transaction.atomic():
        batch = list(
            open_clocks()
            .filter(
                warned_at__isnull=True, breached_at__isnull=True, warn_at__lte=now, due_at__gt=now
            )
            .select_related("order__department")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("warn_at")[:BATCH_SIZE]
        )
        handled = 0
        for clock in batch:
            won = open_clocks().filter(pk=clock.pk, warned_at__isnull=True).update(warned_at=now)
            if not won:
                continue
            handled += 1
            record_event(
                clock.order,
                Action.WARNING,
                None,
                now,
                from_status=clock.order.status,
                to_status=clock.order.status,
                data={
                    **clock_event_data(clock, clock.order),
                    "seconds_left": int((clock.due_at - now).total_seconds()),
                },
            )
        return len(batch), handled
