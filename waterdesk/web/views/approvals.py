"""The approvals queue: every request, redo reply and proposed exemption awaiting the user.

Each item links to the decision form on its order's page, so the decision is taken with the
whole order in view and through the same form as anywhere else.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.orders.approvals import exemptions_for, open_requests_for, redo_replies_for
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.request_models import RequestKind
from waterdesk.organization.models import Role

from ..access import page
from ..request_panel import EXEMPTION_KIND_LABELS

APPROVAL_ROLES = (Role.DISPATCHER, Role.CENTER_HEAD, Role.DEPARTMENT_HEAD)

# The order page's decision form of each request kind.
DECISION_ACTIONS = {
    RequestKind.TRANSFER: "transfer_decision",
    RequestKind.RETURN: "return_decision",
    RequestKind.EXTENSION: "extension_decision",
    RequestKind.REPORT: "report_decision",
}


@dataclass(frozen=True)
class ApprovalItem:
    order: WorkOrder
    kind_label: str
    waiting_since: object
    requested_by: str
    summary: str
    late: bool
    # Id of the decision form on the order page, the target of the item's link.
    form_id: str


def _request_summary(item) -> str:
    if item.kind == RequestKind.TRANSFER:
        return _("To %(department)s, agreed by %(person)s.") % {
            "department": item.target_department.name if item.target_department else "—",
            "person": item.contact_person or "—",
        }
    if item.kind == RequestKind.RETURN:
        return _("To %(unit)s: %(reason)s") % {"unit": item.target_unit, "reason": item.reason}
    if item.kind == RequestKind.EXTENSION:
        return _("Completion promised by %(time)s: %(reason)s") % {
            # The page decorator activates the policy's time zone, so this is the local time.
            "time": timezone.localtime(item.expected_done_at).strftime("%Y-%m-%d %H:%M"),
            "reason": item.reason,
        }
    return item.constraints


def approval_items(user) -> list[ApprovalItem]:
    """Return what awaits `user`'s decision, oldest first."""
    items = [
        ApprovalItem(
            order=item.order,
            kind_label=RequestKind(item.kind).label,
            waiting_since=item.department_head_decided_at or item.requested_at,
            requested_by=item.requested_by.display_name,
            summary=_request_summary(item),
            late=item.late,
            form_id=f"action-{DECISION_ACTIONS[item.kind]}",
        )
        for item in open_requests_for(user)
    ]
    items += [
        ApprovalItem(
            order=reply.order,
            kind_label=_("Redo reply"),
            waiting_since=reply.department_head_approved_at or reply.submitted_at,
            requested_by=reply.author.display_name,
            summary=reply.content,
            late=False,
            form_id="action-redo_approval",
        )
        for reply in redo_replies_for(user).select_related("author")
    ]
    items += [
        ApprovalItem(
            order=order,
            kind_label=_("Exclusion from the assessment"),
            waiting_since=order.replied_at,
            requested_by=order.department.name,
            summary=str(EXEMPTION_KIND_LABELS.get(order.exemption_kind, "")),
            late=False,
            form_id="action-exemption_decision",
        )
        for order in exemptions_for(user)
    ]
    return sorted(items, key=lambda item: (item.waiting_since is None, item.waiting_since))


def count_approvals(user) -> int:
    """Count what awaits `user`'s decision, with three count queries."""
    return (
        open_requests_for(user).count()
        + redo_replies_for(user).count()
        + exemptions_for(user).count()
    )


@page(*APPROVAL_ROLES)
def approvals(request):
    return render(request, "web/approvals.html", {"approval_items": approval_items(request.user)})
