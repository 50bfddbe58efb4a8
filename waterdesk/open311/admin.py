from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import ApiKey, SubmittedRequest


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """A new key is generated on saving and shown once; only its hash is stored."""

    list_display = ["name", "key_prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        new_key = None if change else obj.set_new_key()
        super().save_model(request, obj, form, change)
        if new_key:
            messages.warning(
                request,
                _(
                    "The api_key of %(name)s is %(key)s. Give it to the client now: it is not "
                    "shown again."
                )
                % {"name": obj.name, "key": new_key},
            )


@admin.register(SubmittedRequest)
class SubmittedRequestAdmin(admin.ModelAdmin):
    list_display = ["order", "api_key", "submitted_at"]
    list_filter = ["api_key"]
    search_fields = ["order__number", "token"]
    readonly_fields = [
        "order",
        "api_key",
        "token",
        "fingerprint",
        "lat",
        "long",
        "media_url",
        "submitted_at",
    ]

    def has_add_permission(self, request):
        return False
