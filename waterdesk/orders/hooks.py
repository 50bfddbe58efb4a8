"""Side effects of order actions on other apps: SMS notifications and messages to 12345.

Actions call these inside their transaction; each writes outbox rows in that same transaction,
so a message exists exactly when the change that caused it was committed. The imports sit inside
the functions because the notifications app itself imports the order models.
"""

import logging
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _local_text(moment, timezone_name: str) -> str:
    return moment.astimezone(ZoneInfo(timezone_name)).strftime("%m-%d %H:%M")


def redo_created(order, now) -> None:
    """Send the department's heads and the center's heads an SMS reminder of a new redo order."""
    from waterdesk.notifications.notices import notify_redo_created

    notify_redo_created(order, now=now)


def approval_waiting(order, item, now) -> None:
    """A hand-over, return, extension, redo reply or written report awaits a decision.

    The department head is asked first where the regulation puts them first (returns, redo
    replies); everything else waits for the center's heads.
    """
    from waterdesk.notifications.outbox import center_heads, department_heads, notify
    from waterdesk.notifications.presets import TemplateCode

    from .models import Reply, ReplyStatus
    from .request_models import RequestKind, RequestStatus

    if isinstance(item, Reply):
        label = _("redo reply")
        first_step = item.status == ReplyStatus.AWAITING_DEPARTMENT_HEAD
    else:
        label = RequestKind(item.kind).label
        first_step = item.status == RequestStatus.AWAITING_DEPARTMENT_HEAD
    recipients = department_heads(order.department) if first_step else center_heads()
    notify(
        key=f"approval:{type(item).__name__}:{item.pk}:{item.status}",
        template=TemplateCode.APPROVAL_WAITING,
        context={
            "number": order.number,
            "department": order.department.name,
            "request": str(label),
        },
        recipients=recipients,
        order=order,
        now=now,
    )


def reply_approved(order, reply, now) -> None:
    """The center approved a reply; a 12345 order's reply goes back to the 12345 hotline.

    A redo order's reply went back when both heads approved it (see redo_reply_approved).
    """
    from waterdesk.hotline12345.actions import enqueue_reply

    from .statuses import OrderType

    if order.order_type != OrderType.REDO:
        enqueue_reply(order, reply, now)


def reply_rejected(order, reply, now) -> None:
    """Notify the department's handler that the center rejected a reply at review."""
    from waterdesk.deadlines.clocks import open_clock
    from waterdesk.deadlines.models import ClockName
    from waterdesk.notifications.outbox import handlers_of, notify
    from waterdesk.notifications.presets import TemplateCode
    from waterdesk.policy.models import get_policy

    resolution = open_clock(order, ClockName.RESOLUTION)
    due = _local_text(resolution.due_at, get_policy().timezone) if resolution else ""
    notify(
        key=f"reply_rejected:{reply.pk}",
        template=TemplateCode.REPLY_REJECTED,
        context={"number": order.number, "due": due},
        recipients=handlers_of(order),
        order=order,
        now=now,
    )


def redo_reply_approved(order, reply, now) -> None:
    """Both heads approved a redo order's reply; it goes back to the 12345 hotline."""
    from waterdesk.hotline12345.actions import enqueue_redo_reply

    enqueue_redo_reply(order, reply, now)


def order_returned(order, request, now) -> None:
    """Both heads approved a return; the message for the 12345 hotline goes to its outbox."""
    from waterdesk.hotline12345.actions import enqueue_return

    enqueue_return(
        order,
        {
            "id": request.pk,
            "reason": request.reason,
            "basis": request.basis,
            "evidence": request.evidence,
            "target_unit": request.target_unit,
            "department_head_comment": request.department_head_comment,
            "center_head_comment": request.comment,
            "approved_at": request.decided_at,
        },
        now,
    )


def reply_untrue(order, callback, now) -> None:
    """Notify the department's and the center's heads that a callback found the reply untrue."""
    from waterdesk.notifications.outbox import center_heads, department_heads, notify
    from waterdesk.notifications.presets import TemplateCode

    notify(
        key=f"reply_untrue:{callback.pk}",
        template=TemplateCode.REPLY_UNTRUE,
        context={"number": order.number, "due": _local_text(now, _timezone_name())},
        recipients=[*department_heads(order.department), *center_heads()],
        order=order,
        now=now,
    )


def deadline_breached(clock, order, now) -> None:
    """Notify the department's heads and the center's heads that one clock broke."""
    deadlines_breached([clock], now)


def deadlines_warned(clocks, now) -> None:
    """Clocks near their due time: each order's handler and its department's heads are warned."""
    _notify_deadlines(clocks, now, "deadline_warning", include_handlers=True)


def deadlines_breached(clocks, now) -> None:
    """Notify each department's heads and the center's heads of broken clocks."""
    _notify_deadlines(clocks, now, "deadline_breach", include_handlers=False)


def _notify_deadlines(clocks, now, template: str, *, include_handlers: bool) -> None:
    """Write one notice per clock, or one summary per recipient of many clocks.

    The departments' heads and handlers are read once per call. A recipient named by
    SUMMARY_FROM or more clocks of this batch gets one summary instead. A head whose department
    missed thirty deadlines in one sweep needs one message that lists them, and the per-phone
    limits would hold most of thirty separate ones back anyway.
    """
    from waterdesk.notifications.outbox import Notice, center_heads, notify_many
    from waterdesk.notifications.recipients import staff_by_department
    from waterdesk.organization.models import Role

    if not clocks:
        return
    timezone_name = _timezone_name()
    department_ids = {clock.order.department_id for clock in clocks}
    heads = staff_by_department(department_ids, Role.DEPARTMENT_HEAD)
    handlers = staff_by_department(department_ids, Role.HANDLER) if include_handlers else {}
    center = [] if include_handlers else center_heads()

    recipients_per_clock = []
    clocks_per_user = {}
    for clock in clocks:
        order = clock.order
        recipients = [*heads[order.department_id], *center]
        if include_handlers:
            accepted_by = order.accepted_by
            if accepted_by is not None and accepted_by.is_active:
                recipients = [accepted_by, *recipients]
            else:
                # Not accepted yet: every handler of the department.
                recipients = [*handlers[order.department_id], *recipients]
        recipients_per_clock.append(recipients)
        for user in recipients:
            clocks_per_user.setdefault(user.pk, (user, []))[1].append(clock)
    busy = {pk for pk, (_user, items) in clocks_per_user.items() if len(items) >= SUMMARY_FROM}

    notices = []
    for clock, recipients in zip(clocks, recipients_per_clock, strict=True):
        others = tuple(user for user in recipients if user.pk not in busy)
        if others:
            notices.append(
                Notice(
                    key=f"{template}:{clock.pk}",
                    context={
                        "number": clock.order.number,
                        "deadline": str(clock.get_clock_display()),
                        "due": _local_text(clock.due_at, timezone_name),
                    },
                    recipients=others,
                    order=clock.order,
                )
            )
    notify_many(template=template, notices=notices, now=now)
    summaries = [
        _summary_notice(template, *clocks_per_user[pk], timezone_name) for pk in sorted(busy)
    ]
    if summaries:
        notify_many(template=f"{template}_summary", notices=summaries, now=now)


# A recipient of this many clock notices in one sweep batch gets one summary message instead.
SUMMARY_FROM = 3
# Order numbers a summary names; the count gives the rest.
SUMMARY_NUMBERS = 3


def _summary_notice(template: str, user, clocks, timezone_name: str):
    """Return one notice to `user` that counts `clocks` and names their first orders."""
    from waterdesk.notifications.outbox import Notice

    clocks = sorted(clocks, key=lambda clock: (clock.due_at, clock.pk))
    numbers = list(dict.fromkeys(clock.order.number for clock in clocks))
    named = "、".join(numbers[:SUMMARY_NUMBERS])
    return Notice(
        # The batch's first clock names the batch, because each clock is swept once.
        key=f"{template}_summary:{min(clock.pk for clock in clocks)}",
        context={
            "count": len(numbers),
            "numbers": named if len(numbers) <= SUMMARY_NUMBERS else f"{named}等",
            "due": _local_text(clocks[0].due_at, timezone_name),
        },
        recipients=(user,),
    )


def _timezone_name() -> str:
    from waterdesk.policy.models import get_policy

    return get_policy().timezone
