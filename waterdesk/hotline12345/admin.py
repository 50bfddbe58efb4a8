import secrets

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import delivery
from .models import (
    CategoryMapping,
    DeliveryAttempt,
    HotlinePlatform,
    MessageStatus,
    OutboundMessage,
)

MIN_SECRET_LENGTH = 32


class HotlinePlatformForm(forms.ModelForm):
    """The secret is write-only: a stored secret is never shown, and a blank entry keeps it."""

    secret = forms.CharField(
        label=gettext_lazy("shared secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy(
            "At least 32 characters. Leave empty to keep the stored secret, or, for a new "
            "platform, to generate one that is shown once after saving."
        ),
    )

    outbound_url = forms.URLField(
        label=HotlinePlatform._meta.get_field("outbound_url").verbose_name,
        help_text=HotlinePlatform._meta.get_field("outbound_url").help_text,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = HotlinePlatform
        fields = [
            "name",
            "key",
            "secret",
            "is_active",
            "timestamp_window_seconds",
            "field_mapping",
            "dispatch_at_once",
            "outbound_url",
            "response_code_key",
            "response_success_codes",
        ]

    generated_secret = False

    def clean_secret(self):
        value = self.cleaned_data["secret"]
        if value and len(value) < MIN_SECRET_LENGTH:
            raise forms.ValidationError(
                _("The secret has %(length)d characters; use at least %(min)d.")
                % {"length": len(value), "min": MIN_SECRET_LENGTH}
            )
        if value:
            return value
        if self.instance.pk:
            return self.instance.secret
        self.generated_secret = True
        return secrets.token_urlsafe(36)


class CategoryMappingInline(admin.TabularInline):
    model = CategoryMapping
    extra = 1
    autocomplete_fields = ["category"]


@admin.register(HotlinePlatform)
class HotlinePlatformAdmin(admin.ModelAdmin):
    form = HotlinePlatformForm
    list_display = ["name", "key", "is_active", "dispatch_at_once", "outbound_url"]
    list_filter = ["is_active"]
    search_fields = ["name", "key"]
    inlines = [CategoryMappingInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.generated_secret:
            messages.warning(
                request,
                _(
                    "The generated secret of %(platform)s is %(secret)s. Give it to the platform "
                    "now: it is not shown again."
                )
                % {"platform": obj.name, "secret": obj.secret},
            )


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ["upstream_category", "category", "department", "platform"]
    list_filter = ["platform"]
    search_fields = ["upstream_category", "category__name", "category__code"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = [
        "number",
        "started_at",
        "finished_at",
        "outcome",
        "status_code",
        "response_excerpt",
        "error",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox is read-only except for two decisions a person makes on failed messages."""

    list_display = [
        "order",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "platform",
    ]
    list_filter = ["status", "kind", "platform"]
    search_fields = ["order__number", "order__external_id", "message_id"]
    readonly_fields = [
        "message_id",
        "dedupe_key",
        "platform",
        "order",
        "kind",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "delivered_at",
        "last_error",
        "created_at",
    ]
    exclude = ["claim_token"]
    inlines = [DeliveryAttemptInline]
    actions = ["send_again", "mark_delivered"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Send the selected failed or uncertain messages again"))
    def send_again(self, request, queryset):
        now = timezone.now()
        count = 0
        for message in queryset.filter(status__in=(MessageStatus.FAILED, MessageStatus.UNCERTAIN)):
            if delivery.send_again(message, request.user, now):
                count += 1
        self.message_user(
            request, _("%(count)d message(s) queued to be sent again.") % {"count": count}
        )

    @admin.action(
        description=gettext_lazy(
            "Mark the selected messages delivered (confirmed with the platform)"
        )
    )
    def mark_delivered(self, request, queryset):
        now = timezone.now()
        count = 0
        for message in queryset.filter(status__in=(MessageStatus.FAILED, MessageStatus.UNCERTAIN)):
            if delivery.mark_delivered(message, request.user, now):
                count += 1
        self.message_user(request, _("%(count)d message(s) marked delivered.") % {"count": count})
