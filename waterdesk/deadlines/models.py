"""Deadline clocks per order, stored as data so that finding what is due reads only due rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import WorkOrder


class ClockName(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch")  # 派发: request reached the center → dispatched
    ACCEPT = "accept", _("Acceptance")  # 接单: dispatched → accepted
    CONTACT = "contact", _("Contact")  # 联系用户: accepted → first reached or site visit
    TRANSFER = "transfer", _("Hand-over")  # 转办: accepted → hand-over naming the person
    RETURN = "return", _("Return")  # 退单: accepted → return to the 12345 hotline
    RESOLUTION = "resolution", _("Resolution")  # 处理时限: dispatched → reply
    CALLBACK = "callback", _("Callback")  # 回访: reply approved → callback


class Clock(models.Model):
    """One deadline of one order in one dispatch round.

    A clock is open while `met_at` is null and `stopped_at` is null. `warn_at` is computed when the
    clock starts, so the sweeper finds due warnings by index instead of recomputing every clock.
    """

    # Indexed by the unique constraint unique_clock_per_round, which starts with it.
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="clocks",
        db_index=False,
    )
    clock = models.CharField(_("clock"), max_length=16, choices=ClockName.choices)
    dispatch_round = models.PositiveSmallIntegerField(_("dispatch round"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warn at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    # Set when the clock no longer applies (e.g. the order was handed over or merged) without
    # being met; a stopped clock neither warns nor breaches.
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    policy_version = models.PositiveIntegerField(_("policy version"))

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "clock", "dispatch_round"], name="unique_clock_per_round"
            ),
        ]
        indexes = [
            # Partial indexes: the sweeper reads only open clocks that are due, so its cost
            # follows the number of due clocks, not the size of the order table.
            models.Index(
                fields=["due_at"],
                name="clock_open_due",
                condition=models.Q(
                    met_at__isnull=True, stopped_at__isnull=True, breached_at__isnull=True
                ),
            ),
            models.Index(
                fields=["warn_at"],
                name="clock_open_warn",
                condition=models.Q(
                    met_at__isnull=True,
                    stopped_at__isnull=True,
                    warned_at__isnull=True,
                    breached_at__isnull=True,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.clock}:{self.dispatch_round}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.stopped_at is None


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")  # 休息日 / 法定节假日
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")  # 调休上班


class CalendarDay(models.Model):
    """A date that differs from the plain Monday–Friday week in the working-time calendar.

    Seeded from the holidays package; a utility edits it in the admin the day the State Council
    publishes next year's schedule.
    """

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True)
    # True when the row came from the State Council's published schedule (through the package or
    # typed in by staff), False when the package only computed it from the statutory rules.
    official = models.BooleanField(_("official schedule"), default=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}"
