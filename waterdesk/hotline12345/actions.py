"""Operations of the 12345 adapter: take a pushed order, and queue messages back to the platform.

Orders are created only through `orders.actions.create_order`. The enqueue functions write an
outbox row in the caller's transaction, so a message exists exactly when the change it reports
was committed. The send starts after the commit.
"""

import datetime
import hashlib
import json
import logging
import uuid
from functools import partial

from django.db import IntegrityError, transaction

from waterdesk.api.serializers import local_time
from waterdesk.orders.actions import create_order
from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.fields import parse_time
from waterdesk.orders.models import Reply, WorkOrder
from waterdesk.orders.statuses import OrderType
from waterdesk.policy.models import get_policy

from .delivery import send_soon
from .inbound import read_push, rename_problems
from .models import HotlinePlatform, MessageKind, OutboundMessage, PushedOrder

logger = logging.getLogger(__name__)

# Keys of `return_request_data` copied into a return message; other keys are ignored.
RETURN_TEXT_FIELDS = (
    "reason",
    "basis",
    "target_unit",
    "department_head_comment",
    "center_head_comment",
)
RETURN_REQUIRED_FIELDS = ("reason", "target_unit")


def receive_order_push(
    platform: HotlinePlatform, body: bytes, *, now: datetime.datetime
) -> tuple[WorkOrder, bool]:
    """Create the order that a verified push describes and return `(order, created)`.

    A push whose 12345 id already has an order returns that order with `created` False, also when
    many identical pushes arrive at once: create_order's unique constraint decides.
    """
    push = read_push(platform, body)
    order_data = dict(push.order_data)
    received_at = parse_time(order_data["upstream_received_at"])
    skew_allowed = datetime.timedelta(seconds=platform.timestamp_window_seconds)
    if now < received_at <= now + skew_allowed:
        # The platform's clock runs ahead of ours by less than the signature window allows, so
        # the order is dated now instead of being rejected as received in the future.
        order_data["upstream_received_at"] = now.isoformat()
    try:
        with transaction.atomic():
            order, created = create_order(None, order_data, now=now)
            PushedOrder.objects.get_or_create(
                order=order, defaults={"platform": platform, "received_at": now}
            )
    except InvalidInput as error:
        logger.warning(
            "12345 push %s from %s rejected: %s",
            push.external_id,
            platform.key,
            [item.get("field") for item in error.details],
        )
        raise rename_problems(platform, error) from None
    if created:
        logger.info("12345 push %s from %s created order %s", push.external_id, platform, order)
    return order, created


def enqueue_reply(order: WorkOrder, reply: Reply, now: datetime.datetime):
    """Queue the approved reply of a 12345 order for its platform.

    Returns the outbox row, or None when the order was not pushed by a 12345 platform. Calling it
    again for the same reply returns the first row. Raises ValueError for a redo order (use
    `enqueue_redo_reply`) or a reply of another order.
    """
    _check_reply(order, reply)
    if order.order_type == OrderType.REDO:
        raise ValueError(f"order {order.number} is a redo order: use enqueue_redo_reply")
    payload = {"reply": _reply_payload(reply)}
    return _enqueue(order, MessageKind.REPLY, f"reply:{reply.pk}", payload, now)


def enqueue_redo_reply(order: WorkOrder, reply: Reply, now: datetime.datetime):
    """Queue the twice-approved reply of a 12345 redo order, with the redo reasons it responds to.

    Returns the outbox row, or None when the order was not pushed by a 12345 platform. Raises
    ValueError for an order that is not a redo order or a reply of another order.
    """
    _check_reply(order, reply)
    if order.order_type != OrderType.REDO:
        raise ValueError(f"order {order.number} is not a redo order: use enqueue_reply")
    original = order.redo_of
    payload = {
        "reply": _reply_payload(reply),
        "original_hotline_id": original.external_id if original is not None else None,
        "redo_reasons": order.redo_reasons,
    }
    return _enqueue(order, MessageKind.REDO_REPLY, f"redo_reply:{reply.pk}", payload, now)


def enqueue_return(order: WorkOrder, return_request_data: dict, now: datetime.datetime):
    """Queue an approved return (退单) of a 12345 order to its platform.

    `return_request_data` contains `reason` and `target_unit` (required text), and optionally
    `basis`, `department_head_comment`, `center_head_comment` (text), `evidence` (text or a list
    of text), `approved_at` (aware datetime) and `id` (the return request's id, which makes a
    second call for the same request return the first row). Returns the outbox row, or None when
    the order was not pushed by a 12345 platform. Raises ValueError for a redo order, which can
    never be returned, or for missing or malformed data.
    """
    if order.order_type == OrderType.REDO:
        raise ValueError(f"order {order.number} is a redo order, which cannot be returned")
    return_payload = _return_payload(return_request_data)
    request_id = return_request_data.get("id")
    if request_id is None:
        canonical = json.dumps(return_payload, sort_keys=True, ensure_ascii=False)
        request_id = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
    payload = {"return": return_payload}
    return _enqueue(order, MessageKind.RETURN, f"return:{order.pk}:{request_id}", payload, now)


def _check_reply(order: WorkOrder, reply: Reply) -> None:
    if reply.order_id != order.pk:
        raise ValueError(f"reply {reply.pk} belongs to another order than {order.number}")


def _reply_payload(reply: Reply) -> dict:
    timezone_name = get_policy().timezone
    return {
        "content": reply.content,
        "submitted_at": local_time(reply.submitted_at, timezone_name),
        "approved_at": local_time(reply.reviewed_at, timezone_name),
    }


def _return_payload(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ValueError("return_request_data must be a dict")
    payload = {}
    for field in RETURN_TEXT_FIELDS:
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"return_request_data[{field!r}] must be text, got {value!r}")
        payload[field] = (value or "").strip()
    missing = [field for field in RETURN_REQUIRED_FIELDS if not payload[field]]
    if missing:
        raise ValueError(f"return_request_data is missing {', '.join(missing)}")
    evidence = data.get("evidence")
    if isinstance(evidence, str):
        evidence = [evidence] if evidence.strip() else []
    if evidence is None:
        evidence = []
    if not isinstance(evidence, list) or not all(isinstance(item, str) for item in evidence):
        raise ValueError("return_request_data['evidence'] must be text or a list of text")
    payload["evidence"] = evidence
    approved_at = data.get("approved_at")
    if approved_at is not None and not (
        isinstance(approved_at, datetime.datetime) and approved_at.tzinfo is not None
    ):
        raise ValueError("return_request_data['approved_at'] must be an aware datetime")
    payload["approved_at"] = local_time(approved_at, get_policy().timezone)
    return payload


def _enqueue(order: WorkOrder, kind: str, dedupe_key: str, payload: dict, now: datetime.datetime):
    link = PushedOrder.objects.select_related("platform").filter(order=order).first()
    if link is None:
        if order.external_id:
            logger.warning(
                "order %s has 12345 id %s but no platform pushed it: no %s message queued",
                order.number,
                order.external_id,
                kind,
            )
        return None
    existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing

    message_id = uuid.uuid4()
    body = {
        "message_id": str(message_id),
        "type": kind,
        "hotline_id": order.external_id,
        "order_number": order.number,
        **payload,
    }
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                message_id=message_id,
                dedupe_key=dedupe_key,
                platform=link.platform,
                order=order,
                kind=kind,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        # A concurrent call queued the same message first.
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    logger.info("order %s: queued %s message %s", order.number, kind, message_id)
    transaction.on_commit(partial(send_soon, message.pk), robust=True)
    return message
