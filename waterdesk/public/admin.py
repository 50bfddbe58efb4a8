from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import CitizenPhoto


@admin.register(CitizenPhoto)
class CitizenPhotoAdmin(admin.ModelAdmin):
    list_display = ["order", "content_type", "size", "uploaded_at", "view_link"]
    search_fields = ["order__number"]
    readonly_fields = ["order", "file", "content_type", "size", "uploaded_at", "view_link"]

    @admin.display(description=_("photo"))
    def view_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("public-photo", args=[obj.pk]), _("view"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
