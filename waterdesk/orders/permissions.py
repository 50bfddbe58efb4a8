"""Permission checks on orders. Actions run them themselves, so callers need not."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waterdesk.organization.models import Role

from .errors import Forbidden
from .models import WorkOrder

# Roles that see every order of the utility.
ALL_ORDERS_ROLES = (
    Role.DISPATCHER,
    Role.CENTER_HEAD,
    Role.CALLBACK_AGENT,
    Role.VIEWER,
    Role.ADMIN,
)


def visible_orders(user, queryset: QuerySet | None = None) -> QuerySet:
    """Narrow `queryset` to the orders that `user` may see."""
    queryset = WorkOrder.objects.all() if queryset is None else queryset
    if user.has_role(*ALL_ORDERS_ROLES):
        return queryset
    if user.has_role(Role.HANDLER, Role.DEPARTMENT_HEAD) and user.department_id:
        return queryset.filter(department_id=user.department_id)
    return queryset.none()


def can_view_order(user, order: WorkOrder) -> bool:
    if user.has_role(*ALL_ORDERS_ROLES):
        return True
    return (
        user.has_role(Role.HANDLER, Role.DEPARTMENT_HEAD)
        and user.department_id is not None
        and user.department_id == order.department_id
    )


def require_role(user, *roles: str) -> None:
    if user is None or not user.has_role(*roles):
        raise Forbidden(_("Your role may not do this."))


def require_own_department(user, order: WorkOrder, *roles: str) -> None:
    """Raise Forbidden unless `user` has one of `roles` in the order's current department."""
    require_role(user, *roles)
    if user.department_id != order.department_id:
        raise Forbidden(
            _("Order %(number)s belongs to another department; you may act only on your own.")
            % {"number": order.number}
        )


# Which roles may take which action, and whether they must belong to the order's department.
# The actions check the same rules themselves. This table only decides which buttons pages and
# clients offer.
ACTION_ROLES: dict[str, tuple[tuple[str, ...], bool]] = {
    "dispatch": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "accept": ((Role.HANDLER,), True),
    "contact_attempt": ((Role.HANDLER,), True),
    "reply": ((Role.HANDLER,), True),
    "review": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "callback": ((Role.CALLBACK_AGENT,), False),
    "close": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "transfer_request": ((Role.HANDLER,), True),
    "transfer_decision": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "return_request": ((Role.HANDLER,), True),
    "return_decision": ((Role.DEPARTMENT_HEAD, Role.CENTER_HEAD), False),
    "extension_request": ((Role.HANDLER,), True),
    "extension_decision": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "redo_approval": ((Role.DEPARTMENT_HEAD, Role.CENTER_HEAD), False),
    "report": ((Role.HANDLER, Role.DEPARTMENT_HEAD), True),
    "report_decision": ((Role.CENTER_HEAD,), False),
    "merge": ((Role.DISPATCHER, Role.CENTER_HEAD), False),
    "exemption_decision": ((Role.CENTER_HEAD,), False),
}


def available_actions(user, order: WorkOrder, history=None) -> list[str]:
    """Return the actions `user` may take on `order` in its current status.

    `history` (an OrderHistory) is the order's requests and replies already read; without it
    the open requests and replies are looked up as needed.
    """
    from .statuses import allowed_targets

    available = []
    for action, (roles, own_department_only) in ACTION_ROLES.items():
        if not user.has_role(*roles):
            continue
        if own_department_only and user.department_id != order.department_id:
            continue
        if allowed_targets(action, order.status) and _owed(action, order, history):
            available.append(action)
    return available


def _has_open_request(order: WorkOrder, kind: str, history) -> bool:
    from .request_models import OPEN_REQUEST_STATUSES

    if history is not None:
        return any(
            item.kind == kind and item.status in OPEN_REQUEST_STATUSES for item in history.requests
        )
    return order.requests.filter(kind=kind, status__in=OPEN_REQUEST_STATUSES).exists()


def _has_reply_awaiting_approval(order: WorkOrder, history) -> bool:
    from .models import ReplyStatus

    awaiting = (ReplyStatus.AWAITING_DEPARTMENT_HEAD, ReplyStatus.AWAITING_CENTER_HEAD)
    if history is not None:
        return any(reply.status in awaiting for reply in history.replies)
    return order.replies.filter(status__in=awaiting).exists()


def _owed(action: str, order: WorkOrder, history) -> bool:
    """Narrow the status table by what the order itself has due.

    The status allows a callback, a decision or an approval in principle; the order must also
    have one owed or open, so that no button is offered that the action would refuse.
    """
    from .models import ExemptionStatus
    from .statuses import Channel, OrderType, Status

    if action == "callback" and order.status == Status.ACCEPTED:
        return order.process_callback_pending
    decisions = {
        "transfer_decision": "transfer",
        "return_decision": "return",
        "extension_decision": "extension",
        "report_decision": "report",
    }
    if action in decisions:
        return _has_open_request(order, decisions[action], history)
    if action == "redo_approval":
        return _has_reply_awaiting_approval(order, history)
    if action == "exemption_decision":
        return order.exemption_status == ExemptionStatus.PROPOSED
    requests = {
        "transfer_request": "transfer",
        "return_request": "return",
        "extension_request": "extension",
    }
    if action in requests and _has_open_request(order, requests[action], history):
        return False
    if action == "return_request":
        return order.order_type != OrderType.REDO and order.channel == Channel.UPPER_HOTLINE
    if action == "extension_request":
        return order.order_type not in (OrderType.URGENT, OrderType.REDO, OrderType.THANKS)
    return True
