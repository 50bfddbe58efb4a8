"""Work orders, their append-only event history, contact attempts and replies."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.organization.models import Department

from .statuses import Action, Channel, OrderType, Status


class ExemptionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Excluded from the assessment")
    REJECTED = "rejected", _("Exclusion refused")


class Category(models.Model):
    """A fault category (故障类别) with the department and time limit it suggests."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    default_department = models.ForeignKey(
        Department, verbose_name=_("default department"), on_delete=models.PROTECT
    )
    time_limit_hours = models.PositiveIntegerField(_("time limit (hours)"))
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("fault category")
        verbose_name_plural = _("fault categories")

    def __str__(self) -> str:
        return self.name


class WorkOrder(models.Model):
    """A citizen's request (工单) with the regulation's eight elements and its lifecycle.

    The eight elements are channel (信息来源), address, phone (联系方式), reporter (反映人),
    content (反映内容), category (故障类别), department (责任单位) and the time limit (处理时限).
    Only the functions in orders.actions change `status`; each change bumps `version`.
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    external_id = models.CharField(_("12345 hotline id"), max_length=64, null=True, blank=True)
    order_type = models.CharField(
        _("order type"), max_length=16, choices=OrderType.choices, default=OrderType.GENERAL
    )
    redo_of = models.ForeignKey(
        "self",
        verbose_name=_("redo of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redo_orders",
    )
    redo_reasons = models.TextField(_("redo reasons"), blank=True)

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=500)
    # The address without spaces, punctuation and full-width forms: repeat and duplicate requests
    # at one place are found by this key and the category.
    address_key = models.CharField(_("address key"), max_length=500, editable=False, default="")
    content = models.TextField(_("content"))
    reporter = models.CharField(_("reporter"), max_length=100, null=True, blank=True)
    # Canonical form: 11-digit mobile, or area code-number for landlines. Null means the citizen
    # left no contact, which changes the reply rules and does not start the contact clock.
    phone = models.CharField(_("phone"), max_length=32, null=True, blank=True)
    # Indexed by order_dept_status_created below, which starts with it.
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    time_limit_hours = models.DecimalField(_("time limit (hours)"), max_digits=7, decimal_places=2)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    callback_required = models.BooleanField(_("callback required"), default=True)
    night_contact_allowed = models.BooleanField(_("contact at night allowed"), default=False)
    upstream_received_at = models.DateTimeField(
        _("received by the 12345 hotline at"), null=True, blank=True
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Incremented by each dispatch, so that clocks and replies can tell the rounds apart.
    dispatch_round = models.PositiveSmallIntegerField(_("dispatch round"), default=0)
    # Resolution time still left when the department replied; a rejected reply is dispatched
    # again with this much time (the regulation's "remaining time" rule).
    time_left_at_reply = models.DurationField(_("time left at reply"), null=True, blank=True)
    # An approved extension moved the resolution clock (延期); at most once per order.
    extended = models.BooleanField(_("extended"), default=False)
    # A process-satisfaction callback is owed after an approved extension.
    process_callback_pending = models.BooleanField(_("process callback pending"), default=False)
    # A reply opened with an exemption prefix proposes excluding the order from the assessment;
    # the center head confirms or refuses.
    exemption_kind = models.CharField(_("exemption kind"), max_length=16, blank=True)
    exemption_status = models.CharField(
        _("exemption status"), max_length=16, choices=ExemptionStatus.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_orders",
    )

    # Indexed by order_created below, which serves ranges and sorts alike.
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    # Set by every event: the monthly assessment's per-order facts (reports.OrderFacts) must be
    # derived again. A database default, so that bulk loads that skip the column get it right.
    assessment_stale = models.BooleanField(
        _("assessment facts stale"), default=True, db_default=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="unique_channel_external_id",
            ),
        ]
        indexes = [
            # The department inbox and the list filtered by department and status, newest first.
            models.Index(
                fields=["department", "status", "-created_at", "-id"],
                name="order_dept_status_created",
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="order_status_created"),
            models.Index(fields=["-created_at", "-id"], name="order_created"),
            models.Index(fields=["phone"], name="order_phone"),
            models.Index(fields=["address_key", "category"], name="order_address_category"),
            # The few orders whose assessment facts wait to be derived again.
            models.Index(
                fields=["created_at"],
                condition=models.Q(assessment_stale=True),
                name="order_assessment_stale",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderEvent(models.Model):
    """One step in an order's history. Rows are only ever inserted."""

    # Indexed by event_order_at below, which starts with it.
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [
            models.Index(fields=["order", "at", "id"], name="event_order_at"),
            models.Index(fields=["action", "at"], name="event_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("OrderEvent rows are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("OrderEvent rows are append-only and cannot be deleted")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    POWERED_OFF = "powered_off", _("Phone switched off")
    SITE_VISIT = "site_visit", _("Site visit")


class ContactAttempt(models.Model):
    """One attempt by the department to reach the citizen after accepting the order."""

    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="contact_attempts",
    )
    at = models.DateTimeField(_("attempted at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ContactOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self) -> str:
        return f"{self.order} {self.outcome}"


class ReplyStatus(models.TextChoices):
    # A redo order's reply needs the department head and then the center head first.
    AWAITING_DEPARTMENT_HEAD = "awaiting_department_head", _("Awaiting the department head")
    AWAITING_CENTER_HEAD = "awaiting_center_head", _("Awaiting the center head")
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected at review")


class Reply(models.Model):
    """One reply submitted by the department. Every submission is kept as its own row."""

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="replies"
    )
    dispatch_round = models.PositiveSmallIntegerField(_("dispatch round"))
    content = models.TextField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # Warnings of the reply check saved with the reply; errors reject the reply before it exists.
    warnings = models.JSONField(_("check warnings"), default=list, blank=True)
    policy_version = models.PositiveIntegerField(_("policy version of the check"))
    status = models.CharField(
        _("status"), max_length=32, choices=ReplyStatus.choices, default=ReplyStatus.SUBMITTED
    )
    department_head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the department head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_head_approved_at = models.DateTimeField(
        _("approved by the department head at"), null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["order", "-submitted_at"], name="reply_order_submitted")]

    def __str__(self) -> str:
        return f"{self.order} {self.submitted_at:%Y-%m-%d %H:%M}"


class OrderNumberSequence(models.Model):
    """The last order number handed out for one local day; rows are only incremented."""

    day = models.DateField(primary_key=True)
    last_value = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("order number sequence")
        verbose_name_plural = _("order number sequences")

    def __str__(self) -> str:
        return f"{self.day}: {self.last_value}"


# Request models live in their own module; importing them here registers them with the app.
from .request_models import OrderAttachment, OrderRequest  # noqa: E402, F401
