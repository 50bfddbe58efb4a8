"""Our categories and orders in the shapes of GeoReport v2: services and service requests.

Personal data stays private: the description, address, coordinates and media URL of a request
are shown only to the API key that submitted it. Other keys, and callers without a key, get
null there, because a utility's orders contain citizens' homes and problems.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from waterdesk.api.serializers import local_time
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import Category, WorkOrder
from waterdesk.public.status import citizen_status, with_extension_flag

from .models import ApiKey, SubmittedRequest

SERVICE_TYPE = "realtime"


def serialize_service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("Handled by %(department)s; the usual time limit is %(hours)d hours.")
        % {"department": category.default_department.name, "hours": category.time_limit_hours},
        # No service has attributes beyond the standard fields, so no definition is needed.
        "metadata": False,
        "type": SERVICE_TYPE,
        "keywords": None,
        "group": None,
    }


def serialize_service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def requests_queryset(orders: QuerySet | None = None) -> QuerySet:
    """Orders with what their serialization reads, in as few queries as the list needs."""
    orders = WorkOrder.objects.all() if orders is None else orders
    running_resolution = Clock.objects.filter(
        order=OuterRef("pk"),
        clock=ClockName.RESOLUTION,
        met_at__isnull=True,
        stopped_at__isnull=True,
    ).order_by("-dispatch_round")
    orders = orders.select_related("category", "department", "open311").annotate(
        expected_at=Subquery(running_resolution.values("due_at")[:1])
    )
    return with_extension_flag(orders)


def serialize_request(order: WorkOrder, viewer: ApiKey | None, timezone_name: str) -> dict:
    status = citizen_status(order)
    submitted = _submitted_request(order)
    shows_private = (
        viewer is not None and submitted is not None and submitted.api_key_id == viewer.pk
    )
    updated_at = order.closed_at if order.closed_at is not None else order.updated_at
    return {
        "service_request_id": order.number,
        "status": "open" if status.is_open else "closed",
        "status_notes": status.note or status.label,
        "service_name": order.category.name,
        "service_code": order.category.code,
        "description": order.content if shows_private else None,
        "agency_responsible": order.department.name,
        "service_notice": None,
        "requested_datetime": local_time(order.created_at, timezone_name),
        "updated_datetime": local_time(updated_at, timezone_name),
        "expected_datetime": (
            local_time(getattr(order, "expected_at", None), timezone_name)
            if status.is_open
            else None
        ),
        "address": order.address if shows_private else None,
        "address_id": None,
        "zipcode": None,
        "lat": float(submitted.lat) if shows_private and submitted.lat is not None else None,
        "long": float(submitted.long) if shows_private and submitted.long is not None else None,
        "media_url": (submitted.media_url or None) if shows_private else None,
    }


def _submitted_request(order: WorkOrder) -> SubmittedRequest | None:
    try:
        return order.open311
    except SubmittedRequest.DoesNotExist:
        return None
