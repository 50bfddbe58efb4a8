"""The order page's forms of the exception paths, the written report's PDF and attachments.

Each form view calls one function of orders.request_actions, exactly as the API does, through
the shared runner of order_actions. Success goes back to the order page. An error opens the
page again with the action's message next to the field it names, and the typed values kept.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waterdesk.orders import request_actions
from waterdesk.orders.errors import InvalidInput, NotFound
from waterdesk.orders.fields import UNKNOWN
from waterdesk.orders.report_document import render_report_pdf
from waterdesk.orders.request_models import RequestKind

from ..access import get_visible_order, page
from ..request_panel import new_request_form
from .order_actions import run_action


def _request_view(name: str, action):
    """Build the POST view of request action `name`, which calls `action` with the form's body."""

    @require_POST
    @page()
    def view(request, number: str):
        order = get_visible_order(request.user, number)
        form = new_request_form(name, order, request.POST)

        def call(order, form, version):
            action(request.user, order.number, form.action_data(), expected_version=version)

        return run_action(request, number, name, form, call)

    view.__name__ = name
    view.__doc__ = action.__doc__
    return view


transfer_request = _request_view("transfer_request", request_actions.request_transfer)
transfer_decision = _request_view("transfer_decision", request_actions.decide_transfer)
return_request = _request_view("return_request", request_actions.request_return)
return_decision = _request_view("return_decision", request_actions.decide_return)
extension_request = _request_view("extension_request", request_actions.request_extension)
extension_decision = _request_view("extension_decision", request_actions.decide_extension)
redo_approval = _request_view("redo_approval", request_actions.approve_redo_reply)
report = _request_view("report", request_actions.submit_report)
report_decision = _request_view("report_decision", request_actions.decide_report)
exemption_decision = _request_view("exemption_decision", request_actions.decide_exemption)


def _merge_order(actor, number: str, data: dict, *, expected_version=None):
    """Merge the order through the action, reporting a missing target next to the `into` field.

    The view found the page's own order before this call, so a NotFound names the target.
    """
    try:
        return request_actions.merge_order(actor, number, data, expected_version=expected_version)
    except NotFound as error:
        raise InvalidInput.for_field("into", UNKNOWN, error.message) from error


merge = _request_view("merge", _merge_order)
merge.__doc__ = request_actions.merge_order.__doc__


@require_POST
@page()
def attachment(request, number: str):
    """Upload a photo or PDF: return evidence, or the signed and sealed scan of the report."""
    order = get_visible_order(request.user, number)
    form = new_request_form("attachment", order, request.POST, request.FILES)

    def call(order, form, version):
        request_actions.add_attachment(request.user, order.number, form.cleaned_data["file"])

    return run_action(request, number, "attachment", form, call)


@page()
def report_document(request, number: str):
    """Serve the latest written report as the A4 PDF that the department head signs and seals."""
    order = get_visible_order(request.user, number)
    written = (
        order.requests.filter(kind=RequestKind.REPORT).order_by("-requested_at", "-id").first()
    )
    if written is None:
        raise Http404(_("Order %(number)s has no written report.") % {"number": number})
    response = HttpResponse(render_report_pdf(written), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{order.number}.pdf"'
    return response


@page()
def attachment_file(request, number: str, attachment_id: int):
    """Serve an attachment of an order to the users who may see the order."""
    order = get_visible_order(request.user, number)
    item = order.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404(_("Order %(number)s has no such attachment.") % {"number": number})
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        filename=item.original_name,
        as_attachment=False,
    )
