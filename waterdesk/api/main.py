"""HTTP API v1: token auth, reference data, orders and their actions, the reply check."""

import datetime
from typing import Literal

from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja import Status as HttpStatus
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from waterdesk.callbacks.actions import record_callback
from waterdesk.orders import actions
from waterdesk.orders.duplicates import find_likely_duplicates
from waterdesk.orders.fields import FieldReader, normalize_phone
from waterdesk.orders.listing import SORT_NEWEST, OrderFilters, filter_orders, page_of_orders
from waterdesk.orders.models import Category
from waterdesk.orders.permissions import require_role
from waterdesk.orders.statuses import Channel, OrderType, Status
from waterdesk.organization.models import Department
from waterdesk.policy.models import get_policy
from waterdesk.replies.service import check_reply_for_order

from . import schemas
from .auth import ApiSessionAuth, BearerTokenAuth, login_for_token
from .common import get_visible_order, order_response, read_body, read_version
from .errors import install_error_handlers
from .requests import approvals_router
from .requests import router as requests_router
from .serializers import (
    local_time,
    serialize_duplicates,
    serialize_order_detail,
    serialize_order_summary,
    serialize_user,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese text as written, not as \\u escapes."""

    encoder_class = NinjaJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="waterdesk 工单系统接口",
    version="1",
    description=(
        "供水企业调度服务中心工单系统 HTTP 接口（v1）。错误信息为中文，时间为带时区的 ISO 8601。"
    ),
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), ApiSessionAuth()],
    renderer=ChineseJSONRenderer(),
)
install_error_handlers(api)


# --- Auth and reference data -------------------------------------------------------------------


@api.post("/auth/token", auth=None, openapi_extra=schemas.request_body(schemas.TokenRequest))
def issue_token(request):
    data = read_body(request)
    reader = FieldReader(data)
    username = reader.string("username", required=True, max_length=150)
    password = reader.string("password", required=True, max_length=256)
    reader.raise_if_problems()
    token_row, token = login_for_token(request, username, password)
    return {
        "token": token,
        "expires_at": local_time(token_row.expires_at, get_policy().timezone),
        "user": serialize_user(token_row.user),
    }


@api.get("/me")
def me(request):
    return serialize_user(request.auth)


@api.get("/departments")
def list_departments(request):
    return [
        {"code": item.code, "name": item.name, "is_dispatch_center": item.is_dispatch_center}
        for item in Department.objects.filter(is_active=True)
    ]


@api.get("/categories")
def list_categories(request):
    return [
        {
            "code": item.code,
            "name": item.name,
            "default_department": item.default_department.code,
            "time_limit_hours": item.time_limit_hours,
        }
        for item in Category.objects.filter(is_active=True).select_related("default_department")
    ]


# --- Orders ------------------------------------------------------------------------------------


@api.post(
    "/orders",
    response={200: dict, 201: dict},
    openapi_extra=schemas.request_body(schemas.OrderCreateRequest),
)
def create_order(request):
    """Create an order: 201 with the new order, or 200 with the order that has the same 12345 id."""
    order, created = actions.create_order(request.auth, read_body(request))
    body = order_response(request, order)
    # Likely duplicates are proposed on creation, for the dispatcher to merge if they are.
    body["likely_duplicates"] = serialize_duplicates(
        find_likely_duplicates(
            phone=order.phone,
            address=order.address,
            category_id=order.category_id,
            content=order.content,
            now=order.created_at,
            policy=get_policy(),
            exclude_id=order.pk,
        ),
        get_policy().timezone,
    )
    return HttpStatus(201 if created else 200, body)


@api.get("/duplicates")
def duplicates_as_typed(
    request,
    phone: str | None = Query(None, max_length=32),
    address: str | None = Query(None, max_length=500),
    category: str | None = Query(None, max_length=32),
    content: str | None = Query(None, max_length=2000),
):
    """Likely duplicates of a request still being typed: same phone, same place, similar text.

    Only the roles that create orders type requests, and this lookup would otherwise tell anyone
    whether a phone number has called.
    """
    require_role(request.auth, *actions.CREATE_ROLES)
    policy = get_policy()
    category_row = Category.objects.filter(code=category).first() if category else None
    found = find_likely_duplicates(
        phone=normalize_phone(phone) if phone else None,
        address=address,
        category_id=category_row.pk if category_row else None,
        content=content,
        now=timezone.now(),
        policy=policy,
    )
    return serialize_duplicates(found, policy.timezone)


@api.get("/orders")
def list_orders(
    request,
    status: Status | None = None,
    department: str | None = None,
    order_type: OrderType | None = None,
    channel: Channel | None = None,
    overdue: bool | None = None,
    q: str | None = Query(None, max_length=100),
    created_from: datetime.datetime | None = None,
    created_to: datetime.datetime | None = None,
    sort: Literal["-created_at", "due_at"] = SORT_NEWEST,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    """List the orders the user may see, newest first or by the nearest running deadline."""
    filters = OrderFilters(
        status=status,
        department=department,
        order_type=order_type,
        channel=channel,
        overdue=overdue,
        q=q,
        created_from=created_from,
        created_to=created_to,
    )
    orders = filter_orders(request.auth, filters, timezone.now())
    page, next_cursor = page_of_orders(orders, sort, cursor, limit)
    timezone_name = get_policy().timezone
    return {
        "results": [serialize_order_summary(order, request.auth, timezone_name) for order in page],
        "next_cursor": next_cursor,
    }


@api.get("/orders/{number}")
def get_order(request, number: str):
    order = get_visible_order(request, number)
    return serialize_order_detail(order, request.auth, timezone.now(), get_policy().timezone)


@api.post("/orders/{number}/dispatch", openapi_extra=schemas.request_body(schemas.DispatchRequest))
def dispatch(request, number: str):
    data = read_body(request)
    order = actions.dispatch_order(
        request.auth, number, data.get("department"), expected_version=read_version(data)
    )
    return order_response(request, order)


@api.post("/orders/{number}/accept", openapi_extra=schemas.request_body(schemas.VersionedRequest))
def accept(request, number: str):
    data = read_body(request)
    order = actions.accept_order(request.auth, number, expected_version=read_version(data))
    return order_response(request, order)


@api.post(
    "/orders/{number}/contact-attempts",
    openapi_extra=schemas.request_body(schemas.ContactAttemptRequest),
)
def contact_attempt(request, number: str):
    data = read_body(request)
    order = actions.record_contact_attempt(
        request.auth, number, data, expected_version=read_version(data)
    )
    return order_response(request, order)


@api.post("/orders/{number}/reply", openapi_extra=schemas.request_body(schemas.ReplyRequest))
def reply(request, number: str):
    data = read_body(request)
    order = actions.submit_reply(
        request.auth, number, data.get("content"), expected_version=read_version(data)
    )
    return order_response(request, order)


@api.post("/orders/{number}/review", openapi_extra=schemas.request_body(schemas.DecisionRequest))
def review(request, number: str):
    data = read_body(request)
    order = actions.review_reply(request.auth, number, data, expected_version=read_version(data))
    return order_response(request, order)


@api.post("/orders/{number}/callbacks", openapi_extra=schemas.request_body(schemas.CallbackRequest))
def callback(request, number: str):
    data = read_body(request)
    order = record_callback(request.auth, number, data, expected_version=read_version(data))
    return order_response(request, order)


@api.post("/orders/{number}/close", openapi_extra=schemas.request_body(schemas.CloseRequest))
def close(request, number: str):
    data = read_body(request)
    order = actions.close_order(request.auth, number, data, expected_version=read_version(data))
    return order_response(request, order)


# --- Reply check -------------------------------------------------------------------------------


@api.post("/replies/check", openapi_extra=schemas.request_body(schemas.ReplyCheckRequest))
def check_reply(request):
    data = read_body(request)
    policy = get_policy()
    reader = FieldReader(data)
    content = reader.string("content", required=True, max_length=policy.max_reply_length)
    number = reader.string("order", max_length=32)
    reader.raise_if_problems()
    order = get_visible_order(request, number) if number else None
    result = check_reply_for_order(content, order, policy)
    return {
        "ok": not any(item["severity"] == "error" for item in result.violations),
        "violations": result.violations,
        "exemption": result.exemption_kind,
        "earliest_order_number": result.earliest_order_number,
        "suggested_prefix": result.suggested_prefix,
        "policy_version": policy.version,
    }


# --- Routers of other apps ---------------------------------------------------------------------
# Each app with endpoints of its own keeps a ninja Router in <app>/api.py and is mounted here.
api.add_router("/orders", requests_router)
api.add_router("/approvals", approvals_router)
api.add_router("/callbacks", "waterdesk.callbacks.api.router")
api.add_router("/reports", "waterdesk.reports.api.router")
api.add_router("/integrations/12345", "waterdesk.hotline12345.api.router")
