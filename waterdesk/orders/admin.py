from django.contrib import admin

from .models import Category, OrderEvent, WorkOrder


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "default_department",
        "time_limit_hours",
        "is_active",
        "sort_order",
    ]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["code", "name"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    """Orders are read-only here: every change goes through the actions, which keep the history."""

    list_display = ["number", "status", "channel", "category", "department", "created_at"]
    list_filter = ["status", "channel", "order_type", "department"]
    search_fields = ["number", "external_id", "address", "phone"]
    inlines = [OrderEventInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
