"""One pass of the deadline sweeper: warn before clocks break, record each breach once.

A pass reads only clocks whose warning or due time has come, through partial indexes, so its cost
follows the number of due clocks and not the number of orders. Several passes may run at once (on
several Celery workers): rows locked by another pass are skipped (`SKIP LOCKED` on PostgreSQL), and
each batch is marked with a compare-and-set update that only the pass holding the rows can win.
Events and notifications of a batch are written in bulk, in the batch's transaction.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from waterdesk.orders import hooks
from waterdesk.orders.models import OrderEvent, WorkOrder
from waterdesk.orders.statuses import Action

from .clocks import clock_event_data
from .models import Clock

logger = logging.getLogger(__name__)

# Clocks handled per transaction. A batch of 1,000 holds its clock locks for about a tenth of a
# second, and a pass that finds fewer due clocks than that ends after one batch per kind.
BATCH_SIZE = 1000
# Order numbers named in the log line of one batch; the rest are counted.
LOGGED_NUMBERS = 10


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
    return result


# The columns a batch reads: the clock's own, and what its events and messages name of the order,
# its department and its handler. The order's texts and times stay unread.
BATCH_COLUMNS = (
    *(field.name for field in Clock._meta.concrete_fields),
    "order__number",
    "order__status",
    "order__department__code",
    "order__accepted_by__username",
    "order__accepted_by__phone",
    "order__accepted_by__is_active",
)


def _lock_batch(due_filter: dict, order_by: str) -> list[Clock]:
    return list(
        open_clocks()
        .filter(**due_filter)
        .select_related("order__department", "order__accepted_by")
        .only(*BATCH_COLUMNS)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by(order_by)[:BATCH_SIZE]
    )


def _events(
    clocks: list[Clock], action: str, now: datetime.datetime, extra: dict[int, dict] | None = None
) -> list[OrderEvent]:
    extra = extra or {}
    return [
        OrderEvent(
            order=clock.order,
            at=now,
            actor=None,
            action=action,
            from_status=clock.order.status,
            to_status=clock.order.status,
            data={**clock_event_data(clock, clock.order), **extra.get(clock.pk, {})},
        )
        for clock in clocks
    ]


def _breach_batch(now: datetime.datetime) -> tuple[int, int]:
    """Breach one batch of due clocks; returns how many were selected and how many breached."""
    with transaction.atomic():
        batch = _lock_batch({"breached_at__isnull": True, "due_at__lte": now}, "due_at")
        if not batch:
            return 0, 0
        # This transaction holds the rows' locks, so the compare-and-set wins for the whole batch
        # unless a clock was met or breached before the lock was taken; those are left out.
        ids = [clock.pk for clock in batch]
        updated = (
            open_clocks()
            .filter(pk__in=ids, breached_at__isnull=True)
            .update(breached_at=F("due_at"))
        )
        won_clocks = batch if updated == len(batch) else _won(batch, breached_at=F("due_at"))
        OrderEvent.objects.bulk_create(_events(won_clocks, Action.BREACH, now))
        _mark_assessment_stale(won_clocks)
        hooks.deadlines_breached(won_clocks, now)
        _log_batch("breached", won_clocks)
        return len(batch), len(won_clocks)


def _warn_batch(now: datetime.datetime) -> tuple[int, int]:
    """Warn one batch of clocks; returns how many were selected and how many warned."""
    with transaction.atomic():
        batch = _lock_batch(
            {
                "warned_at__isnull": True,
                "breached_at__isnull": True,
                "warn_at__lte": now,
                "due_at__gt": now,
            },
            "warn_at",
        )
        if not batch:
            return 0, 0
        ids = [clock.pk for clock in batch]
        updated = open_clocks().filter(pk__in=ids, warned_at__isnull=True).update(warned_at=now)
        won_clocks = batch if updated == len(batch) else _won(batch, warned_at=now)
        seconds_left = {
            clock.pk: {"seconds_left": int((clock.due_at - now).total_seconds())}
            for clock in won_clocks
        }
        OrderEvent.objects.bulk_create(_events(won_clocks, Action.WARNING, now, seconds_left))
        hooks.deadlines_warned(won_clocks, now)
        _log_batch("warned", won_clocks)
        return len(batch), len(won_clocks)


def _mark_assessment_stale(breached: list[Clock]) -> None:
    """Mark the orders whose assessment facts a breach changes.

    A clock counts as met in time when some round of it was met and no round breached. A breach
    in the first round changes nothing, because no round was met yet. A breach in a later round
    turns an order that was on time so far into a late one.
    """
    order_ids = {clock.order_id for clock in breached if clock.dispatch_round > 1}
    if order_ids:
        WorkOrder.objects.filter(pk__in=order_ids, assessment_stale=False).update(
            assessment_stale=True
        )


def _won(batch: list[Clock], **marked) -> list[Clock]:
    """Return the clocks of `batch` that this pass marked (the others changed before the lock)."""
    won = set(
        Clock.objects.filter(pk__in=[clock.pk for clock in batch], **marked).values_list(
            "pk", flat=True
        )
    )
    return [clock for clock in batch if clock.pk in won]


def _log_batch(what: str, clocks: list[Clock]) -> None:
    if not clocks:
        return
    numbers = ", ".join(f"{clock.order.number}/{clock.clock}" for clock in clocks[:LOGGED_NUMBERS])
    more = len(clocks) - LOGGED_NUMBERS
    logger.warning(
        "deadline sweep: %d clocks %s: %s%s",
        len(clocks),
        what,
        numbers,
        f" and {more} more" if more > 0 else "",
    )
