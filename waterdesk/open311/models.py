"""Open311 API keys and the requests submitted through them."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import WorkOrder


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """A client allowed to submit requests. Only a hash of the key is stored."""

    name = models.CharField(_("client name"), max_length=100, unique=True)
    # The first characters of the key, so that a person can tell keys apart in the admin.
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def set_new_key(self) -> str:
        """Give this row a new random key and return it in clear text, which is shown once."""
        key = secrets.token_urlsafe(24)
        self.key_prefix = key[:8]
        self.key_hash = hash_api_key(key)
        return key


class SubmittedRequest(models.Model):
    """An order created through Open311, with what the spec has and our orders do not."""

    order = models.OneToOneField(
        WorkOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="open311"
    )
    api_key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT)
    token = models.CharField(_("token"), max_length=32, unique=True)
    # Hash of key, service code, address, description and phone: an equal hash within the
    # duplicate window is the same request sent again.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        indexes = [
            models.Index(fields=["fingerprint", "submitted_at"], name="open311_fingerprint"),
        ]

    def __str__(self) -> str:
        return str(self.order)
