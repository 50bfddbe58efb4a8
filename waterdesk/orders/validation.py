"""Checking the create-order input: the eight elements and their rules."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from waterdesk.organization.models import Department
from waterdesk.policy.models import Policy

from .fields import INVALID, MISSING, OUT_OF_RANGE, UNKNOWN, FieldReader, field_label
from .models import Category, WorkOrder
from .reference import active_category, active_department
from .statuses import Channel, OrderType


@dataclass(frozen=True)
class OrderInput:
    """A create-order request whose every field has been checked."""

    channel: str
    external_id: str | None
    order_type: str
    redo_of: WorkOrder | None
    redo_reasons: str
    category: Category
    address: str
    content: str
    reporter: str | None
    phone: str | None
    department: Department
    time_limit_hours: Decimal
    due_at: datetime.datetime | None
    callback_required: bool
    night_contact_allowed: bool
    upstream_received_at: datetime.datetime | None
    dispatch: bool


def parse_order_input(data, policy: Policy, now: datetime.datetime) -> OrderInput:
    """Check a create-order request and return it typed, or raise InvalidInput listing each field.

    Nothing is written; unknown extra fields (such as a source note) are ignored.
    """
    reader = FieldReader(data)
    reader.raise_if_problems()

    channel = reader.choice("channel", Channel)
    external_id = reader.string("external_id", max_length=64)
    if (
        channel == Channel.UPPER_HOTLINE
        and external_id is None
        and not reader.has_problem("external_id")
    ):
        reader.add_problem(
            "external_id",
            MISSING,
            _("%(field)s is required for orders from the 12345 hotline.")
            % {"field": field_label("external_id")},
        )
    order_type = reader.choice("order_type", OrderType, default=OrderType.GENERAL)
    redo_of = _read_redo_of(reader)
    redo_reasons = reader.string("redo_reasons", max_length=policy.max_content_length) or ""
    if order_type != OrderType.REDO and (redo_of is not None or redo_reasons):
        reader.add_problem(
            "order_type",
            INVALID,
            _(
                "Only a redo order may name an original order or redo reasons; "
                "set %(field)s to redo."
            )
            % {"field": field_label("order_type")},
        )

    category = _read_category(reader)
    address = reader.string("address", required=True, max_length=policy.max_address_length)
    content = reader.string("content", required=True, max_length=policy.max_content_length)
    reporter = reader.string("reporter", max_length=policy.max_reporter_length)
    phone = reader.phone("phone")
    department = _read_department(reader, category)

    time_limit_hours = reader.number(
        "time_limit_hours", minimum=Decimal(0), maximum=Decimal(policy.max_time_limit_hours)
    )
    due_at = reader.time("due_at")
    if time_limit_hours is not None and due_at is not None:
        reader.add_problem(
            "due_at",
            INVALID,
            _("Give either %(hours)s or %(due)s, not both.")
            % {"hours": field_label("time_limit_hours"), "due": field_label("due_at")},
        )
    elif due_at is not None:
        if due_at <= now:
            reader.add_problem(
                "due_at",
                OUT_OF_RANGE,
                _("%(field)s is in the past. Enter a time after now.")
                % {"field": field_label("due_at")},
            )
        elif due_at - now > datetime.timedelta(hours=policy.max_time_limit_hours):
            reader.add_problem(
                "due_at",
                OUT_OF_RANGE,
                _("%(field)s is more than %(hours)d hours away.")
                % {"field": field_label("due_at"), "hours": policy.max_time_limit_hours},
            )
        else:
            seconds = Decimal((due_at - now).total_seconds())
            time_limit_hours = (seconds / Decimal(3600)).quantize(Decimal("0.01"))
    elif (
        time_limit_hours is None
        and category is not None
        and not reader.has_problem("time_limit_hours")
    ):
        time_limit_hours = Decimal(category.time_limit_hours)

    callback_required = reader.boolean("callback_required", default=True)
    night_contact_allowed = reader.boolean("night_contact_allowed", default=False)
    upstream_received_at = reader.time("upstream_received_at")
    if upstream_received_at is not None and upstream_received_at > now:
        reader.add_problem(
            "upstream_received_at",
            OUT_OF_RANGE,
            _("%(field)s is in the future.") % {"field": field_label("upstream_received_at")},
        )
    dispatch = reader.boolean("dispatch", default=True)

    reader.raise_if_problems()
    return OrderInput(
        channel=channel,
        external_id=external_id,
        order_type=order_type,
        redo_of=redo_of,
        redo_reasons=redo_reasons,
        category=category,
        address=address,
        content=content,
        reporter=reporter,
        phone=phone,
        department=department,
        time_limit_hours=time_limit_hours,
        due_at=due_at,
        callback_required=callback_required,
        night_contact_allowed=night_contact_allowed,
        upstream_received_at=upstream_received_at,
        dispatch=dispatch,
    )


def _read_category(reader: FieldReader) -> Category | None:
    code = reader.string("category", required=True, max_length=32)
    if code is None:
        return None
    category = active_category(code)
    if category is None:
        reader.add_problem(
            "category",
            UNKNOWN,
            _("%(field)s has no active category with code %(code)s. See GET /api/v1/categories.")
            % {"field": field_label("category"), "code": code},
        )
    return category


def _read_department(reader: FieldReader, category: Category | None) -> Department | None:
    code = reader.string("department", max_length=32)
    if code is None:
        if category is None or reader.has_problem("department"):
            if not reader.has_problem("category"):
                reader.add_problem(
                    "department",
                    MISSING,
                    _("%(field)s is required.") % {"field": field_label("department")},
                )
            return None
        return category.default_department
    return find_department(reader, code)


def _read_redo_of(reader: FieldReader) -> WorkOrder | None:
    number = reader.string("redo_of", max_length=32)
    if number is None:
        return None
    original = WorkOrder.objects.filter(number=number).first()
    if original is None:
        reader.add_problem(
            "redo_of",
            UNKNOWN,
            _("%(field)s: no order has the number %(number)s.")
            % {"field": field_label("redo_of"), "number": number},
        )
    return original


def find_department(reader: FieldReader, code: str) -> Department | None:
    """Return the active department with `code`, or record a problem on the field `department`."""
    department = active_department(code)
    if department is None:
        reader.add_problem(
            "department",
            UNKNOWN,
            _("%(field)s has no active department with code %(code)s. See GET /api/v1/departments.")
            % {"field": field_label("department"), "code": code},
        )
    return department
