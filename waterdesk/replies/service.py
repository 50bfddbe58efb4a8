"""Running the reply check for an order: building its context from the database."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Q

from waterdesk.orders.models import Reply, WorkOrder
from waterdesk.orders.statuses import OrderType
from waterdesk.policy.models import Policy

from .checker import (
    EarlierReply,
    ReplyContext,
    ReplyRules,
    check_reply,
    suggest_exemption_prefix,
)

# Earlier replies compared for copying; a citizen with more orders than this is compared with the
# most recent ones only, which keeps the check fast enough to run as the user types.
MAX_EARLIER_REPLIES = 50


@dataclass(frozen=True)
class OrderCheckResult:
    violations: list[dict]
    exemption_kind: str | None
    earliest_order_number: str | None
    # The exemption prefix in its preset form, when the reply's prefix deviates from it.
    suggested_prefix: str | None


def rules_for(policy: Policy) -> ReplyRules:
    # from_dict keeps the preset value of every key the policy leaves out.
    return ReplyRules.from_dict(policy.reply_rules or {})


def related_orders(order: WorkOrder, policy: Policy):
    """Orders of the same citizen (phone), or of the same address and category, in the window."""
    since = order.created_at - datetime.timedelta(days=policy.duplicate_window_days)
    same_request = Q(address_key=order.address_key, category_id=order.category_id)
    if order.phone:
        same_request |= Q(phone=order.phone)
    return (
        WorkOrder.objects.filter(
            same_request, created_at__gte=since, created_at__lt=order.created_at
        )
        .exclude(pk=order.pk)
        .order_by("created_at", "id")
    )


def build_context(order: WorkOrder, policy: Policy) -> ReplyContext:
    # A redo order's original is linked by redo_of and compared for copying below; it is not a
    # repeat request that the reply must cite.
    repeats = related_orders(order, policy).exclude(pk=order.redo_of_id)
    related = list(repeats.values_list("id", "number")[:MAX_EARLIER_REPLIES])
    related_ids = [order_id for order_id, _number in related]
    if order.redo_of_id:
        related_ids.append(order.redo_of_id)
    earlier = (
        Reply.objects.filter(order_id__in=related_ids)
        .select_related("order")
        .order_by("-submitted_at")[:MAX_EARLIER_REPLIES]
    )
    earliest_number = related[0][1] if related else None
    return ReplyContext(
        order_type=order.order_type,
        has_contact=bool(order.phone),
        callback_required=order.callback_required,
        redo_reasons=order.redo_reasons or None if order.order_type == OrderType.REDO else None,
        earlier_replies=tuple(
            EarlierReply(
                order_number=reply.order.number,
                reply_text=reply.content,
                created_at=reply.submitted_at,
            )
            for reply in earlier
        ),
        earliest_order_number=earliest_number,
        rules=rules_for(policy),
    )


def check_reply_for_order(
    content: str, order: WorkOrder | None, policy: Policy
) -> OrderCheckResult:
    """Check a reply against the rules in the context of `order` (or a general order if None)."""
    if order is None:
        context = ReplyContext(
            order_type=OrderType.GENERAL,
            has_contact=True,
            callback_required=True,
            redo_reasons=None,
            earlier_replies=(),
            earliest_order_number=None,
            rules=rules_for(policy),
        )
    else:
        context = build_context(order, policy)
    result = check_reply(content, context)
    return OrderCheckResult(
        violations=[dataclasses.asdict(violation) for violation in result.violations],
        exemption_kind=result.exemption_kind,
        earliest_order_number=context.earliest_order_number,
        suggested_prefix=suggest_exemption_prefix(content, context.rules),
    )
