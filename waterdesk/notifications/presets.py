"""The message templates the code sends, and the placeholders each one may use.

The data migration 0002_add_preset_templates writes the preset Chinese texts, and people edit
them in the admin afterwards. The admin rejects a text with a placeholder not listed here,
because no caller would provide its value.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateCode(models.TextChoices):
    # To the responsible department's heads and the center heads when a 12345 redo order arrives.
    REDO_CREATED = "redo_created", _("Redo order received")
    DEADLINE_WARNING = "deadline_warning", _("Deadline about to expire")
    DEADLINE_BREACH = "deadline_breach", _("Deadline breached")
    # One message instead of many when a sweep finds several clocks of one recipient's orders.
    DEADLINE_WARNING_SUMMARY = "deadline_warning_summary", _("Deadlines about to expire (summary)")
    DEADLINE_BREACH_SUMMARY = "deadline_breach_summary", _("Deadlines breached (summary)")
    # Hand-over, return, extension, redo reply or written report awaiting a head's decision.
    APPROVAL_WAITING = "approval_waiting", _("Request awaiting approval")
    REPLY_REJECTED = "reply_rejected", _("Reply rejected at review")
    REPLY_UNTRUE = "reply_untrue", _("Reply found untrue at callback")


ALLOWED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    TemplateCode.REDO_CREATED: frozenset({"number", "department", "hours"}),
    TemplateCode.DEADLINE_WARNING: frozenset({"number", "deadline", "due"}),
    TemplateCode.DEADLINE_BREACH: frozenset({"number", "deadline", "due"}),
    TemplateCode.DEADLINE_WARNING_SUMMARY: frozenset({"count", "numbers", "due"}),
    TemplateCode.DEADLINE_BREACH_SUMMARY: frozenset({"count", "numbers", "due"}),
    TemplateCode.APPROVAL_WAITING: frozenset({"number", "department", "request"}),
    TemplateCode.REPLY_REJECTED: frozenset({"number", "due"}),
    TemplateCode.REPLY_UNTRUE: frozenset({"number", "due"}),
}


# (code, name, text). Every text names the order and says what the recipient must do.
PRESET_TEMPLATES = [
    (
        "redo_created",
        "重办工单提醒",
        "重办工单提醒：12345热线转回的重办工单{number}已派发至{department}，处理时限{hours}小时。"
        "请督促逐条答复重办原因；重办工单不得退单，回复须经部门负责人、中心负责人审核后上报。",
    ),
    (
        "deadline_warning",
        "时限预警",
        "时限预警：工单{number}的{deadline}时限将于{due}到期，请尽快登录工单系统办理。",
    ),
    (
        "deadline_breach",
        "超时提醒",
        "超时提醒：工单{number}的{deadline}时限已于{due}超时，请立即办理，并在回复中说明超时原因。",
    ),
    (
        "deadline_warning_summary",
        "时限预警汇总",
        "时限预警：您有{count}张工单的时限即将到期，最早于{due}到期，包括{numbers}，"
        "请尽快登录工单系统办理。",
    ),
    (
        "deadline_breach_summary",
        "超时提醒汇总",
        "超时提醒：您有{count}张工单的时限已超时，最早于{due}超时，包括{numbers}，"
        "请立即登录工单系统办理，并在回复中说明超时原因。",
    ),
    (
        "approval_waiting",
        "待审批提醒",
        "待审批提醒：{department}提交的工单{number}{request}正等待您审批，请登录工单系统及时处理。",
    ),
    (
        "reply_rejected",
        "回复退回提醒",
        "回复退回提醒：工单{number}的回复未通过审核，已重新派发，请按审核意见于{due}前重新处理并回复。",
    ),
    (
        "reply_untrue",
        "回复不实提醒",
        "回复不实提醒：回访发现工单{number}的回复与用户反映不符，请核实情况，于{due}前重新处理并如实回复。",
    ),
]


def ensure_preset_templates() -> int:
    """Create the preset templates that are missing; texts edited in the admin are kept.

    The data migration writes them once; `load_preset` calls this too, so a database emptied
    and loaded again (as the tests do) has them. Returns how many were created.
    """
    from .models import MessageTemplate

    created = 0
    for code, name, text in PRESET_TEMPLATES:
        _template, was_created = MessageTemplate.objects.get_or_create(
            code=code, defaults={"name": name, "text": text}
        )
        created += was_created
    return created
