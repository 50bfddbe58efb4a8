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
