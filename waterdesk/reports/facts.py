"""Derive each order's assessment facts (reports.OrderFacts) from the figures' conditions.

An event marks its order `assessment_stale` in the event's own transaction; this module derives
the facts of stale orders again and clears the mark. A periodic task keeps the backlog short
(Celery beat, or a thread of `manage.py serve` on the embedded default), and the monthly report
derives whatever is still stale in its month before counting, so a report never reads an
out-of-date fact.

Each batch locks its orders (`FOR UPDATE`, skipping orders an action holds when run
periodically), so no action can change an order between reading its rows and clearing its mark.
"""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.utils import timezone

from waterdesk.orders.models import ExemptionStatus, WorkOrder
from waterdesk.orders.statuses import Status

from .definitions import FIGURES
from .models import OrderFacts

logger = logging.getLogger(__name__)

# Orders derived per transaction: short enough to hold their locks briefly, long enough that a
# backfill of a million orders takes minutes rather than hours.
BATCH_SIZE = 2000
# A periodic pass stops after this many batches; the next pass goes on with the rest.
MAX_BATCHES_PER_PASS = 50

EXCLUDED = Q(exemption_status=ExemptionStatus.APPROVED)
BASE_CONDITIONS = {
    "counted": ~Q(status=Status.MERGED) & ~EXCLUDED,
    "excluded": EXCLUDED,
}
# Every figure but `received` (all counted orders) has a column of its own.
FACT_CONDITIONS = {
    **BASE_CONDITIONS,
    **{figure.name: figure.condition for figure in FIGURES if figure.condition},
}
FACT_FIELDS = tuple(FACT_CONDITIONS)


def derived_facts(order_ids, now: datetime.datetime) -> QuerySet:
    """Return the facts of the given orders as rows, in the column order of FACT_COLUMNS.

    Every value is an annotation (prefixed, because some fact names are also reverse relations
    of WorkOrder), so the SELECT lists the columns in exactly this order.
    """
    annotations = {
        "fact_order_id": F("pk"),
        "fact_created_at": F("created_at"),
        "fact_department_id": F("department_id"),
        "fact_derived_at": Value(now, output_field=DateTimeField()),
        **{
            f"fact_{name}": ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in FACT_CONDITIONS.items()
        },
    }
    return (
        WorkOrder.objects.filter(pk__in=order_ids)
        .order_by()
        .annotate(**annotations)
        .values(*annotations)
    )


FACT_COLUMNS = ("order_id", "created_at", "department_id", "derived_at", *FACT_FIELDS)


def _write_facts(order_ids: list[int], now: datetime.datetime) -> None:
    """Insert or overwrite the facts of the given orders in one INSERT ... SELECT.

    The rows never leave the database, which keeps a backfill of a million orders to minutes.
    """
    select_sql, params = derived_facts(order_ids, now).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in FACT_COLUMNS)
    updates = ", ".join(
        f"{quote(column)} = excluded.{quote(column)}" for column in FACT_COLUMNS[1:]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(OrderFacts._meta.db_table)} ({columns}) {select_sql} "
            f"ON CONFLICT ({quote('order_id')}) DO UPDATE SET {updates}",
            params,
        )


def _refresh_batch(stale, now: datetime.datetime, *, wait: bool) -> int:
    with transaction.atomic():
        order_ids = list(
            stale.order_by()
            .select_for_update(skip_locked=not wait)
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not order_ids:
            return 0
        _write_facts(order_ids, now)
        WorkOrder.objects.filter(pk__in=order_ids).update(assessment_stale=False)
    return len(order_ids)


def _refresh_batches(stale, now: datetime.datetime, *, wait: bool, max_batches: int | None) -> int:
    """Run batches until one comes back short or `max_batches` ran; returns the orders derived."""
    derived = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        count = _refresh_batch(stale, now, wait=wait)
        derived += count
        batches += 1
        if count < BATCH_SIZE:
            break
    return derived


def refresh_stale_facts(now: datetime.datetime | None = None) -> int:
    """Derive the facts of stale orders, up to MAX_BATCHES_PER_PASS batches; returns how many.

    Orders that an action holds locked are left for the next pass: the action is about to
    change them again anyway.
    """
    now = now or timezone.now()
    stale = WorkOrder.objects.filter(assessment_stale=True)
    derived = _refresh_batches(stale, now, wait=False, max_batches=MAX_BATCHES_PER_PASS)
    if derived:
        logger.info("assessment facts derived for %d orders", derived)
    return derived


def refresh_month_facts(start: datetime.datetime, end: datetime.datetime) -> int:
    """Derive every stale order created in [start, end), waiting for locked ones; returns how many.

    The monthly report calls this first, so the figures it counts are never behind an event.
    """
    now = timezone.now()
    stale = WorkOrder.objects.filter(
        assessment_stale=True, created_at__gte=start, created_at__lt=end
    )
    derived = _refresh_batches(stale, now, wait=True, max_batches=None)
    if derived:
        logger.info(
            "assessment facts derived for %d orders created %s to %s before the report",
            derived,
            start.isoformat(),
            end.isoformat(),
        )
    return derived
