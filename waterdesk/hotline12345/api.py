"""The endpoint that 12345 platforms push orders to, mounted at /api/v1/integrations/12345."""

from django.utils import timezone
from ninja import Router
from ninja import Status as HttpStatus

from waterdesk.api.serializers import local_time
from waterdesk.policy.models import get_policy

from . import actions
from .signing import KEY_HEADER, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_push

router = Router(tags=["12345 hotline"])

_SIGNATURE_PARAMETERS = [
    {"name": KEY_HEADER, "in": "header", "required": True, "schema": {"type": "string"}},
    {
        "name": TIMESTAMP_HEADER,
        "in": "header",
        "required": True,
        "description": "Unix time in seconds",
        "schema": {"type": "string"},
    },
    {"name": NONCE_HEADER, "in": "header", "required": True, "schema": {"type": "string"}},
    {
        "name": SIGNATURE_HEADER,
        "in": "header",
        "required": True,
        "description": "hex HMAC-SHA256 of timestamp, newline, nonce, newline and the raw body",
        "schema": {"type": "string"},
    },
]


@router.post(
    "/orders",
    auth=None,
    response={200: dict, 201: dict},
    openapi_extra={
        "parameters": _SIGNATURE_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    },
)
def receive_order(request):
    """Take an order pushed by a 12345 platform: 201 when created, 200 when it already exists.

    The body's keys follow the platform's field mapping; see docs/12345-wire-format.md.
    """
    now = timezone.now()
    platform = verify_push(request.headers, request.body, now)
    order, created = actions.receive_order_push(platform, request.body, now=now)
    body = {
        "order_number": order.number,
        "hotline_id": order.external_id,
        "created": created,
        "status": order.status,
        "redo_of": order.redo_of.number if order.redo_of_id else None,
        "created_at": local_time(order.created_at, get_policy().timezone),
    }
    return HttpStatus(201 if created else 200, body)
