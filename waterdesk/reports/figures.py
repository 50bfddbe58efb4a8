"""The monthly assessment's figures, each defined once as a condition on the orders behind it.

Every count is the number of orders that satisfy the figure's condition, so a count and its
drill-down list always agree. Orders are attributed to their responsible department (a rejected
hand-over or a return leaves the order with the department that asked, so buck-passing and
returns count against that department too).

The base set of a month is the orders created in that month (local time of the policy), without
merged duplicates (the citizen request counts once, on the order they were merged into) and
without orders excluded from the assessment, which are counted apart as `excluded`.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waterdesk.callbacks.models import CallbackAttempt, CallbackKind, CallbackOutcome
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import ExemptionStatus, OrderRequest, Reply, ReplyStatus, WorkOrder
from waterdesk.orders.request_models import RequestKind, RequestStatus
from waterdesk.orders.statuses import OrderType, Status


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    # Which time the figure is counted by, for the user documentation.
    counted_by: str
    condition: Q


def _clock_met_in_time(name: str) -> Q:
    """Return the condition: clock `name` was met in every round and breached in none."""
    clocks = Clock.objects.filter(order=OuterRef("pk"), clock=name)
    return Exists(clocks.filter(met_at__isnull=False)) & ~Exists(
        clocks.filter(Q(breached_at__isnull=False) | Q(met_at__gt=F("due_at")))
    )


def _result_callback(**filters) -> Exists:
    return Exists(
        CallbackAttempt.objects.filter(order=OuterRef("pk"), kind=CallbackKind.RESULT, **filters)
    )


def _request(**filters) -> Exists:
    return Exists(OrderRequest.objects.filter(order=OuterRef("pk"), **filters))


SATISFIED_OUTCOMES = [CallbackOutcome.SATISFIED, CallbackOutcome.BASICALLY_SATISFIED]
CREATED = _("created in the month")
NOW = _("created in the month, state at the time of the report")

FIGURES: tuple[Figure, ...] = (
    Figure("received", _("Orders received"), CREATED, Q()),
    Figure(
        "dispatched_on_time",
        _("Dispatched on time"),
        CREATED,
        _clock_met_in_time(ClockName.DISPATCH),
    ),
    Figure(
        "accepted_on_time", _("Accepted on time"), CREATED, _clock_met_in_time(ClockName.ACCEPT)
    ),
    Figure(
        "contacted_on_time", _("Contacted on time"), CREATED, _clock_met_in_time(ClockName.CONTACT)
    ),
    Figure(
        "replied_on_time", _("Replied on time"), CREATED, _clock_met_in_time(ClockName.RESOLUTION)
    ),
    Figure("closed", _("Closed"), NOW, Q(status=Status.CLOSED)),
    Figure(
        "closed_on_time",
        _("Closed within the time limit"),
        NOW,
        Q(status=Status.CLOSED) & _clock_met_in_time(ClockName.RESOLUTION),
    ),
    Figure(
        "callbacks_due",
        _("Callbacks due"),
        NOW,
        Exists(Clock.objects.filter(order=OuterRef("pk"), clock=ClockName.CALLBACK)),
    ),
    Figure(
        "callbacks_made",
        _("Callbacks made"),
        NOW,
        Exists(Clock.objects.filter(order=OuterRef("pk"), clock=ClockName.CALLBACK))
        & _result_callback(),
    ),
    Figure(
        "callbacks_reached",
        _("Callbacks that reached the citizen"),
        NOW,
        _result_callback(outcome__in=[*SATISFIED_OUTCOMES, CallbackOutcome.UNSATISFIED]),
    ),
    Figure(
        "satisfied",
        _("Satisfied or basically satisfied"),
        NOW,
        _result_callback(outcome__in=SATISFIED_OUTCOMES),
    ),
    Figure(
        "rejected_replies",
        _("Orders with a reply rejected at review"),
        NOW,
        Exists(Reply.objects.filter(order=OuterRef("pk"), status=ReplyStatus.REJECTED)),
    ),
    Figure(
        "buck_passing",
        _("Buck-passing cases"),
        NOW,
        _request(kind=RequestKind.TRANSFER, buck_passing=True),
    ),
    Figure(
        "returns",
        _("Returns to the 12345 hotline"),
        NOW,
        _request(kind=RequestKind.RETURN, status=RequestStatus.APPROVED),
    ),
    Figure(
        "late_returns",
        _("Returns requested late"),
        NOW,
        _request(kind=RequestKind.RETURN, status=RequestStatus.APPROVED, late=True),
    ),
    Figure(
        "extensions",
        _("Extended orders"),
        NOW,
        _request(kind=RequestKind.EXTENSION, status=RequestStatus.APPROVED),
    ),
    Figure("redo_orders", _("Redo orders"), CREATED, Q(order_type=OrderType.REDO)),
    Figure(
        "untrue_replies",
        _("Replies found untrue at callback"),
        NOW,
        _result_callback(reply_truthful=False),
    ),
)
FIGURES_BY_NAME = {figure.name: figure for figure in FIGURES}
# Counted on the excluded orders, which stay out of every other figure.
EXCLUDED = "excluded"

RATES = {
    # rate: (numerator, denominator)
    "closure_rate": ("closed", "received"),
    "on_time_closure_rate": ("closed_on_time", "received"),
    "callback_rate": ("callbacks_made", "callbacks_due"),
    "satisfaction_rate": ("satisfied", "callbacks_reached"),
}


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


def base_orders(month: str, timezone_name: str) -> QuerySet:
    """Return the orders the month's figures count: created in it, not merged, not excluded."""
    return (
        month_orders(month, timezone_name)
        .exclude(status=Status.MERGED)
        .exclude(exemption_status=ExemptionStatus.APPROVED)
    )


def excluded_orders(month: str, timezone_name: str) -> QuerySet:
    return month_orders(month, timezone_name).filter(exemption_status=ExemptionStatus.APPROVED)


def figure_orders(
    month: str, timezone_name: str, figure: str, department: str | None = None
) -> QuerySet:
    """Return the orders behind one figure of one month (and department): the drill-down list."""
    if figure == EXCLUDED:
        orders = excluded_orders(month, timezone_name)
    else:
        orders = base_orders(month, timezone_name).filter(FIGURES_BY_NAME[figure].condition)
    if department:
        orders = orders.filter(department__code=department)
    return orders


def compute_month(month: str, timezone_name: str, department: str | None = None) -> dict:
    """Compute every figure of the month per department and in total, in two grouped queries."""
    orders = base_orders(month, timezone_name)
    excluded = excluded_orders(month, timezone_name)
    if department:
        orders = orders.filter(department__code=department)
        excluded = excluded.filter(department__code=department)
    counts = {
        figure.name: Count("pk", filter=figure.condition) if figure.condition else Count("pk")
        for figure in FIGURES
    }
    rows = {
        row.pop("department__code"): row
        for row in orders.values("department__code").annotate(**counts).order_by("department__code")
    }
    excluded_by_department = dict(
        excluded.values("department__code")
        .annotate(n=Count("pk"))
        .values_list("department__code", "n")
    )
    names = sorted(set(rows) | set(excluded_by_department))
    departments = [
        _row(code, rows.get(code), excluded_by_department.get(code, 0)) for code in names
    ]
    total_counts = {
        name: sum(row[name] for row in departments) for name in [*FIGURES_BY_NAME, EXCLUDED]
    }
    return {"departments": departments, "total": _with_rates({"department": None, **total_counts})}


def _row(code: str, counts: dict | None, excluded: int) -> dict:
    counts = counts or {figure.name: 0 for figure in FIGURES}
    return _with_rates({"department": code, **counts, EXCLUDED: excluded})


def _with_rates(row: dict) -> dict:
    for rate, (numerator, denominator) in RATES.items():
        row[rate] = round(row[numerator] / row[denominator], 4) if row[denominator] else None
    return row
