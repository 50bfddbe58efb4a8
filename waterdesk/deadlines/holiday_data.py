"""Seed data for the working-time calendar: China's days off and make-up working days (调休).

The data comes from the ``holidays`` package (pinned at 0.109), which encodes the State Council's
yearly holiday notice for 2001-2026. For other years the package computes the statutory holidays
from fixed rules (lunar dates, and a weekend holiday moved to the next working day) and lists no
make-up working days. The State Council publishes each notice late in the year before, so such
rule-based years must be checked and corrected by hand once the notice is out.

The functions here only read the package. They never raise for a year without official data,
because a deadline must still be computable when next year's notice is missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

import holidays

# Names in Simplified Chinese, as the admin shows them. The make-up day names built below are
# Chinese too.
_LANGUAGE = "zh_CN"
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@dataclass(frozen=True)
class NamedDay:
    """A date with the name the calendar table shows for it, such as 春节 or 春节调休上班."""

    day: date
    name: str


@dataclass(frozen=True)
class HolidayYear:
    """Days off and make-up working days of one calendar year, each sorted by date.

    ``official`` is True when the package contains the State Council's notice for the year and
    False when it only has rule-based holidays (see ``china_calendar_days``).
    """

    year: int
    official: bool
    days_off: tuple[NamedDay, ...]
    makeup_workdays: tuple[NamedDay, ...]


def china_calendar_days(years: Iterable[int]) -> dict[int, HolidayYear]:
    """Collect China's public-holiday days off and make-up working days for each year.

    Returns one ``HolidayYear`` per requested year, keyed and ordered by year. Days off are the
    package's public holidays (category PUBLIC), including days in lieu (补假) and days off
    moved by a notice (休息日（由 … 调休）). Half-day holidays such as 国际妇女节 are left out
    because they do not close the utility.

    A year is marked official when the package lists at least one make-up working day dated in
    it. Every State Council notice from 2001 to 2026 moves at least one working day onto a
    weekend, while the rule-based fallback never creates one, so the test separates the two. A
    future notice with no weekend swaps would be reported as not official, which errs towards
    the admin warning. Years outside the package's range (1950-2100 in 0.109) come back empty
    and not official.

    Raises ValueError for a year outside the range of ``datetime.date``.
    """
    requested = sorted(set(years))
    for year in requested:
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValueError(f"years must contain integers, got {year!r}")
        if not MINYEAR <= year <= MAXYEAR:
            raise ValueError(f"year {year} is outside the supported range {MINYEAR}-{MAXYEAR}")
    if not requested:
        return {}

    # The next year is loaded too, because its notice may put a make-up working day in late
    # December of the requested year (the 2002 notice made 2001-12-29 a working day).
    loaded_years = set(requested) | {year + 1 for year in requested if year < MAXYEAR}
    china = holidays.China(years=loaded_years, language=_LANGUAGE)
    days_off = dict(sorted(china.items()))
    all_makeup_days = frozenset(china.weekend_workdays)

    result = {}
    for year in requested:
        year_days_off = tuple(
            NamedDay(day, name) for day, name in days_off.items() if day.year == year
        )
        year_makeup_days = tuple(
            NamedDay(day, _makeup_workday_name(day, days_off, all_makeup_days))
            for day in sorted(all_makeup_days)
            if day.year == year
        )
        result[year] = HolidayYear(
            year=year,
            official=bool(year_makeup_days),
            days_off=year_days_off,
            makeup_workdays=year_makeup_days,
        )
    return result


def _makeup_workday_name(
    makeup_day: date, days_off: dict[date, str], makeup_days: frozenset[date]
) -> str:
    """Name a make-up working day after the holiday whose day off it pays for.

    The package names the moved day off 休息日（由 2026-02-14 调休）, so the day off is found by
    the make-up date in its name. The holiday is the most frequent name in the run of days off and
    weekends around that day off. Returns 调休上班 when no holiday can be found.
    """
    marker = makeup_day.isoformat()
    moved_days_off = [day for day, name in days_off.items() if marker in name]
    if not moved_days_off:
        return "调休上班"
    moved_day_off = moved_days_off[0]

    def is_rest_day(day: date) -> bool:
        return day in days_off or (day.weekday() >= _SATURDAY and day not in makeup_days)

    first = moved_day_off
    while is_rest_day(first - _ONE_DAY):
        first -= _ONE_DAY
    last = moved_day_off
    while is_rest_day(last + _ONE_DAY):
        last += _ONE_DAY

    # Moved days off carry a generated name, not a holiday's, so they are not counted.
    holiday_names = Counter()
    day = first
    while day <= last:
        name = days_off.get(day)
        if name is not None and "调休" not in name:
            holiday_names[name] += 1
        day += _ONE_DAY
    if not holiday_names:
        return "调休上班"
    # most_common keeps the first-seen order among equal counts, so ties go to the earlier date.
    holiday = holiday_names.most_common(1)[0][0]
    return f"{holiday}调休上班"
