"""The editable holiday calendar: seeding it from the holidays package and reading it back."""

import datetime

from django.db import transaction

from .holiday_data import china_calendar_days
from .models import CalendarDay, CalendarDayKind


@transaction.atomic
def seed_holiday_calendar(years) -> int:
    """Add the package's days off and make-up days for `years`; returns how many rows were added.

    Dates already in the table are kept as they are, so corrections made in the admin survive.
    """
    created = 0
    for holiday_year in china_calendar_days(years).values():
        rows = [
            (named.day, CalendarDayKind.DAY_OFF, named.name) for named in holiday_year.days_off
        ] + [
            (named.day, CalendarDayKind.MAKEUP_WORKDAY, named.name)
            for named in holiday_year.makeup_workdays
        ]
        for day, kind, name in rows:
            _row, was_created = CalendarDay.objects.get_or_create(
                day=day, defaults={"kind": kind, "name": name, "official": holiday_year.official}
            )
            created += was_created
    return created


def days_off_and_makeup_days() -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """Return the calendar's days off and make-up working days."""
    days_off, makeup_days = set(), set()
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        (days_off if kind == CalendarDayKind.DAY_OFF else makeup_days).add(day)
    return frozenset(days_off), frozenset(makeup_days)


def years_without_official_schedule(years) -> list[int]:
    """Return those of `years` whose rows are all rule-based (or missing), for the admin warning."""
    official_years = {
        day.year for day in CalendarDay.objects.filter(official=True).values_list("day", flat=True)
    }
    return [year for year in years if year not in official_years]
