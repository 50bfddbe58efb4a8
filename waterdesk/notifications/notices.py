"""Notifications whose recipients the regulation fixes, ready for the order actions to call.

Each function must run inside the transaction of the action that causes it, like `notify`.
"""

import datetime
from decimal import Decimal

from waterdesk.orders.models import WorkOrder

from .models import OutboxMessage
from .outbox import center_heads, department_heads, notify
from .presets import TemplateCode


def notify_redo_created(order: WorkOrder, *, now: datetime.datetime) -> list[OutboxMessage]:
    """Remind the responsible department's heads and the center heads of a new redo order.

    The work-order regulation (工单管理暂行规定) requires this SMS in addition to the usual
    dispatch when the 12345 hotline sends an order back for redoing (重办工单). It writes one
    reminder per order and phone, however often it runs.
    """
    recipients = [*department_heads(order.department), *center_heads()]
    return notify(
        key=f"redo_created:{order.pk}",
        template=TemplateCode.REDO_CREATED,
        context={
            "number": order.number,
            "department": order.department.name,
            "hours": _hours_text(order.time_limit_hours),
        },
        recipients=recipients,
        order=order,
        now=now,
    )


def _hours_text(hours: Decimal) -> str:
    """Return 24 for 24.00 and 1.5 for 1.50."""
    return format(hours.normalize(), "f")
