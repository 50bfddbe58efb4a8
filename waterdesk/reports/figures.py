"""Count the monthly assessment's figures from the per-order facts, and list the orders behind each.

Every count is the number of orders whose fact is true, and the drill-down lists the orders
with the same fact, so a count and its list always agree. The conditions behind the facts are in
`reports.definitions`; `reports.facts` keeps the facts current.

The base set of a month is the orders created in that month (local time of the policy), without
merged duplicates (the citizen request counts once, on the order they were merged into) and
without orders excluded from the assessment, which are counted apart as `excluded`.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import Department

from .definitions import EXCLUDED, FIGURES, FIGURES_BY_NAME, RATES, Figure
from .facts import refresh_month_facts
from .models import OrderFacts

__all__ = ["EXCLUDED", "FIGURES", "FIGURES_BY_NAME", "RATES", "Figure"]


def month_bounds(month: str, timezone_name: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the UTC start and end of a YYYY-MM month in the utility's time zone."""
    year, number = (int(part) for part in month.split("-"))
    zone = ZoneInfo(timezone_name)
    start = datetime.datetime(year, number, 1, tzinfo=zone)
    end = datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def month_orders(month: str, timezone_name: str) -> QuerySet:
    start, end = month_bounds(month, timezone_name)
    return WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)


def _month_facts(month: str, timezone_name: str) -> QuerySet:
    """Return the facts of the month's orders, after deriving any that an event made stale."""
    start, end = month_bounds(month, timezone_name)
    refresh_month_facts(start, end)
    return OrderFacts.objects.filter(created_at__gte=start, created_at__lt=end)


def figure_orders(
    month: str, timezone_name: str, figure: str, department: str | None = None
) -> QuerySet:
    """Return the orders behind one figure of one month (and department): the drill-down list."""
    facts = _month_facts(month, timezone_name)
    if figure == EXCLUDED:
        facts = facts.filter(excluded=True)
    else:
        facts = facts.filter(counted=True)
        if FIGURES_BY_NAME[figure].condition:
            facts = facts.filter(**{figure: True})
    if department:
        facts = facts.filter(department__code=department)
    return WorkOrder.objects.filter(pk__in=facts.values("order_id"))


def compute_month(month: str, timezone_name: str, department: str | None = None) -> dict:
    """Compute every figure of the month per department and in total, in one grouped query."""
    facts = _month_facts(month, timezone_name)
    if department:
        facts = facts.filter(department__code=department)
    counted = Q(counted=True)
    counts = {
        figure.name: Count("pk", filter=counted & Q(**{figure.name: True}))
        if figure.condition
        else Count("pk", filter=counted)
        for figure in FIGURES
    }
    counts[EXCLUDED] = Count("pk", filter=Q(excluded=True))
    rows = list(facts.values("department_id").annotate(**counts).order_by())
    codes = dict(Department.objects.values_list("pk", "code"))
    departments = sorted(
        (_with_rates({"department": codes.get(row.pop("department_id")), **row}) for row in rows),
        key=lambda row: (row["department"] is None, row["department"] or ""),
    )
    total_counts = {
        name: sum(row[name] for row in departments) for name in [*FIGURES_BY_NAME, EXCLUDED]
    }
    return {"departments": departments, "total": _with_rates({"department": None, **total_counts})}


def _with_rates(row: dict) -> dict:
    for rate, (numerator, denominator) in RATES.items():
        row[rate] = round(row[numerator] / row[denominator], 4) if row[denominator] else None
    return row
