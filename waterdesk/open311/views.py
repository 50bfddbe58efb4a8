"""The Open311 GeoReport v2 endpoints under /open311/v2/, each in .json and .xml."""

import datetime
import functools

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from waterdesk.orders.fields import parse_time
from waterdesk.orders.models import Category, WorkOrder
from waterdesk.policy.models import get_policy
from waterdesk.public.status import CLOSED_STATUSES

from . import actions
from .models import SubmittedRequest
from .rendering import Open311Error, render, render_error
from .serializers import (
    requests_queryset,
    serialize_request,
    serialize_service,
    serialize_service_definition,
)

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"
# When this server's endpoints last changed, as discovery.json reports it to clients.
CHANGESET = "2026-12-05T00:00:00+08:00"
# The spec's default and maximum window of requests.json, and its maximum number of results.
MAX_SPAN = datetime.timedelta(days=90)
MAX_RESULTS = 1000
STATUS_VALUES = ("open", "closed")


def open311_endpoint(view):
    """Check jurisdiction_id and render Open311Error in the format the client asked for."""

    @functools.wraps(view)
    def wrapper(request, *args, response_format: str, **kwargs):
        try:
            _check_jurisdiction(request)
            return view(request, *args, response_format=response_format, **kwargs)
        except Open311Error as error:
            return render_error(error, response_format)

    return wrapper


def _check_jurisdiction(request) -> None:
    expected = settings.OPEN311_JURISDICTION_ID
    requested = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if expected and requested and requested != expected:
        raise Open311Error(
            404,
            _("jurisdiction_id %(given)s is not served here; this server serves %(expected)s.")
            % {"given": requested[:64], "expected": expected},
        )


@require_GET
@open311_endpoint
def discovery(request, response_format: str):
    root = request.build_absolute_uri("/open311/v2").rstrip("/")
    document = {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT or None,
        "key_service": settings.OPEN311_KEY_SERVICE or None,
        "endpoints": [
            {
                "specification": SPECIFICATION_URL,
                "url": root,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(document, response_format, "discovery")


@require_GET
@open311_endpoint
def service_list(request, response_format: str):
    categories = Category.objects.filter(is_active=True).select_related("default_department")
    return render(
        [serialize_service(category) for category in categories], response_format, "services"
    )


@require_GET
@open311_endpoint
def service_definition(request, service_code: str, response_format: str):
    category = Category.objects.filter(code=service_code, is_active=True).first()
    if category is None:
        raise Open311Error(
            404, _("service_code %(code)s was not found.") % {"code": service_code[:40]}
        )
    return render(serialize_service_definition(category), response_format, "service_definition")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_endpoint
def request_list(request, response_format: str):
    """GET: search requests. POST: submit a request (form-encoded, `api_key` required)."""
    if request.method == "POST":
        return _submit(request, response_format)
    viewer = _optional_key(request)
    orders = _search(request.GET, timezone.now())
    timezone_name = get_policy().timezone
    return render(
        [serialize_request(order, viewer, timezone_name) for order in orders],
        response_format,
        "service_requests",
    )


def _submit(request, response_format: str):
    now = timezone.now()
    api_key = actions.authenticate_key(request.POST.get("api_key"))
    submission = actions.submit_request(api_key, request.POST, now=now)
    order = submission.order
    notice = _("Received. %(department)s handles it within %(hours)s hours.") % {
        "department": order.department.name,
        "hours": f"{order.time_limit_hours.normalize():f}",
    }
    body = [
        {
            "service_request_id": order.number,
            "token": submission.token,
            "service_notice": notice,
        }
    ]
    return render(body, response_format, "service_requests", status=201)


def _optional_key(request):
    raw_key = request.GET.get("api_key")
    return actions.authenticate_key(raw_key) if raw_key else None


def _split(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _read_date(params, name: str) -> datetime.datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    parsed = parse_time(raw)
    if parsed is None:
        raise Open311Error(
            400,
            _(
                "%(name)s must be an ISO 8601 time with its UTC offset, "
                "for example 2026-12-04T09:30:00+08:00."
            )
            % {"name": name},
        )
    return parsed


def _search(params, now: datetime.datetime) -> list[WorkOrder]:
    """Apply the GeoReport v2 filters; service_request_id overrides every other one."""
    ids = _split(params.get("service_request_id"))
    if ids:
        if len(ids) > MAX_RESULTS:
            raise Open311Error(
                400, _("Ask for at most %(max)d service_request_id values.") % {"max": MAX_RESULTS}
            )
        orders = requests_queryset(WorkOrder.objects.filter(number__in=ids))
        return list(orders.order_by("-created_at", "-id"))

    start = _read_date(params, "start_date")
    end = _read_date(params, "end_date")
    if start and end:
        if end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(
                400,
                _("start_date and end_date may span at most %(days)d days.")
                % {"days": MAX_SPAN.days},
            )
    elif start:
        end = start + MAX_SPAN
    elif end:
        start = end - MAX_SPAN
    else:
        start, end = now - MAX_SPAN, now
    orders = WorkOrder.objects.filter(created_at__gte=start, created_at__lte=end)

    codes = _split(params.get("service_code"))
    if codes:
        orders = orders.filter(category__code__in=codes)
    statuses = _split(params.get("status"))
    unknown = [value for value in statuses if value not in STATUS_VALUES]
    if unknown:
        raise Open311Error(
            400, _("status must be open, closed or both, got %(value)s.") % {"value": unknown[0]}
        )
    if statuses == ["open"]:
        orders = orders.exclude(status__in=CLOSED_STATUSES)
    elif statuses == ["closed"]:
        orders = orders.filter(status__in=CLOSED_STATUSES)
    ordered = requests_queryset(orders).order_by("-created_at", "-id")
    return list(ordered[:MAX_RESULTS])


@require_GET
@open311_endpoint
def request_detail(request, request_id: str, response_format: str):
    viewer = _optional_key(request)
    order = requests_queryset(WorkOrder.objects.filter(number=request_id)).first()
    if order is None:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": request_id[:40]}
        )
    body = [serialize_request(order, viewer, get_policy().timezone)]
    return render(body, response_format, "service_requests")


@require_GET
@open311_endpoint
def token_detail(request, token: str, response_format: str):
    submitted = SubmittedRequest.objects.select_related("order").filter(token=token).first()
    if submitted is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token[:40]})
    body = [{"service_request_id": submitted.order.number, "token": submitted.token}]
    return render(body, response_format, "service_requests")
