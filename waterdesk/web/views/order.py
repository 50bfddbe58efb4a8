"""The order page, its print view (派工单), and the reply check run as the handler types."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from waterdesk.orders.permissions import available_actions
from waterdesk.orders.statuses import Status
from waterdesk.policy.models import get_policy
from waterdesk.replies.service import check_reply_for_order

from ..access import citizen_name, citizen_phone, get_visible_order, page
from ..forms import (
    CloseForm,
    ContactAttemptForm,
    DispatchForm,
    ReplyForm,
    ReviewForm,
    normalize_newlines,
)
from ..presenters import present_clock, timeline
from ..replycheck import numbered, segments
from ..request_panel import REQUEST_FORMS, new_request_form, refine_actions, request_context

# The form class of each action that the order page offers as a form.
ACTION_FORMS = {
    "dispatch": DispatchForm,
    "contact_attempt": ContactAttemptForm,
    "reply": ReplyForm,
    "review": ReviewForm,
    "close": CloseForm,
}


def order_context(request, order, forms: dict | None = None) -> dict:
    """Return what the order page and the print view show of `order` to the request's user."""
    now = timezone.now()
    user = request.user
    actions = refine_actions(user, order, available_actions(user, order))
    if "callback" in actions and not _callback_due(order):
        # The callback action is allowed on accepted orders for the process callback, but only
        # an order that owes one is worth a button.
        actions.remove("callback")
    action_forms = {name: ACTION_FORMS[name]() for name in actions if name in ACTION_FORMS}
    for name in actions:
        if name in REQUEST_FORMS:
            action_forms[name] = new_request_form(name, order)
    if "dispatch" in action_forms:
        action_forms["dispatch"] = DispatchForm(initial={"department": order.department.code})
    action_forms.update(forms or {})
    replies = list(order.replies.select_related("author", "reviewed_by").order_by("submitted_at"))
    return {
        "order": order,
        "phone": citizen_phone(order, user),
        "reporter": citizen_name(order, user),
        "clocks": [present_clock(clock, now) for clock in order.clocks.order_by("started_at")],
        "timeline": timeline(order),
        "contact_attempts": list(order.contact_attempts.select_related("actor")),
        "replies": replies,
        "current_reply": replies[-1] if replies else None,
        "callbacks": list(order.callbacks.select_related("agent")),
        "actions": actions,
        "forms": action_forms,
        "is_open": order.status in (Status.NEW, Status.DISPATCHED, Status.ACCEPTED),
        "callback_lines": get_policy().callback_lines,
        "now": now,
        **request_context(user, order, actions),
    }


def _callback_due(order) -> bool:
    return order.status == Status.CALLBACK_PENDING or (
        order.process_callback_pending and order.status == Status.ACCEPTED
    )


@page()
def order_page(request, number: str):
    order = get_visible_order(request.user, number)
    return render(request, "web/order.html", order_context(request, order))


@page()
def print_view(request, number: str):
    order = get_visible_order(request.user, number)
    return render(request, "web/order_print.html", order_context(request, order))


@require_POST
@page()
def reply_check(request, number: str):
    """Check the reply text as typed and show each violation on the words it points at."""
    order = get_visible_order(request.user, number)
    text = normalize_newlines(request.POST.get("content", ""))
    policy = get_policy()
    if not text.strip():
        return render(request, "web/partials/reply_check.html", {"empty": True})
    text = text[: policy.max_reply_length]
    result = check_reply_for_order(text, order, policy)
    violations = numbered(result.violations)
    earliest = result.earliest_order_number
    prefix_violation = next(
        (item for item in violations if item["rule"] == "bad_exemption_prefix"), None
    )
    context = {
        "segments": segments(text, violations),
        "violations": violations,
        "ok": not any(item["severity"] == "error" for item in violations),
        "earliest_order_number": earliest if earliest and earliest not in text else None,
        "suggested_prefix": result.suggested_prefix,
        "prefix_violation": prefix_violation,
        "prefix_text": (
            text[prefix_violation["start"] : prefix_violation["end"]]
            if prefix_violation and prefix_violation.get("start") is not None
            else ""
        ),
    }
    return render(request, "web/partials/reply_check.html", context)
