"""Listing orders: the filters of the API and the pages, sorting, and cursor pagination.

A cursor is the sort key of the last order on a page, so the next page starts right after it even
while new orders arrive, and no page needs an OFFSET scan.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from waterdesk.deadlines.models import Clock
from waterdesk.organization.models import Department

from .errors import InvalidInput
from .fields import INVALID
from .models import WorkOrder
from .permissions import visible_orders

SORT_NEWEST = "-created_at"
SORT_NEAREST_DUE = "due_at"
SORTS = (SORT_NEWEST, SORT_NEAREST_DUE)


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    department: str | None = None
    order_type: str | None = None
    channel: str | None = None
    overdue: bool | None = None
    q: str | None = None
    created_from: datetime.datetime | None = None
    created_to: datetime.datetime | None = None


def open_clocks_of_order():
    return Clock.objects.filter(order=OuterRef("pk"), met_at__isnull=True, stopped_at__isnull=True)


def search_filter(text: str) -> Q:
    """Match the text in the number, address, content or phone."""
    return (
        Q(number__icontains=text)
        | Q(address__icontains=text)
        | Q(content__icontains=text)
        | Q(phone__icontains=text)
    )


def filter_orders(user, filters: OrderFilters, now: datetime.datetime) -> QuerySet:
    orders = visible_orders(user).select_related("category", "department", "redo_of", "merged_into")
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.department:
        # Filtering on the id (not through a join) lets PostgreSQL walk the department, status
        # and creation index in order; an unknown code matches nothing.
        department_id = (
            Department.objects.filter(code=filters.department).values_list("pk", flat=True).first()
        )
        orders = orders.filter(department_id=department_id)
    if filters.order_type:
        orders = orders.filter(order_type=filters.order_type)
    if filters.channel:
        orders = orders.filter(channel=filters.channel)
    if filters.created_from:
        orders = orders.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        orders = orders.filter(created_at__lt=filters.created_to)
    if filters.q and filters.q.strip():
        orders = orders.filter(search_filter(filters.q.strip()))
    if filters.overdue is not None:
        late = Exists(open_clocks_of_order().filter(due_at__lte=now))
        orders = orders.filter(late) if filters.overdue else orders.exclude(late)
    return orders


def page_of_orders(
    orders: QuerySet, sort: str, cursor: str | None, limit: int
) -> tuple[list[WorkOrder], str | None]:
    """Return one page of `orders` in `sort` order after `cursor`, and the next page's cursor."""
    if sort == SORT_NEAREST_DUE:
        next_due = open_clocks_of_order().order_by("due_at").values("due_at")[:1]
        orders = orders.annotate(next_due=Subquery(next_due))
        if cursor:
            orders = orders.filter(_after_due_cursor(*_decode_cursor(cursor)))
        ordered = orders.order_by(F("next_due").asc(nulls_last=True), "id")
    else:
        if cursor:
            created_at, order_id = _decode_cursor(cursor)
            if created_at is None:
                raise _invalid_cursor()
            orders = orders.filter(
                Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=order_id)
            )
        ordered = orders.order_by("-created_at", "-id")
    page = list(ordered[: limit + 1])
    if len(page) <= limit:
        return page, None
    page = page[:limit]
    last = page[-1]
    key = last.next_due if sort == SORT_NEAREST_DUE else last.created_at
    return page, _encode_cursor(key, last.pk)


def _after_due_cursor(due: datetime.datetime | None, order_id: int) -> Q:
    if due is None:
        # Orders without an open clock come last, in id order.
        return Q(next_due__isnull=True, pk__gt=order_id)
    return Q(next_due__gt=due) | Q(next_due=due, pk__gt=order_id) | Q(next_due__isnull=True)


def _encode_cursor(key: datetime.datetime | None, order_id: int) -> str:
    raw = f"{key.isoformat() if key else ''}|{order_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime.datetime | None, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key_text, order_id = base64.urlsafe_b64decode(padded).decode().split("|")
        key = datetime.datetime.fromisoformat(key_text) if key_text else None
        return key, int(order_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid_cursor() from None


def _invalid_cursor() -> InvalidInput:
    return InvalidInput.for_field(
        "cursor", INVALID, _("cursor is not valid. Use the next_cursor of the previous page.")
    )
