from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from .holidays import years_without_official_schedule
from .models import CalendarDay, Clock


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "name", "official"]
    list_filter = ["kind", "official"]
    date_hierarchy = "day"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        for year in years_without_official_schedule([this_year, this_year + 1]):
            messages.warning(
                request,
                _(
                    "The holiday calendar of %(year)d is computed from the statutory rules only. "
                    "Enter the State Council's schedule (days off and make-up working days) once "
                    "it is published, and mark the rows as official."
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    """Clocks change only through order actions and the sweeper; the admin shows them."""

    list_display = [
        "order",
        "clock",
        "dispatch_round",
        "started_at",
        "due_at",
        "met_at",
        "breached_at",
    ]
    list_filter = ["clock"]
    search_fields = ["order__number"]
    raw_id_fields = ["order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
