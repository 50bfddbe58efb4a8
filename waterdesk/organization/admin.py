from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import DEPARTMENT_ROLES, Department, Role, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_dispatch_center", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["code", "name"]


class UserRolesForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        roles = set(cleaned.get("roles") or [])
        if roles & DEPARTMENT_ROLES and not cleaned.get("department"):
            self.add_error(
                "department", _("A handler or department head must belong to a department.")
            )
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserRolesForm
    list_display = ["username", "name", "department", "roles", "is_active"]
    list_filter = ["department", "is_active"]
    search_fields = ["username", "name", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Work order roles"), {"fields": ("name", "roles", "department", "phone")}),
    )
