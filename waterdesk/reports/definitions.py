"""The monthly assessment's figures, each defined once as a condition on the orders behind it.

Orders are attributed to their responsible department (a rejected hand-over or a return leaves
the order with the department that asked, so buck-passing and returns count against that
department too). `reports.facts` evaluates these conditions per order into OrderFacts, which
`reports.figures` counts.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from waterdesk.callbacks.models import CallbackAttempt, CallbackKind, CallbackOutcome
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import OrderRequest, Reply, ReplyStatus
from waterdesk.orders.request_models import RequestKind, RequestStatus
from waterdesk.orders.statuses import OrderType, Status


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    # The time the figure is counted by, for the user documentation.
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
