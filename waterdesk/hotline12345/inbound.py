"""Reading a 12345 push into a create-order request, through the platform's field mapping.

Problems are reported on the platform's own keys (`field`), with the adapter's name beside them
(`order_field`), so that the people on either side can find the value in their own terms.
"""

import json
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.fields import INVALID, MISSING, UNKNOWN, parse_time
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.statuses import Channel, OrderType

from .models import DEFAULT_FIELD_MAPPING, CategoryMapping, HotlinePlatform

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
TRUE_VALUES = (True, 1, "1", "true", "True", "TRUE")
FALSE_VALUES = (False, 0, "0", "false", "False", "FALSE", "")

# Create-order fields copied from the push unchanged; create_order checks them.
PASS_THROUGH_FIELDS = ("address", "reporter", "phone", "content", "time_limit_hours", "due_at")


@dataclass(frozen=True)
class PushData:
    """A push read into a create-order request, with what the adapter needs besides."""

    order_data: dict
    external_id: str
    original_external_id: str | None


class PushReader:
    """Read adapter fields out of a push body by the platform's mapping, collecting problems."""

    def __init__(self, platform: HotlinePlatform, body: dict):
        self.platform = platform
        self.body = body
        self.problems: list[dict] = []

    def key(self, field: str) -> str:
        return self.platform.incoming_key(field)

    def add_problem(self, field: str, code: str, message: str) -> None:
        self.problems.append(
            {"field": self.key(field), "order_field": field, "code": code, "message": message}
        )

    def raw(self, field: str):
        """Return the value at the field's key; a dotted key walks into nested objects."""
        value = self.body
        for part in self.key(field).split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def text(self, field: str, *, required: bool = False) -> str | None:
        """Return text, accepting a number as its decimal text (platforms send ids as numbers)."""
        value = self.raw(field)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add_problem(
                    field,
                    MISSING,
                    _("The push has no value under %(key)s.") % {"key": self.key(field)},
                )
            return None
        if not isinstance(value, str):
            self.add_problem(field, INVALID, _("%(key)s must be text.") % {"key": self.key(field)})
            return None
        return value.strip()

    def flag(self, field: str) -> bool:
        value = self.raw(field)
        if value is None or value in FALSE_VALUES:
            return False
        if value in TRUE_VALUES:
            return True
        self.add_problem(
            field,
            INVALID,
            _("%(key)s must be true or false (1 or 0 is also accepted).")
            % {"key": self.key(field)},
        )
        return False


def parse_body(body: bytes) -> dict:
    if len(body) > MAX_BODY_BYTES:
        raise InvalidInput.for_field(
            "body",
            INVALID,
            _("The push is larger than %(size)d bytes.") % {"size": MAX_BODY_BYTES},
        )
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput.for_field(
            "body", INVALID, _("The push body is not valid UTF-8 JSON.")
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput.for_field("body", INVALID, _("The push body must be a JSON object."))
    return data


def read_push(platform: HotlinePlatform, body: bytes) -> PushData:
    """Turn a push body into create-order data, or raise InvalidInput naming each bad key.

    The 12345 category is looked up in the platform's category mappings, and a redo is linked
    to the order that the original 12345 id created, where that order exists here.
    """
    reader = PushReader(platform, parse_body(body))
    external_id = reader.text("external_id", required=True)

    received_text = reader.raw("upstream_received_at")
    if received_text is None:
        reader.add_problem(
            "upstream_received_at",
            MISSING,
            _("The push has no value under %(key)s.") % {"key": reader.key("upstream_received_at")},
        )
    elif parse_time(received_text) is None:
        reader.add_problem(
            "upstream_received_at",
            INVALID,
            _(
                "%(key)s must be an ISO 8601 time with its UTC offset, "
                "for example 2026-12-04T09:30:00+08:00."
            )
            % {"key": reader.key("upstream_received_at")},
        )

    mapping = _read_category(reader)
    is_redo = reader.flag("is_redo")
    is_urgent = reader.flag("is_urgent")
    night_contact_allowed = reader.flag("night_contact_allowed")
    original_external_id = None
    redo_reasons = None
    if is_redo:
        original_external_id = reader.text("original_external_id", required=True)
        redo_reasons = reader.text("redo_reasons", required=True)
        if original_external_id is not None and original_external_id == external_id:
            reader.add_problem(
                "original_external_id",
                INVALID,
                _(
                    "A redo must carry its own 12345 id; %(key)s repeats the id of the "
                    "original order."
                )
                % {"key": reader.key("original_external_id")},
            )
    if reader.problems:
        raise InvalidInput(reader.problems)

    order_data = {
        "channel": Channel.UPPER_HOTLINE,
        "external_id": external_id,
        "upstream_received_at": received_text,
        "category": mapping.category.code,
        "night_contact_allowed": night_contact_allowed,
        "dispatch": platform.dispatch_at_once,
    }
    if mapping.department_id is not None:
        order_data["department"] = mapping.department.code
    for field in PASS_THROUGH_FIELDS:
        value = reader.raw(field)
        if value is not None and value != "":
            order_data[field] = value
    if is_redo:
        order_data["order_type"] = OrderType.REDO
        order_data["redo_reasons"] = redo_reasons
        original = WorkOrder.objects.filter(
            channel=Channel.UPPER_HOTLINE, external_id=original_external_id
        ).first()
        if original is not None:
            order_data["redo_of"] = original.number
        else:
            logger.warning(
                "12345 redo %s names original %s, which has no order here; created unlinked",
                external_id,
                original_external_id,
            )
    elif is_urgent:
        order_data["order_type"] = OrderType.URGENT
    return PushData(order_data, external_id, original_external_id)


def _read_category(reader: PushReader) -> CategoryMapping | None:
    upstream = reader.text("category", required=True)
    if upstream is None:
        return None
    mapping = (
        CategoryMapping.objects.select_related("category", "department")
        .filter(platform=reader.platform, upstream_category=upstream)
        .first()
    )
    if mapping is None:
        logger.warning("12345 push from %s with unmapped category %r", reader.platform, upstream)
        reader.add_problem(
            "category",
            UNKNOWN,
            _(
                "The 12345 category %(category)s has no mapping to a category of the utility. "
                "An administrator adds it under 12345 category mappings."
            )
            % {"category": upstream},
        )
    return mapping


def rename_problems(platform: HotlinePlatform, error: InvalidInput) -> InvalidInput:
    """Return `error` with each create-order field also named by the platform's key."""
    details = []
    for item in error.details:
        field = item.get("field")
        if field in DEFAULT_FIELD_MAPPING:
            item = {**item, "field": platform.incoming_key(field), "order_field": field}
        details.append(item)
    return InvalidInput(details)
