"""Helpers shared by the API's endpoint modules: reading bodies, loading visible orders."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.orders.errors import Forbidden, InvalidInput, NotFound
from waterdesk.orders.fields import INVALID
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.permissions import can_view_order
from waterdesk.policy.models import get_policy

from .serializers import serialize_order_detail


def read_body(request) -> dict:
    """Parse the JSON body; a malformed body is an invalid_input error on the field `body`."""
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput.for_field(
            "body", INVALID, _("The request body is not valid JSON.")
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput.for_field("body", INVALID, _("The request body must be a JSON object."))
    return data


def read_version(data: dict) -> int | None:
    value = data.get("version")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.for_field("version", INVALID, _("version must be an integer."))
    return value


def order_response(request, order: WorkOrder) -> dict:
    """Return the order's detail as an action left it.

    Actions return the order they locked, changed and saved, so its fields are current and it
    is serialised without reading it again.
    """
    return serialize_order_detail(order, request.auth, timezone.now(), get_policy().timezone)


def get_visible_order(request, number: str) -> WorkOrder:
    order = (
        WorkOrder.objects.select_related("category", "department", "redo_of", "merged_into")
        .filter(number=number)
        .first()
    )
    if order is None:
        raise NotFound(_("No order has the number %(number)s.") % {"number": number})
    if not can_view_order(request.auth, order):
        raise Forbidden(
            _("Order %(number)s belongs to another department; you may see only your own.")
            % {"number": number}
        )
    return order
