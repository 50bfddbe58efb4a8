"""The callback desk (回访): the queue by callback due time, and one callback's script and form."""

from zoneinfo import ZoneInfo

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import render
from django.utils import timezone

from waterdesk.api.serializers import mask_phone
from waterdesk.callbacks.models import CallbackKind
from waterdesk.deadlines.calendar import next_opening, period_at
from waterdesk.deadlines.calendars import callback_calendar
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import ReplyStatus
from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import Status
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from ..access import get_visible_order, page
from ..forms import CALLBACK_STEPS, CallbackForm
from ..presenters import present_clock
from .order import order_context

DESK_ROLES = (Role.CALLBACK_AGENT, Role.DISPATCHER, Role.CENTER_HEAD)
QUEUE_LIMIT = 200


def window_context(now) -> dict:
    """Say whether a callback window is open now, and if not, when the next one opens."""
    policy = get_policy()
    calendar = callback_calendar(policy)
    slot = period_at(now, calendar)
    zone = ZoneInfo(policy.timezone)
    return {
        "window_open": slot is not None,
        "window_closes_at": slot.end.astimezone(zone) if slot else None,
        "next_window_at": None if slot else next_opening(now, calendar).astimezone(zone),
        "callback_windows": policy.callback_windows,
        "callback_lines": policy.callback_lines,
    }


def callback_kind_due(order) -> str | None:
    """Return the callback the order owes now: the result callback after an approved reply, the
    process callback after an approved extension, or None."""
    if order.status == Status.CALLBACK_PENDING:
        return CallbackKind.RESULT
    # The flag stays set when the order moves on without its process callback, and the
    # process callback is due only while the order is being worked on, as in the API queue.
    if order.process_callback_pending and order.status == Status.ACCEPTED:
        return CallbackKind.PROCESS
    return None


def callback_phone(order, user) -> str | None:
    """The citizen's phone in full for callback agents, who make the call; masked for others."""
    return order.phone if user.has_role(Role.CALLBACK_AGENT) else mask_phone(order.phone)


@page(*DESK_ROLES)
def desk(request):
    now = timezone.now()
    callback_clock = Clock.objects.filter(order=OuterRef("pk"), clock=ClockName.CALLBACK)
    orders = list(
        visible_orders(request.user)
        .filter(
            Q(status=Status.CALLBACK_PENDING)
            | Q(process_callback_pending=True, status=Status.ACCEPTED)
        )
        .select_related("category", "department")
        .annotate(
            callback_due=Subquery(callback_clock.order_by("-dispatch_round").values("due_at")[:1])
        )
        .prefetch_related(
            "replies",
            "callbacks",
            Prefetch(
                "clocks",
                queryset=Clock.objects.filter(clock=ClockName.CALLBACK).order_by("-dispatch_round"),
                to_attr="callback_clocks",
            ),
        )
        .order_by(F("callback_due").asc(nulls_last=True), "id")[:QUEUE_LIMIT]
    )
    rows = []
    for order in orders:
        approved = [reply for reply in order.replies.all() if reply.status == ReplyStatus.APPROVED]
        clock = order.callback_clocks[0] if order.callback_clocks else None
        rows.append(
            {
                "order": order,
                "phone": callback_phone(order, request.user),
                "reply": approved[-1] if approved else None,
                "attempts": list(order.callbacks.all()),
                "clock": present_clock(clock, now) if clock else None,
                # An unsatisfied callback leaves the order to the center, which closes it or
                # dispatches it again; the agent has nothing more to do on it.
                "kind": callback_kind_due(order),
                "needs_center_decision": (
                    order.status == Status.CALLBACK_PENDING
                    and clock is not None
                    and clock.met_at is not None
                ),
            }
        )
    return render(request, "web/callback_desk.html", {"rows": rows, **window_context(now)})


def callback_context(request, order, form: CallbackForm | None = None) -> dict:
    approved = order.replies.filter(status=ReplyStatus.APPROVED).order_by("-submitted_at").first()
    return {
        "callback_form": form or CallbackForm(kind=callback_kind_due(order) or CallbackKind.RESULT),
        "callback_steps": CALLBACK_STEPS,
        "callback_phone": callback_phone(order, request.user),
        "approved_reply": approved,
        **window_context(timezone.now()),
    }


@page(*DESK_ROLES)
def callback_page(request, number: str):
    order = get_visible_order(request.user, number)
    context = order_context(request, order)
    context.update(callback_context(request, order))
    return render(request, "web/callback.html", context)
