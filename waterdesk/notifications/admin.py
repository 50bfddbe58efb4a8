from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import outbox
from .models import MessageTemplate, OutboxMessage, OutboxStatus
from .phones import mask_phone
from .sending import is_stuck, stuck_in_sending

STUCK_ONLY = gettext_lazy(
    "The others were skipped because only messages stuck in sending can be confirmed."
)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Message texts and provider templates, editable. Callers look templates up by code."""

    list_display = ["code", "name", "is_active", "aliyun_template_code", "tencent_template_id"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "text"]
    readonly_fields = ["code", "updated_at"]
    fields = [
        "code",
        "name",
        "text",
        "aliyun_template_code",
        "tencent_template_id",
        "is_active",
        "updated_at",
    ]

    # The code calls templates by their codes, so a new code would have no caller and a deleted
    # one would make its notifications fail.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    """Statuses, with the messages stuck in sending as a choice of their own."""

    title = gettext_lazy("status")
    parameter_name = "state"
    NEEDS_CHECK = "needs_check"

    def lookups(self, request, model_admin):
        return [
            *OutboxStatus.choices,
            (self.NEEDS_CHECK, _("Stuck in sending: check at the provider")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NEEDS_CHECK:
            return queryset.filter(stuck_in_sending(timezone.now()))
        if value in OutboxStatus.values:
            return queryset.filter(status=value)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox is read-only: rows change only through sending and the actions below."""

    list_display = [
        "id",
        "created_at",
        "template_code",
        "recipient",
        "masked_phone",
        "order",
        "status_display",
        "held_reason",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = [StatusFilter, "held_reason", "template_code"]
    search_fields = ["dedup_key", "order__number", "recipient__username", "recipient__name"]
    list_select_related = ["recipient", "order"]
    date_hierarchy = "created_at"
    actions = ["requeue_messages", "confirm_delivered", "confirm_not_delivered"]
    readonly_fields = [
        "dedup_key",
        "template_code",
        "text",
        "params",
        "recipient",
        "phone",
        "order",
        "status",
        "held_reason",
        "attempts",
        "next_attempt_at",
        "last_error",
        "provider_message_id",
        "claimed_at",
        "needs_check_at",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("phone"))
    def masked_phone(self, message: OutboxMessage) -> str:
        return mask_phone(message.phone)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_display(self, message: OutboxMessage) -> str:
        if is_stuck(message, timezone.now()):
            return _("Stuck in sending: check at the provider")
        return message.get_status_display()

    def changelist_view(self, request, extra_context=None):
        stuck = OutboxMessage.objects.filter(stuck_in_sending(timezone.now())).count()
        if stuck:
            messages.warning(
                request,
                ngettext(
                    "%(count)d message is stuck in sending: the provider call was interrupted, "
                    "so it may or may not have been delivered, and it is not resent "
                    "automatically. Check it at the SMS provider, then use an action to confirm "
                    "it was delivered or not delivered.",
                    "%(count)d messages are stuck in sending: the provider call was interrupted, "
                    "so they may or may not have been delivered, and they are not resent "
                    "automatically. Check them at the SMS provider, then use an action to "
                    "confirm they were delivered or not delivered.",
                    stuck,
                )
                % {"count": stuck},
            )
        return super().changelist_view(request, extra_context)

    @admin.action(
        description=gettext_lazy("Requeue the selected failed or held messages"),
        permissions=["change"],
    )
    def requeue_messages(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = outbox.requeue(selected, now=timezone.now())
        self._report(
            request,
            count,
            len(selected),
            _("The others were skipped because only failed or held messages can be requeued."),
        )

    @admin.action(
        description=gettext_lazy("Confirm the selected stuck messages were delivered"),
        permissions=["change"],
    )
    def confirm_delivered(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = outbox.resolve_unconfirmed(selected, delivered=True, now=timezone.now())
        self._report(request, count, len(selected), STUCK_ONLY)

    @admin.action(
        description=gettext_lazy(
            "Confirm the selected stuck messages were not delivered and resend them"
        ),
        permissions=["change"],
    )
    def confirm_not_delivered(self, request, queryset):
        selected = list(queryset.values_list("pk", flat=True))
        count = outbox.resolve_unconfirmed(selected, delivered=False, now=timezone.now())
        self._report(request, count, len(selected), STUCK_ONLY)

    def _report(self, request, changed: int, selected: int, skipped_message) -> None:
        self.message_user(
            request,
            _("%(changed)d of %(selected)d selected messages changed.")
            % {
                "changed": changed,
                "selected": selected,
            },
            messages.SUCCESS if changed else messages.WARNING,
        )
        if changed < selected:
            self.message_user(request, skipped_message, messages.WARNING)
