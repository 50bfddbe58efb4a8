"""The department inbox: orders to accept, orders in progress, replies rejected at review."""

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone

from waterdesk.orders.listing import SORT_NEAREST_DUE, page_of_orders
from waterdesk.orders.models import Reply, ReplyStatus
from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import Status
from waterdesk.organization.models import Role

from ..access import DEPARTMENT_ROLES, page
from ..presenters import open_clocks_prefetch, running_clocks

SECTION_LIMIT = 100


def _rows(orders, now) -> list[dict]:
    page_rows, _next = page_of_orders(orders, SORT_NEAREST_DUE, None, SECTION_LIMIT)
    prefetch_related_objects(page_rows, open_clocks_prefetch())
    return [{"order": order, "clocks": running_clocks(order, now)} for order in page_rows]


def inbox_context(user) -> dict:
    now = timezone.now()
    orders = visible_orders(user).select_related("category", "department")
    rejected_reply = Reply.objects.filter(
        order=OuterRef("pk"),
        status=ReplyStatus.REJECTED,
        dispatch_round=OuterRef("dispatch_round") - 1,
    )
    working = orders.filter(status__in=[Status.DISPATCHED, Status.ACCEPTED])
    rejected = list(
        working.filter(Exists(rejected_reply)).prefetch_related("replies").order_by("-updated_at")
    )
    for order in rejected:
        order.rejected_reply = max(
            (reply for reply in order.replies.all() if reply.status == ReplyStatus.REJECTED),
            key=lambda reply: reply.submitted_at,
        )
    return {
        "to_accept": _rows(orders.filter(status=Status.DISPATCHED), now),
        "in_progress": _rows(orders.filter(status=Status.ACCEPTED), now),
        "awaiting_review": _rows(orders.filter(status=Status.REPLIED), now),
        "rejected": rejected,
        # Only handlers accept, so a department head gets the same lists without the button.
        "can_accept": user.has_role(Role.HANDLER),
        "updated_at": now,
    }


@page(*DEPARTMENT_ROLES)
def inbox(request):
    return render(request, "web/inbox.html", inbox_context(request.user))


@page(*DEPARTMENT_ROLES)
def inbox_live(request):
    return render(request, "web/partials/inbox_live.html", inbox_context(request.user))
