"""Loading the preset reference data without touching what a utility has changed."""

from django.db import transaction
from django.utils import timezone

from waterdesk.deadlines.holidays import seed_holiday_calendar
from waterdesk.notifications.presets import ensure_preset_templates
from waterdesk.orders.models import Category
from waterdesk.organization.models import Department

from .models import get_policy
from .preset import CATEGORIES, DEPARTMENTS


@transaction.atomic
def load_preset() -> dict[str, int]:
    """Create the preset departments, categories and first policy version where missing.

    Existing rows are left as they are, so edits made in the admin survive a reload. Returns how
    many rows of each kind were created.
    """
    created = {"departments": 0, "categories": 0, "calendar_days": 0}
    for sort_order, (code, name, is_center) in enumerate(DEPARTMENTS):
        _department, was_created = Department.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_dispatch_center": is_center, "sort_order": sort_order},
        )
        created["departments"] += was_created
    for sort_order, (code, name, department_code, hours) in enumerate(CATEGORIES):
        _category, was_created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_department": Department.objects.get(code=department_code),
                "time_limit_hours": hours,
                "sort_order": sort_order,
            },
        )
        created["categories"] += was_created
    get_policy()
    ensure_preset_templates()
    # The current and next year, so that deadlines near New Year count the right days.
    this_year = timezone.localdate().year
    created["calendar_days"] = seed_holiday_calendar(range(this_year - 1, this_year + 2))
    return created
