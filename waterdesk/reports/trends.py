"""Month-by-month views of the assessment: the headline rates and the breached deadline clocks.

Both count the same base set of orders as the monthly report (created in the month, without
merged duplicates and excluded orders), attributed to the responsible department.
"""

from django.db.models import Count

from waterdesk.deadlines.models import Clock, ClockName

from .figures import compute_month, figure_orders
from .models import MonthlySnapshot
from .service import monthly_report, read_month

# The headline rates of the assessment, in the order the dashboard lists them.
HEADLINE_RATES = ("on_time_closure_rate", "closure_rate", "satisfaction_rate")


def months_ending(last_month: str, count: int) -> list[str]:
    """Return the `count` months that end with `last_month`, oldest first, as YYYY-MM."""
    year, number = (int(part) for part in read_month(last_month).split("-"))
    index = year * 12 + number - 1
    months = []
    for offset in range(count - 1, -1, -1):
        year, zero_based = divmod(index - offset, 12)
        months.append(f"{year:04d}-{zero_based + 1:02d}")
    return months


def rate_trend(
    last_month: str, months: int, timezone_name: str, department: str | None = None
) -> list[dict]:
    """Return the headline rates of the `months` months ending with `last_month`, oldest first.

    A finalised month gives its frozen figures through `monthly_report`. Other months are
    computed now in `timezone_name`: pass the policy's zone, which `monthly_report` uses, so
    live and frozen months count the same orders. A rate is None when its denominator is zero,
    for example in a month without orders, so a chart leaves a gap there instead of a zero.
    """
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    names = months_ending(last_month, months)
    finalized = set(MonthlySnapshot.objects.filter(month__in=names).values_list("month", flat=True))

    trend = []
    for month in names:
        if month in finalized:
            # A department without orders in a frozen month has no row, so its total is None.
            total = monthly_report(month, department)["total"] or {}
        else:
            total = compute_month(month, timezone_name, department)["total"]
        trend.append(
            {
                "month": month,
                "finalized": month in finalized,
                "received": total.get("received", 0),
                **{rate: total.get(rate) for rate in HEADLINE_RATES},
            }
        )
    return trend


def breaches_by_clock(
    month: str, timezone_name: str, department: str | None = None
) -> dict[str, int]:
    """Count the breached clocks of the month's orders per clock name, every name included.

    Each breached round counts, so an order dispatched twice can add two breaches of one clock.
    The counts are always live: a finalised month's snapshot does not store clocks.
    """
    orders = figure_orders(read_month(month), timezone_name, "received", department)
    counts = dict(
        Clock.objects.filter(order__in=orders, breached_at__isnull=False)
        .order_by()
        .values("clock")
        .annotate(breaches=Count("pk"))
        .values_list("clock", "breaches")
    )
    return {name: counts.get(name, 0) for name in ClockName.values}
