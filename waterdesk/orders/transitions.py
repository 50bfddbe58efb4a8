"""The plumbing every action shares: lock the order, check the transition, write the event.

Each action follows one recipe: lock → check role, department and state → change → save with
`update_fields` → event row in the same transaction → side effects through `on_commit`.
"""

import datetime
import logging

from django.utils.translation import gettext as _

from .errors import Conflict, InvalidTransition, NotFound
from .models import OrderEvent, WorkOrder
from .statuses import Action, Status, allowed_targets

logger = logging.getLogger(__name__)


def lock_order(order: WorkOrder | str, expected_version: int | None = None) -> WorkOrder:
    """Return the order re-read under a row lock; must be called inside a transaction.

    `expected_version` lets a client that read the order earlier detect a change made since:
    a mismatch raises Conflict instead of acting on a state the client never saw.
    """
    number = order if isinstance(order, str) else order.number
    locked = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("department", "category")
        .filter(number=number)
        .first()
    )
    if locked is None:
        raise NotFound(_("No order has the number %(number)s.") % {"number": number})
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Order %(number)s was changed by someone else (version %(current)d, you had "
                "%(expected)d). Reload it and try again."
            )
            % {"number": number, "current": locked.version, "expected": expected_version}
        )
    return locked


def check_transition(order: WorkOrder, action: str, to_status: str) -> None:
    """Raise InvalidTransition unless `action` may move the order to `to_status` now."""
    if to_status not in allowed_targets(action, order.status):
        raise InvalidTransition(
            _("The order %(number)s is %(status)s, so it cannot be %(action)s now.")
            % {
                "number": order.number,
                "status": Status(order.status).label,
                "action": Action(action).label,
            }
        )


def record_event(
    order: WorkOrder,
    action: str,
    actor,
    now: datetime.datetime,
    *,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
) -> OrderEvent:
    """Write one event row; the order's assessment facts become stale with it.

    Every change the monthly figures read (clocks, requests, replies, callbacks, status) comes
    with an event, so marking here keeps reports.OrderFacts from missing one.
    """
    if not order.assessment_stale:
        WorkOrder.objects.filter(pk=order.pk).update(assessment_stale=True)
        order.assessment_stale = True
    return OrderEvent.objects.create(
        order=order,
        at=now,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )


def apply_transition(
    order: WorkOrder,
    action: str,
    to_status: str,
    actor,
    now: datetime.datetime,
    *,
    changed_fields: tuple[str, ...] = (),
    data: dict | None = None,
) -> OrderEvent:
    """Save the order's new status and `changed_fields`, bump its version and write the event.

    The caller has locked the order, checked its guards and set the changed fields.
    """
    check_transition(order, action, to_status)
    from_status = order.status
    order.status = to_status
    order.version += 1
    order.updated_at = now
    order.assessment_stale = True
    order.save(
        update_fields=["status", "version", "updated_at", "assessment_stale", *changed_fields]
    )
    event = record_event(
        order, action, actor, now, from_status=from_status, to_status=to_status, data=data
    )
    logger.info(
        "order %s: %s %s -> %s by %s",
        order.number,
        action,
        from_status,
        to_status,
        getattr(actor, "username", "system"),
    )
    return event


def record_without_transition(
    order: WorkOrder,
    action: str,
    actor,
    now: datetime.datetime,
    *,
    changed_fields: tuple[str, ...] = (),
    data: dict | None = None,
) -> OrderEvent:
    """Save `changed_fields`, bump the version and write an event; the status stays."""
    check_transition(order, action, order.status)
    order.version += 1
    order.updated_at = now
    order.assessment_stale = True
    order.save(update_fields=["version", "updated_at", "assessment_stale", *changed_fields])
    return record_event(
        order, action, actor, now, from_status=order.status, to_status=order.status, data=data
    )
