"""Message templates and the SMS outbox: one row per message and recipient phone."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import WorkOrder

from .presets import ALLOWED_PLACEHOLDERS
from .rendering import TemplateError, placeholders


class MessageTemplate(models.Model):
    """The text of one kind of message, with named placeholders such as {number}.

    Alibaba Cloud and Tencent Cloud send only texts approved in their consoles, so a real
    provider sends the approved template named by `aliyun_template_code` or `tencent_template_id`
    with the placeholder values, and `text` is what the console provider and the admin show.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=64)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Chinese message text. Placeholders in braces, such as {number}, are replaced by the "
            "values of each notification."
        ),
    )
    aliyun_template_code = models.CharField(
        _("Alibaba Cloud template code"),
        max_length=64,
        blank=True,
        help_text=_(
            "The code of the template approved in the Alibaba Cloud console, such as "
            "SMS_123456789. Its variables must have the names of the placeholders above, "
            "for example ${number}."
        ),
    )
    tencent_template_id = models.CharField(
        _("Tencent Cloud template ID"),
        max_length=64,
        blank=True,
        help_text=_(
            "The ID of the template approved in the Tencent Cloud console. Its variables {1}, "
            "{2}, ... take the values of the placeholders above in the order they first appear."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Notifications with an inactive template are logged and not sent."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        try:
            names = placeholders(self.text, template_code=self.code)
        except TemplateError as error:
            raise ValidationError({"text": str(error)}) from error
        allowed = ALLOWED_PLACEHOLDERS.get(self.code)
        if allowed is None:
            return
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise ValidationError(
                {
                    "text": gettext(
                        "The placeholder {%(placeholder)s} has no value in this kind of message. "
                        "Allowed placeholders: %(allowed)s."
                    )
                    % {
                        "placeholder": unknown[0],
                        "allowed": ", ".join(f"{{{name}}}" for name in sorted(allowed)),
                    }
                }
            )

    def provider_template_id(self, provider: str) -> str:
        """Return the provider's approved template for this message, or "" if none is set."""
        if provider == "aliyun":
            return self.aliyun_template_code
        if provider == "tencent":
            return self.tencent_template_id
        return self.code


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # due at next_attempt_at
    SENDING = "sending", _("Sending")  # claimed by one sending run, provider call under way
    SENT = "sent", _("Sent")  # the provider accepted it
    FAILED = "failed", _("Failed")  # given up; kept for a person to requeue
    HELD = "held", _("Held")  # over a rate limit at enqueue; kept for a person to requeue


class HeldReason(models.TextChoices):
    RATE_LIMIT = "rate_limit", _("Too many messages to this phone in a short time")
    DAILY_CAP = "daily_cap", _("Daily maximum for this phone reached")


class OutboxMessage(models.Model):
    """One SMS to one phone, written in the transaction of the event that causes it.

    Rows are never deleted: a sent, failed or held message stays as the record of what was sent.
    """

    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        help_text=_(
            "The event this message reports. A second notification with the same key to the "
            "same phone is ignored."
        ),
    )
    template_code = models.CharField(_("template"), max_length=64)
    # The notification's values as text, so that a retry after a template edit can render again.
    params = models.JSONField(_("placeholder values"), default=dict)
    text = models.TextField(_("text"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 11-digit mainland mobile number, as normalize_mobile returns it.
    phone = models.CharField(_("phone"), max_length=32)
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    held_reason = models.CharField(
        _("held because"), max_length=16, choices=HeldReason.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message ID"), max_length=128, blank=True)
    # Set when a sending run claims the message. Only the run with this token may record the
    # outcome, so a run that wakes up late cannot overwrite a person's decision.
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Set when the outcome of a provider call is unknown (timeout, worker died mid-call). The
    # message stays in sending and is not retried until a person checks with the provider.
    needs_check_at = models.DateTimeField(_("needs checking since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key", "phone"], name="sms_outbox_unique_key_phone"
            ),
        ]
        indexes = [
            # The sending run reads only due pending rows.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="sms_outbox_pending_due",
                condition=models.Q(status="pending"),
            ),
            # Rate limits count one phone's recent messages.
            models.Index(fields=["phone", "created_at"], name="sms_outbox_phone_created"),
            models.Index(fields=["status", "created_at"], name="sms_outbox_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} #{self.pk}"
