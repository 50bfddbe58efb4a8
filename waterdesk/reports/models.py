"""Finalised months of the assessment: figures frozen with the policy version they used."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlySnapshot(models.Model):
    month = models.CharField(_("month"), max_length=7, unique=True)  # YYYY-MM
    policy_version = models.PositiveIntegerField(_("policy version"))
    figures = models.JSONField(_("figures"))
    finalized_at = models.DateTimeField(_("finalized at"))
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalized by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("finalized month")
        verbose_name_plural = _("finalized months")

    def __str__(self) -> str:
        return self.month


class OrderFacts(models.Model):
    """The facts about one order that the monthly figures count, derived by `reports.facts`
    from its clocks, requests, replies and callbacks with the conditions in `reports.definitions`.

    Reading one narrow row per order instead of probing five tables per order and figure is what
    lets a month of a million orders be counted in well under two seconds. Rows are derived
    again whenever an event marks the order's `assessment_stale`; they are never edited by hand.
    """

    order = models.OneToOneField(
        "orders.WorkOrder",
        verbose_name=_("order"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="facts",
    )
    created_at = models.DateTimeField(_("created at"))
    department = models.ForeignKey(
        "organization.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # In the base set of its month: neither merged into another order nor excluded.
    counted = models.BooleanField(_("counted"))
    # Excluded from the assessment by an approved exemption.
    excluded = models.BooleanField(_("excluded"))
    dispatched_on_time = models.BooleanField(_("dispatched on time"))
    accepted_on_time = models.BooleanField(_("accepted on time"))
    contacted_on_time = models.BooleanField(_("contacted on time"))
    replied_on_time = models.BooleanField(_("replied on time"))
    closed = models.BooleanField(_("closed"))
    closed_on_time = models.BooleanField(_("closed on time"))
    callbacks_due = models.BooleanField(_("callback due"))
    callbacks_made = models.BooleanField(_("callback made"))
    callbacks_reached = models.BooleanField(_("callback reached the citizen"))
    satisfied = models.BooleanField(_("satisfied"))
    rejected_replies = models.BooleanField(_("reply rejected at review"))
    buck_passing = models.BooleanField(_("buck-passing"))
    returns = models.BooleanField(_("returned"))
    late_returns = models.BooleanField(_("returned late"))
    extensions = models.BooleanField(_("extended"))
    redo_orders = models.BooleanField(_("redo order"))
    untrue_replies = models.BooleanField(_("reply found untrue"))
    derived_at = models.DateTimeField(_("derived at"))

    class Meta:
        verbose_name = _("assessment facts of an order")
        verbose_name_plural = _("assessment facts of orders")
        indexes = [models.Index(fields=["created_at"], name="facts_created")]

    def __str__(self) -> str:
        return str(self.order_id)
