"""12345 hotline platforms, their category and field mappings, seen nonces, and the outbox.

A platform's shared secret is stored as given, not hashed: HMAC-SHA256 needs the secret itself both
to check a push's signature and to sign the messages sent back, and a hash cannot do either. So the
database and its backups are as sensitive as the secret. The admin never shows a stored secret
again, and the code never logs it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.orders.models import Category, WorkOrder
from waterdesk.organization.models import Department

# The adapter's own names for what a push carries, and the key each has in the wire format of
# docs/12345-wire-format.md. A platform's `field_mapping` replaces the key of any of them; a dotted
# key such as "case.location.address" reads a nested object.
DEFAULT_FIELD_MAPPING = {
    "external_id": "hotline_id",
    "upstream_received_at": "received_at",
    "category": "category",
    "address": "address",
    "reporter": "reporter",
    "phone": "phone",
    "content": "content",
    "time_limit_hours": "time_limit_hours",
    "due_at": "due_at",
    "is_urgent": "is_urgent",
    "is_redo": "is_redo",
    "original_external_id": "original_hotline_id",
    "redo_reasons": "redo_reasons",
    "night_contact_allowed": "night_contact_allowed",
}


def default_field_mapping() -> dict:
    return dict(DEFAULT_FIELD_MAPPING)


def validate_field_mapping(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("The field mapping must be a JSON object."))
    for field, key in value.items():
        if field not in DEFAULT_FIELD_MAPPING:
            raise ValidationError(
                _("The field mapping names an unknown field %(field)s. Known fields: %(known)s.")
                % {"field": field, "known": ", ".join(DEFAULT_FIELD_MAPPING)}
            )
        if not isinstance(key, str) or not key.strip():
            raise ValidationError(
                _("The field mapping must give a non-empty key for %(field)s.") % {"field": field}
            )


class HotlinePlatform(models.Model):
    """One 12345 platform that pushes orders to the utility and receives its replies."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Sent by the platform in the X-Hotline-Key header to say which secret signed the push.
    key = models.SlugField(_("platform key"), max_length=64, unique=True)
    secret = models.CharField(
        _("shared secret"),
        max_length=128,
        help_text=_(
            "The HMAC-SHA256 secret agreed with the platform, at least 32 characters. It signs "
            "both directions and is stored as given, because signing needs the secret itself."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    timestamp_window_seconds = models.PositiveIntegerField(
        _("timestamp window (seconds)"),
        default=300,
        help_text=_(
            "A push whose signed timestamp differs from the server's clock by more than this "
            "is rejected as expired."
        ),
    )
    field_mapping = models.JSONField(
        _("field mapping"),
        default=default_field_mapping,
        blank=True,
        validators=[validate_field_mapping],
        help_text=_(
            "JSON object from the adapter's field names to the keys of this platform's pushes. "
            "Fields left out keep their default key."
        ),
    )
    dispatch_at_once = models.BooleanField(
        _("dispatch at once"),
        default=False,
        help_text=_(
            "Dispatch pushed orders at once to the department of their category. When off, "
            "they wait for a dispatcher to check them and dispatch them."
        ),
    )
    outbound_url = models.URLField(
        _("endpoint for replies"),
        blank=True,
        help_text=_(
            "The platform's URL that receives replies, returns and redo replies. Messages wait "
            "in the outbox while it is empty."
        ),
    )
    response_code_key = models.CharField(
        _("result code key"),
        max_length=100,
        blank=True,
        help_text=_(
            "For a platform that responds with HTTP 200 also when it rejects a message: the key "
            "of the result code in its JSON response (dotted for nested objects). Leave empty "
            "when any 2xx status means the message was taken."
        ),
    )
    response_success_codes = models.JSONField(
        _("success codes"),
        default=list,
        blank=True,
        help_text=_('The result codes that mean the message was taken, e.g. ["0", "200"].'),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("12345 platform")
        verbose_name_plural = _("12345 platforms")

    def __str__(self) -> str:
        return self.name

    def incoming_key(self, field: str) -> str:
        """Return the key under which this platform's pushes carry the adapter field `field`."""
        mapping = self.field_mapping if isinstance(self.field_mapping, dict) else {}
        return mapping.get(field) or DEFAULT_FIELD_MAPPING[field]


class CategoryMapping(models.Model):
    """A pairing of one platform's 12345 category with one of our fault categories."""

    platform = models.ForeignKey(
        HotlinePlatform,
        verbose_name=_("12345 platform"),
        on_delete=models.CASCADE,
        related_name="category_mappings",
    )
    upstream_category = models.CharField(
        _("12345 category"),
        max_length=100,
        help_text=_("The category exactly as the platform sends it, code or name."),
    )
    category = models.ForeignKey(Category, verbose_name=_("our category"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty to use the category's default department."),
    )

    class Meta:
        ordering = ["platform", "upstream_category"]
        verbose_name = _("12345 category mapping")
        verbose_name_plural = _("12345 category mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "upstream_category"], name="unique_upstream_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.upstream_category} → {self.category}"


class SeenNonce(models.Model):
    """A nonce of an accepted signature; a second push with the same nonce is a replay."""

    platform = models.ForeignKey(HotlinePlatform, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("seen nonce")
        verbose_name_plural = _("seen nonces")
        constraints = [
            models.UniqueConstraint(fields=["platform", "nonce"], name="unique_platform_nonce"),
        ]
        indexes = [models.Index(fields=["platform", "seen_at"], name="nonce_platform_seen")]

    def __str__(self) -> str:
        return self.nonce


class PushedOrder(models.Model):
    """The platform that pushed an order, so that its replies go back to the same platform."""

    order = models.OneToOneField(
        WorkOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="hotline_push"
    )
    platform = models.ForeignKey(
        HotlinePlatform, verbose_name=_("12345 platform"), on_delete=models.PROTECT
    )
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("pushed order")
        verbose_name_plural = _("pushed orders")

    def __str__(self) -> str:
        return str(self.order)


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    RETURN = "return", _("Return")
    REDO_REPLY = "redo_reply", _("Redo reply")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    # The attempts ran out, or the platform rejected the message as invalid: a person must act.
    FAILED = "failed", _("Failed")
    # A send was cut off after the request may have reached the platform, so sending again could
    # deliver it twice. A person checks with the platform, then marks it delivered or resends it.
    UNCERTAIN = "uncertain", _("Outcome unknown")


class OutboundMessage(models.Model):
    """One message to a 12345 platform, written in the transaction of the change it reports."""

    message_id = models.UUIDField(_("message id"), unique=True)
    # Keeps a second enqueue of the same reply or return request from making a second message.
    dedupe_key = models.CharField(_("deduplication key"), max_length=128, unique=True)
    platform = models.ForeignKey(
        HotlinePlatform, verbose_name=_("12345 platform"), on_delete=models.PROTECT
    )
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="hotline_messages",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # Set with the compare-and-set claim; a claim older than the send timeout means the sender died.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["claimed_at"], name="outbox_sending", condition=models.Q(status="sending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.message_id}"


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    RETRY = "retry", _("Failed, will retry")
    FAILED = "failed", _("Failed, no retry")
    UNCERTAIN = "uncertain", _("Cut off, outcome unknown")
    # The sender stopped mid-call (the worker died): found by the stuck-send check.
    INTERRUPTED = "interrupted", _("Interrupted")


class DeliveryAttempt(models.Model):
    """One try to send an outbound message, with the platform's response."""

    message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="delivery_attempts",
    )
    number = models.PositiveIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    error = models.TextField(_("error"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AttemptOutcome.choices)

    class Meta:
        ordering = ["message", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.message_id}#{self.number} {self.outcome}"
