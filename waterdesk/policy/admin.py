from django.contrib import admin

from .models import Policy


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """Each save writes a new version; the rows of earlier versions never change."""

    list_display = ["version", "created_at", "created_by", "change_note"]
    readonly_fields = ["version", "created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        obj.save_as_new_version(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False
