"""What the order page shows of an order's requests and attachments, and which request forms it
offers to the user.

The permission table in orders.permissions lists which roles may take an action in a status.
A two-step approval also has a turn: the department head first, then the center head. An
extension also has a count limit. The page offers a form only when the action would accept it.
"""

import datetime

from django.utils.translation import gettext_lazy

from waterdesk.deadlines import clocks
from waterdesk.deadlines.models import ClockName
from waterdesk.orders.duplicates import find_likely_duplicates
from waterdesk.orders.models import Reply, ReplyStatus, WorkOrder
from waterdesk.orders.request_models import OPEN_REQUEST_STATUSES, RequestKind, RequestStatus
from waterdesk.orders.statuses import Action, Status, allowed_targets
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from .request_forms import (
    AttachmentForm,
    DecisionForm,
    ExtensionRequestForm,
    MergeForm,
    ReportForm,
    ReturnRequestForm,
    TransferRequestForm,
)

# The form class of each request action that the order page offers.
REQUEST_FORMS = {
    "transfer_request": TransferRequestForm,
    "transfer_decision": DecisionForm,
    "return_request": ReturnRequestForm,
    "return_decision": DecisionForm,
    "extension_request": ExtensionRequestForm,
    "extension_decision": DecisionForm,
    "redo_approval": DecisionForm,
    "report": ReportForm,
    "report_decision": DecisionForm,
    "merge": MergeForm,
    "exemption_decision": DecisionForm,
    "attachment": AttachmentForm,
}

# Reasons for excluding an order from the assessment, by the exemption kind of its reply prefix.
EXEMPTION_KIND_LABELS = {
    "policy": gettext_lazy("The request is not supported by law, policy or standards"),
    "judicial": gettext_lazy("The request is already before a court"),
    "petition": gettext_lazy("The request is already handled as a petition"),
}

# Statuses of an order that can no longer take a duplicate.
CLOSED_TO_DUPLICATES = (Status.MERGED, Status.RETURNED)


def new_request_form(name: str, order: WorkOrder, data=None, files=None):
    """Return the form of request action `name`, bound to `data` when given."""
    form_class = REQUEST_FORMS[name]
    extra = {"own_department_id": order.department_id} if form_class is TransferRequestForm else {}
    return form_class(data, files, action_name=name, **extra)


def _is_own_department_head(user, order: WorkOrder) -> bool:
    return user.has_role(Role.DEPARTMENT_HEAD) and user.department_id == order.department_id


def _has_turn(user, order: WorkOrder, awaiting_department_head: bool) -> bool:
    """Say whether the next step of a two-step approval is `user`'s."""
    if awaiting_department_head:
        return _is_own_department_head(user, order)
    return user.has_role(Role.CENTER_HEAD)


def _open_request(order: WorkOrder, kind: str):
    return order.requests.filter(kind=kind, status__in=OPEN_REQUEST_STATUSES).first()


def _awaiting_redo_reply(order: WorkOrder) -> Reply | None:
    return order.replies.filter(
        status__in=[ReplyStatus.AWAITING_DEPARTMENT_HEAD, ReplyStatus.AWAITING_CENTER_HEAD]
    ).first()


def _may_attach(user, order: WorkOrder) -> bool:
    """Mirror the checks of add_attachment: own department, and a status that allows it."""
    return (
        user.has_role(Role.HANDLER, Role.DEPARTMENT_HEAD)
        and user.department_id == order.department_id
        and bool(allowed_targets(Action.ATTACHMENT, order.status))
    )


def refine_actions(user, order: WorkOrder, actions: list[str]) -> list[str]:
    """Drop the request actions that are not `user`'s turn or that the order has used up."""
    refined = list(actions)
    if "return_decision" in refined:
        request = _open_request(order, RequestKind.RETURN)
        awaiting = request is not None and request.status == RequestStatus.AWAITING_DEPARTMENT_HEAD
        if request is None or not _has_turn(user, order, awaiting):
            refined.remove("return_decision")
    if "redo_approval" in refined:
        reply = _awaiting_redo_reply(order)
        awaiting = reply is not None and reply.status == ReplyStatus.AWAITING_DEPARTMENT_HEAD
        if reply is None or not _has_turn(user, order, awaiting):
            refined.remove("redo_approval")
    if "extension_request" in refined:
        approved = order.requests.filter(
            kind=RequestKind.EXTENSION, status=RequestStatus.APPROVED
        ).count()
        if approved >= get_policy().extension_max_count:
            refined.remove("extension_request")
    if _may_attach(user, order):
        refined.append("attachment")
    return refined


def _merge_candidates(order: WorkOrder) -> list[dict]:
    """Return the likely duplicates that the order may be merged into: earlier, still open."""
    policy = get_policy()
    found = find_likely_duplicates(
        phone=order.phone,
        address=order.address,
        category_id=order.category_id,
        content=order.content,
        now=order.created_at,
        policy=policy,
        exclude_id=order.pk,
    )
    return [
        item
        for item in found
        if item["order"].created_at <= order.created_at
        and item["order"].merged_into_id is None
        and item["order"].status not in CLOSED_TO_DUPLICATES
    ]


def _extension_limits(order: WorkOrder) -> dict:
    """Return the current due time and the latest completion time an extension may promise."""
    resolution = clocks.open_clock(order, ClockName.RESOLUTION)
    if resolution is None:
        return {}
    days = get_policy().extension_max_days
    return {
        "current_due_at": resolution.due_at,
        "latest_done_at": resolution.due_at + datetime.timedelta(days=days),
        "max_days": days,
    }


def request_context(user, order: WorkOrder, actions: list[str]) -> dict:
    """Return the requests, attachments and helper data that the order page shows."""
    requests = list(
        order.requests.select_related(
            "requested_by",
            "target_department",
            "department_head_decided_by",
            "decided_by",
        ).prefetch_related("attachments")
    )
    open_report = next(
        (
            item
            for item in requests
            if item.kind == RequestKind.REPORT and item.status in OPEN_REQUEST_STATUSES
        ),
        None,
    )
    latest_report = next(
        (item for item in reversed(requests) if item.kind == RequestKind.REPORT), None
    )
    context = {
        "order_requests": requests,
        "attachments": list(order.attachments.select_related("uploaded_by", "request")),
        "open_report": open_report,
        "report_has_scan": bool(open_report and open_report.attachments.all()),
        "latest_report": latest_report,
        "open_return": _open_request(order, RequestKind.RETURN),
        "redo_reply": _awaiting_redo_reply(order) if "redo_approval" in actions else None,
        "exemption_reason": EXEMPTION_KIND_LABELS.get(order.exemption_kind, ""),
    }
    if "merge" in actions:
        context["merge_candidates"] = _merge_candidates(order)
    if "extension_request" in actions:
        context["extension_limits"] = _extension_limits(order)
    return context
