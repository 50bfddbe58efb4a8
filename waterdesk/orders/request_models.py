"""Requests on an order that need a decision: hand-over, return, extension, written report.

Each request has its own state and approvals and is shown on the order while open. The order's
status changes only when a request is decided, through orders.request_actions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waterdesk.organization.models import Department


class RequestKind(models.TextChoices):
    TRANSFER = "transfer", _("Hand-over")  # 转办 under the first-responsible rule
    RETURN = "return", _("Return to the 12345 hotline")  # 退单
    EXTENSION = "extension", _("Extension")  # 延期
    REPORT = "report", _("Written report")  # 书面专报


class RequestStatus(models.TextChoices):
    AWAITING_DEPARTMENT_HEAD = "awaiting_department_head", _("Awaiting the department head")
    AWAITING_CENTER = "awaiting_center", _("Awaiting the center")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


OPEN_REQUEST_STATUSES = (RequestStatus.AWAITING_DEPARTMENT_HEAD, RequestStatus.AWAITING_CENTER)


class OrderRequest(models.Model):
    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=32, choices=RequestStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    requesting_department = models.ForeignKey(
        Department,
        verbose_name=_("requesting department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Made after its time limit (4 hours for a hand-over, 24 hours for a return from acceptance).
    late = models.BooleanField(_("late"), default=False)

    # Hand-over: the department that agreed to take the order, and its named person.
    target_department = models.ForeignKey(
        Department,
        verbose_name=_("target department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    # Counted against the requesting department in the assessment (推诿).
    buck_passing = models.BooleanField(_("buck-passing"), default=False)

    # Return: reason, policy basis or on-site evidence, the unit that should take the request.
    reason = models.TextField(_("reason"), blank=True)
    basis = models.TextField(_("policy basis"), blank=True)
    evidence = models.TextField(_("on-site evidence"), blank=True)
    target_unit = models.CharField(_("target unit"), max_length=100, blank=True)

    # Extension: measures and the completion time promised to the citizen, who agreed to it.
    measures = models.TextField(_("measures"), blank=True)
    expected_done_at = models.DateTimeField(_("expected completion"), null=True, blank=True)
    citizen_agreed = models.BooleanField(_("citizen agreed"), default=False)

    # Written report: the process so far and what keeps a completion time from being given.
    process = models.TextField(_("process"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)

    note = models.TextField(_("note"), blank=True)
    department_head_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_head_decided_at = models.DateTimeField(
        _("department head decided at"), null=True, blank=True
    )
    department_head_comment = models.TextField(_("department head comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("order request")
        verbose_name_plural = _("order requests")
        constraints = [
            # One open request of each kind per order: a second one waits for the first decision.
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=models.Q(status__in=["awaiting_department_head", "awaiting_center"]),
                name="one_open_request_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="request_kind_status")]

    def __str__(self) -> str:
        return f"{self.order} {self.kind} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class OrderAttachment(models.Model):
    """A photo or document kept with an order (evidence for a return, the signed report scan)."""

    order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    request = models.ForeignKey(
        OrderRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
