"""API endpoints of the exception paths: hand-over, return, extension, redo approvals, written
report, attachments, merging and exemptions. Each calls one function of orders.request_actions.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from waterdesk.orders import request_actions
from waterdesk.orders.approvals import exemptions_for, open_requests_for, redo_replies_for
from waterdesk.orders.duplicates import find_likely_duplicates
from waterdesk.orders.errors import NotFound
from waterdesk.orders.permissions import can_view_order
from waterdesk.orders.report_document import render_report_pdf
from waterdesk.orders.request_models import RequestKind
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from . import schemas
from .common import get_visible_order, order_response, read_body, read_version
from .serializers import (
    local_time,
    serialize_duplicates,
    serialize_order_summary,
    serialize_request,
)

router = Router(tags=["requests"])


def _action_endpoint(path: str, action, schema):
    """Register POST /orders/{number}/<path> calling `action(actor, number, body)`."""

    @router.post(
        f"/{{number}}/{path}",
        openapi_extra=schemas.request_body(schema),
        operation_id=action.__name__,
    )
    def endpoint(request, number: str):
        data = read_body(request)
        order = action(request.auth, number, data, expected_version=read_version(data))
        return order_response(request, order)

    endpoint.__doc__ = action.__doc__
    return endpoint


_action_endpoint("transfers", request_actions.request_transfer, schemas.TransferRequest)
_action_endpoint("transfers/decision", request_actions.decide_transfer, schemas.DecisionRequest)
_action_endpoint("returns", request_actions.request_return, schemas.ReturnRequest)
_action_endpoint("returns/decision", request_actions.decide_return, schemas.DecisionRequest)
_action_endpoint("extensions", request_actions.request_extension, schemas.ExtensionRequest)
_action_endpoint("extensions/decision", request_actions.decide_extension, schemas.DecisionRequest)
_action_endpoint("redo-approvals", request_actions.approve_redo_reply, schemas.DecisionRequest)
_action_endpoint("reports", request_actions.submit_report, schemas.ReportRequest)
_action_endpoint("reports/decision", request_actions.decide_report, schemas.DecisionRequest)
_action_endpoint("merge", request_actions.merge_order, schemas.MergeRequest)
_action_endpoint("exemption/decision", request_actions.decide_exemption, schemas.DecisionRequest)


@router.post("/{number}/attachments")
def upload_attachment(request, number: str, file: UploadedFile = File(None)):
    """Attach a JPEG or PNG photo or a PDF (evidence for a return, the signed report scan)."""
    attachment = request_actions.add_attachment(request.auth, number, file)
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": local_time(attachment.uploaded_at, get_policy().timezone),
    }


@router.get("/{number}/duplicates")
def likely_duplicates(request, number: str):
    """Earlier orders that are probably the same request: same phone, same place, similar text."""
    order = get_visible_order(request, number)
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
    # A department's staff see only their own department's orders, duplicates included.
    visible = [item for item in found if can_view_order(request.auth, item["order"])]
    return serialize_duplicates(visible, policy.timezone)


@router.get("/{number}/reports/document.pdf")
def report_document(request, number: str):
    """Render the written report as an A4 PDF with places for the head's signature and the seal."""
    order = get_visible_order(request, number)
    report = order.requests.filter(kind=RequestKind.REPORT).order_by("-requested_at", "-id").first()
    if report is None:
        raise NotFound(_("Order %(number)s has no written report.") % {"number": number})
    response = HttpResponse(render_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{order.number}.pdf"'
    return response


approvals_router = Router(tags=["requests"])


@approvals_router.get("")
def approvals_queue(request, kind: str | None = None):
    """List what awaits this user's decision: requests, redo replies and proposed exemptions.

    A department head gets the first step of the department's returns and redo replies. The
    center gets hand-overs, extensions, reports and second steps, and its head the exemptions.
    """
    user = request.auth
    zone = get_policy().timezone
    items = []
    for item in open_requests_for(user):
        if kind and item.kind != kind:
            continue
        items.append(
            {
                "type": "request",
                **serialize_request(item, zone),
                "order": serialize_order_summary(item.order, user, zone),
            }
        )
    if kind in (None, "redo_reply"):
        for reply in redo_replies_for(user):
            items.append(
                {
                    "type": "redo_reply",
                    "kind": "redo_reply",
                    "status": reply.status,
                    "requested_at": local_time(reply.submitted_at, zone),
                    "content": reply.content,
                    "order": serialize_order_summary(reply.order, user, zone),
                }
            )
    if kind in (None, "exemption") and user.has_role(Role.CENTER_HEAD):
        for order in exemptions_for(user):
            items.append(
                {
                    "type": "exemption",
                    "kind": "exemption",
                    "status": order.exemption_status,
                    "exemption_kind": order.exemption_kind,
                    "order": serialize_order_summary(order, user, zone),
                }
            )
    return items
