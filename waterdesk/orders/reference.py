"""The active categories and departments by code, kept for a few seconds.

Every order created or dispatched names a category and a department, and both tables hold a
few dozen rows that change a few times a year, in the admin. Reading them once per request cost
two of the create request's eight queries. A change saved in this process clears the copy at
once (signals); other processes see it within REFERENCE_CACHE_SECONDS, as with the policy.
"""

import time

from django.db.models.signals import post_delete, post_save

from waterdesk.organization.models import Department

from .models import Category

REFERENCE_CACHE_SECONDS = 5.0
_cached: dict = {"categories": None, "departments": None, "read_at": 0.0}


def active_category(code: str) -> Category | None:
    """Return the active category with `code` (its default department loaded), or None."""
    return _current()["categories"].get(code)


def active_department(code: str) -> Department | None:
    """Return the active department with `code`, or None."""
    return _current()["departments"].get(code)


def _current() -> dict:
    now = time.monotonic()
    if _cached["categories"] is None or now - _cached["read_at"] >= REFERENCE_CACHE_SECONDS:
        categories = Category.objects.filter(is_active=True).select_related("default_department")
        departments = Department.objects.filter(is_active=True)
        _cached.update(
            categories={item.code: item for item in categories},
            departments={item.code: item for item in departments},
            read_at=now,
        )
    return _cached


def forget_reference_data(**_signal_arguments) -> None:
    """Make the next lookup read both tables (after a change, or in tests)."""
    _cached.update(categories=None, departments=None, read_at=0.0)


def connect_signals() -> None:
    """Clear the copy whenever this process saves or deletes a category or department."""
    for model in (Category, Department):
        for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                forget_reference_data,
                sender=model,
                dispatch_uid=f"forget-reference-data-{model.__name__}-{event}",
            )
