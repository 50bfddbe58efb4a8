"""The callback desk's queues: what to call now, and what awaits the center after a callback."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef

from waterdesk.deadlines.calendar import next_opening, period_at
from waterdesk.deadlines.calendars import callback_calendar
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import Reply, ReplyStatus, WorkOrder
from waterdesk.orders.statuses import Status
from waterdesk.policy.models import Policy

from .models import CallbackAttempt, CallbackKind, CallbackOutcome


def _reached_result_callback():
    return CallbackAttempt.objects.filter(
        order=OuterRef("pk"),
        kind=CallbackKind.RESULT,
        at__gte=OuterRef("replied_at"),
    ).exclude(outcome=CallbackOutcome.UNREACHABLE)


def awaiting_callback(now: datetime.datetime, policy: Policy) -> list[dict]:
    """Orders owed a result or process callback, the nearest callback deadline first.

    Each item has the order, the callback kind, the deadline, the approved reply, the failed
    attempts so far and, after a failed attempt, when the next slot opens.
    """
    result_due = (
        WorkOrder.objects.filter(status=Status.CALLBACK_PENDING)
        .exclude(Exists(_reached_result_callback()))
        .select_related("department", "category")
    )
    process_due = WorkOrder.objects.filter(
        process_callback_pending=True, status=Status.ACCEPTED
    ).select_related("department", "category")
    calendar = callback_calendar(policy)
    items = []
    for kind, orders in ((CallbackKind.RESULT, result_due), (CallbackKind.PROCESS, process_due)):
        for order in orders:
            clock = (
                Clock.objects.filter(order=order, clock=ClockName.CALLBACK)
                .order_by("-dispatch_round", "-id")
                .first()
            )
            failures = list(
                order.callbacks.filter(kind=kind, outcome=CallbackOutcome.UNREACHABLE)
                .filter(at__gte=order.replied_at or order.accepted_at or order.created_at)
                .order_by("at")
            )
            next_attempt = None
            if failures:
                last_slot = period_at(failures[-1].at, calendar)
                after = last_slot.end if last_slot else failures[-1].at
                next_attempt = next_opening(max(after, now), calendar)
            reply = (
                Reply.objects.filter(order=order, status=ReplyStatus.APPROVED)
                .order_by("-submitted_at")
                .first()
            )
            items.append(
                {
                    "order": order,
                    "kind": kind,
                    "due_at": clock.due_at if clock and kind == CallbackKind.RESULT else None,
                    "reply": reply.content if reply else None,
                    "failed_attempts": [attempt.at for attempt in failures],
                    "next_attempt_from": next_attempt,
                }
            )
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: (item["due_at"] or far_future, item["order"].pk))
    return items


def awaiting_center_decision():
    """Orders whose callback found the citizen unsatisfied or the reply untrue."""
    return (
        WorkOrder.objects.filter(status=Status.CALLBACK_PENDING)
        .filter(Exists(_reached_result_callback()))
        .select_related("department", "category")
        .order_by("replied_at", "id")
    )


def window_state(now: datetime.datetime, policy: Policy) -> dict:
    """Whether callbacks may be made now, and when the next window opens if not."""
    calendar = callback_calendar(policy)
    open_now = period_at(now, calendar) is not None
    opens = None if open_now else next_opening(now, calendar)
    zone = ZoneInfo(policy.timezone)
    return {
        "open": open_now,
        "next_window_at": opens.astimezone(zone).isoformat() if opens else None,
        "windows": policy.callback_windows,
        "lines": policy.callback_lines,
    }


__all__ = ["awaiting_callback", "awaiting_center_decision", "window_state"]
