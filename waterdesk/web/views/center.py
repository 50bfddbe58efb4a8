"""The center's queues: replies to review, clocks overdue or near due across departments."""

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import ReplyStatus
from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import Status

from ..access import CENTER_ROLES, page
from ..forms import ReviewForm
from ..presenters import present_clock

QUEUE_LIMIT = 100


def open_clocks(user):
    """Open clocks of the orders `user` may see, with their order, department and category."""
    return Clock.objects.filter(
        met_at__isnull=True,
        stopped_at__isnull=True,
        order__in=visible_orders(user),
    ).select_related("order", "order__department", "order__category")


def center_context(user) -> dict:
    now = timezone.now()
    to_review = list(
        visible_orders(user)
        .filter(status=Status.REPLIED)
        .select_related("category", "department")
        .prefetch_related("replies__author")
        .order_by("replied_at", "id")[:QUEUE_LIMIT]
    )
    for order in to_review:
        submitted = [reply for reply in order.replies.all() if reply.status == "submitted"]
        order.submitted_reply = submitted[-1] if submitted else None

    overdue = open_clocks(user).filter(due_at__lte=now).order_by("due_at")[:QUEUE_LIMIT]
    near_due = (
        open_clocks(user).filter(warn_at__lte=now, due_at__gt=now).order_by("due_at")[:QUEUE_LIMIT]
    )
    met_callback = Clock.objects.filter(
        order=OuterRef("pk"), clock=ClockName.CALLBACK, met_at__isnull=False
    )
    # An unsatisfied callback leaves the order awaiting callback with its callback clock met:
    # the center closes it with a reason or has it dispatched again.
    needs_decision = list(
        visible_orders(user)
        .filter(status=Status.CALLBACK_PENDING)
        .filter(Exists(met_callback))
        .select_related("category", "department")
        .order_by("updated_at")[:QUEUE_LIMIT]
    )
    return {
        "to_review": to_review,
        "review_form": ReviewForm(),
        "overdue": [present_clock(clock, now) for clock in overdue],
        "near_due": [present_clock(clock, now) for clock in near_due],
        "needs_decision": needs_decision,
        "approved_status": ReplyStatus.APPROVED,
        "updated_at": now,
    }


@page(*CENTER_ROLES)
def center(request):
    return render(request, "web/center.html", center_context(request.user))


@page(*CENTER_ROLES)
def center_live(request):
    return render(request, "web/partials/center_clocks.html", center_context(request.user))
