"""Callbacks (回访) made by the center's callback agents."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import WorkOrder


class CallbackKind(models.TextChoices):
    PROCESS = "process", _("Process satisfaction")
    RESULT = "result", _("Result satisfaction")


class CallbackOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    UNREACHABLE = "unreachable", _("Unreachable")


class ScriptStep(models.TextChoices):
    """The steps of the callback script, in the order the agent follows them."""

    GREETING = "greeting", _("Greeting")  # 礼貌问候
    INTRODUCTION = "introduction", _("Introduction")  # 自我介绍
    INQUIRY = "inquiry", _("Inquiry")  # 相关情况了解
    THANKS = "thanks", _("Thanks")  # 感谢
    RECORD = "record", _("Record")  # 详细录入回访信息
    STATISTICS = "statistics", _("Statistics form")  # 填写回访统计表


class CallbackAttempt(models.Model):
    """One callback (回访) made by the center's callback agent."""

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="callbacks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CallbackKind.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=CallbackOutcome.choices)
    reply_truthful = models.BooleanField(_("reply is true"), null=True, blank=True)
    # The inquiry: what the citizen says about the handling, to judge whether the reply is true.
    staff_contacted = models.BooleanField(_("staff contacted or visited"), null=True, blank=True)
    work_done = models.TextField(_("what was done"), blank=True)
    problem_solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    script_steps = models.JSONField(_("script steps ticked"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    # Local date and window index of the attempt: two failed attempts must be in different slots.
    slot = models.CharField(_("time slot"), max_length=16)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.outcome}"
