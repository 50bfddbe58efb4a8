"""Order statuses, event actions and the table of allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("Awaiting dispatch")  # 待派发
    DISPATCHED = "dispatched", _("Awaiting acceptance")  # 待接单
    ACCEPTED = "accepted", _("In progress")  # 处理中
    REPLIED = "replied", _("Awaiting review")  # 待审核
    CALLBACK_PENDING = "callback_pending", _("Awaiting callback")  # 待回访
    CLOSED = "closed", _("Closed")  # 已办结
    RETURNED = "returned", _("Returned to the 12345 hotline")  # 已退回上级热线
    MERGED = "merged", _("Merged")  # 已并单
    REPORTED = "reported", _("Written report filed")  # 专报挂起


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Utility hotline")  # 热线接听
    WEB = "web", _("Web platform")  # 网络平台
    UPPER_HOTLINE = "upper_hotline", _("12345 hotline")  # 上级热线
    MEDIA = "media", _("News media")  # 新闻媒体
    LETTER_VISIT = "letter_visit", _("Letters, visits and calls")  # 用户三来


class OrderType(models.TextChoices):
    GENERAL = "general", _("General")
    URGENT = "urgent", _("Urgent")
    REDO = "redo", _("Redo")  # 重办: sent back by the 12345 hotline after its own callback
    THANKS = "thanks", _("Thanks")


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    DISPATCH = "dispatch", _("Dispatched")
    ACCEPT = "accept", _("Accepted")
    CONTACT_ATTEMPT = "contact_attempt", _("Contact attempt")
    TRANSFER_REQUEST = "transfer_request", _("Hand-over requested")
    TRANSFER_DECISION = "transfer_decision", _("Hand-over decided")
    REPLY = "reply", _("Replied")
    REVIEW = "review", _("Reply reviewed")
    RETURN_REQUEST = "return_request", _("Return requested")
    RETURN_DECISION = "return_decision", _("Return decided")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_DECISION = "extension_decision", _("Extension decided")
    REDO_APPROVAL = "redo_approval", _("Redo reply approved")
    CALLBACK = "callback", _("Callback")
    MERGE = "merge", _("Merged")
    REPORT = "report", _("Written report")
    EXEMPTION_DECISION = "exemption_decision", _("Exemption decided")
    CLOSE = "close", _("Closed")
    WARNING = "warning", _("Deadline warning")
    BREACH = "breach", _("Deadline breached")
    DEADLINE_RECOMPUTE = "deadline_recompute", _("Deadline recomputed")
    REPORT_DECISION = "report_decision", _("Written report reviewed")
    ATTACHMENT = "attachment", _("Attachment added")


# Which action may move an order from which status to which statuses. An action missing here for
# the current status is rejected with invalid_transition, whoever calls it.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Action.DISPATCH: {
        Status.NEW: frozenset({Status.DISPATCHED}),
        # A dispatcher may send an order that is not yet accepted to another department.
        Status.DISPATCHED: frozenset({Status.DISPATCHED}),
        # After an unsatisfied callback or an untrue reply, the center dispatches it again.
        Status.CALLBACK_PENDING: frozenset({Status.DISPATCHED}),
    },
    Action.ACCEPT: {Status.DISPATCHED: frozenset({Status.ACCEPTED})},
    Action.CONTACT_ATTEMPT: {Status.ACCEPTED: frozenset({Status.ACCEPTED})},
    # A redo order's reply keeps the order accepted until both heads approve it.
    Action.REPLY: {Status.ACCEPTED: frozenset({Status.REPLIED, Status.ACCEPTED})},
    Action.REVIEW: {
        # Approve: callback or closed; reject: dispatched again to the same department.
        Status.REPLIED: frozenset({Status.CALLBACK_PENDING, Status.CLOSED, Status.DISPATCHED}),
    },
    Action.CALLBACK: {
        Status.CALLBACK_PENDING: frozenset({Status.CALLBACK_PENDING, Status.CLOSED}),
        # The process-satisfaction callback after an approved extension.
        Status.ACCEPTED: frozenset({Status.ACCEPTED}),
    },
    Action.TRANSFER_REQUEST: {Status.ACCEPTED: frozenset({Status.ACCEPTED})},
    Action.TRANSFER_DECISION: {
        # Approve: dispatched to the new department; reject: the first department keeps it.
        Status.ACCEPTED: frozenset({Status.DISPATCHED, Status.ACCEPTED}),
    },
    Action.RETURN_REQUEST: {Status.ACCEPTED: frozenset({Status.ACCEPTED})},
    Action.RETURN_DECISION: {Status.ACCEPTED: frozenset({Status.ACCEPTED, Status.RETURNED})},
    Action.EXTENSION_REQUEST: {Status.ACCEPTED: frozenset({Status.ACCEPTED})},
    Action.EXTENSION_DECISION: {Status.ACCEPTED: frozenset({Status.ACCEPTED})},
    Action.REDO_APPROVAL: {Status.ACCEPTED: frozenset({Status.ACCEPTED, Status.REPLIED})},
    Action.REPORT: {Status.ACCEPTED: frozenset({Status.REPORTED})},
    Action.REPORT_DECISION: {Status.REPORTED: frozenset({Status.REPORTED, Status.ACCEPTED})},
    Action.MERGE: {
        Status.NEW: frozenset({Status.MERGED}),
        Status.DISPATCHED: frozenset({Status.MERGED}),
        Status.ACCEPTED: frozenset({Status.MERGED}),
    },
    Action.EXEMPTION_DECISION: {
        status: frozenset({status})
        for status in (Status.REPLIED, Status.CALLBACK_PENDING, Status.CLOSED)
    },
    Action.ATTACHMENT: {
        status: frozenset({status})
        for status in (Status.DISPATCHED, Status.ACCEPTED, Status.REPORTED)
    },
    Action.CLOSE: {
        Status.CALLBACK_PENDING: frozenset({Status.CLOSED}),
    },
}


def allowed_targets(action: str, from_status: str) -> frozenset[str]:
    """Return the statuses that `action` may lead to from `from_status` (empty if not allowed)."""
    return TRANSITIONS.get(action, {}).get(from_status, frozenset())


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.REPLIED,
        Status.CALLBACK_PENDING,
        Status.REPORTED,
    }
)
