"""API of the monthly assessment: figures, drill-down lists, finalising, spreadsheet export."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from waterdesk.api.serializers import local_time, serialize_order_summary, serialize_request
from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.fields import UNKNOWN
from waterdesk.orders.models import ExemptionStatus, OrderRequest
from waterdesk.orders.permissions import can_view_order, require_role, visible_orders
from waterdesk.orders.request_models import RequestKind, RequestStatus
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from .export import month_workbook
from .figures import EXCLUDED, FIGURES_BY_NAME, figure_orders
from .service import finalize_month, monthly_report, read_department, read_month

router = Router(tags=["reports"])

REPORT_ROLES = (Role.CENTER_HEAD, Role.DISPATCHER, Role.VIEWER, Role.DEPARTMENT_HEAD, Role.ADMIN)
# Drill-down lists are long for a large utility, so they are capped. The count gives the total.
MAX_LISTED_ORDERS = 1000


@router.get("/monthly")
def monthly(request, month: str, department: str | None = None, compare: bool = False):
    """Return the month's figures per department and in total, frozen once finalised."""
    require_role(request.auth, *REPORT_ROLES)
    return monthly_report(month, department, compare=compare)


@router.get("/monthly/orders")
def monthly_orders(
    request,
    month: str,
    figure: str,
    department: str | None = None,
    limit: int = Query(200, ge=1, le=MAX_LISTED_ORDERS),
):
    """List the orders behind one figure; the list's length is the figure's count."""
    require_role(request.auth, *REPORT_ROLES)
    month = read_month(month)
    department = read_department(department)
    if figure not in FIGURES_BY_NAME and figure != EXCLUDED:
        raise InvalidInput.for_field(
            "figure",
            UNKNOWN,
            _("figure must be one of: %(names)s.")
            % {"names": ", ".join([*FIGURES_BY_NAME, EXCLUDED])},
        )
    policy = get_policy()
    orders = visible_orders(request.auth, figure_orders(month, policy.timezone, figure, department))
    orders = orders.select_related("category", "department", "redo_of", "merged_into").order_by(
        "created_at", "id"
    )
    return {
        "month": month,
        "figure": figure,
        "department": department,
        "count": orders.count(),
        "results": [
            serialize_order_summary(order, request.auth, policy.timezone)
            for order in orders[:limit]
        ],
    }


@router.post("/monthly/finalize")
def finalize(request, month: str):
    """Freeze the month's figures (center head); later events no longer change them."""
    snapshot = finalize_month(request.auth, month, timezone.now())
    return monthly_report(snapshot.month)


@router.get("/monthly.xlsx")
def monthly_xlsx(request, month: str):
    require_role(request.auth, *REPORT_ROLES)
    report = monthly_report(month)
    content = month_workbook(report, get_policy().timezone, request.auth)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{report["month"]}.xlsx"'
    return response


@router.get("/special-reports")
def special_reports(request):
    """List the written reports the center head accepted (专报), newest first."""
    require_role(request.auth, *REPORT_ROLES)
    zone = get_policy().timezone
    reports = (
        OrderRequest.objects.filter(kind=RequestKind.REPORT, status=RequestStatus.APPROVED)
        .select_related(
            "order__department", "order__category", "order__redo_of", "order__merged_into"
        )
        .order_by("-decided_at")
    )
    return [
        {
            **serialize_order_summary(item.order, request.auth, zone),
            "report": serialize_request(item, zone),
            "accepted_at": local_time(item.decided_at, zone),
        }
        for item in reports
        if can_view_order(request.auth, item.order)
    ]


@router.get("/exemptions")
def exemptions(request, status: str = "approved"):
    """Orders proposed for, or excluded from, the assessment through a reply's prefix."""
    require_role(request.auth, *REPORT_ROLES)
    if status not in ExemptionStatus.values:
        raise InvalidInput.for_field(
            "status",
            UNKNOWN,
            _("status must be one of: %(names)s.") % {"names": ", ".join(ExemptionStatus.values)},
        )
    zone = get_policy().timezone
    orders = visible_orders(request.auth).filter(exemption_status=status)
    orders = orders.select_related("category", "department", "redo_of", "merged_into").order_by(
        "-created_at"
    )
    return [
        serialize_order_summary(order, request.auth, zone) for order in orders[:MAX_LISTED_ORDERS]
    ]
