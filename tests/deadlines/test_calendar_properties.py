"""Hypothesis properties of the business calendar over random calendars, starts and durations.

The zones include daylight-saving zones, zones whose clocks change at midnight (America/Havana,
America/Santiago), a zone whose clocks went back across midnight until 2011 (America/Goose_Bay)
and a zone with a 30-minute change (Australia/Lord_Howe). So the conversion of wall times that
never occur or occur twice is exercised.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from waterdesk.deadlines.calendar import (
    BusinessCalendar,
    add_duration,
    counted_duration,
    is_open,
    next_opening,
)

ZONES = (
    "Asia/Shanghai",
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Havana",
    "America/Santiago",
    "America/Goose_Bay",
)
SECONDS_PER_DAY = 86_400
ONE_MICROSECOND = timedelta(microseconds=1)
FIRST_START = datetime(2000, 1, 1, tzinfo=UTC)
LAST_START = datetime(2040, 12, 31, tzinfo=UTC)

starts = st.datetimes(
    min_value=FIRST_START.replace(tzinfo=None),
    max_value=LAST_START.replace(tzinfo=None),
).map(lambda value: value.replace(tzinfo=UTC))
# Up to 40 days of counted time, to the microsecond. Small values are drawn often enough by
# Hypothesis to cover durations that end in the first period.
durations = st.integers(min_value=0, max_value=40 * SECONDS_PER_DAY * 10**6).map(
    lambda microseconds: timedelta(microseconds=microseconds)
)
positive_durations = durations.filter(lambda duration: duration > timedelta(0))


@cache
def clock_change_dates(zone: str) -> tuple[date, ...]:
    """List the dates in 2000-2040 on which the zone's UTC offset changes."""
    tzinfo = ZoneInfo(zone)
    changes = []
    day = date(2000, 1, 1)
    previous = datetime(1999, 12, 31, 12, tzinfo=tzinfo).utcoffset()
    while day <= date(2040, 12, 31):
        offset = datetime(day.year, day.month, day.day, 12, tzinfo=tzinfo).utcoffset()
        if offset != previous:
            changes.append(day)
        previous = offset
        day += timedelta(days=1)
    return tuple(changes)


def seconds_to_time(seconds: int) -> time:
    # 86 400 seconds is midnight at the end of the day, written 00:00.
    seconds %= SECONDS_PER_DAY
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


@st.composite
def period_lists(draw) -> tuple[tuple[time, time], ...]:
    count = draw(st.integers(min_value=1, max_value=3))
    # Clocks change between 00:00 and 03:00 in the zones above, so boundaries are often drawn
    # from those hours to put them into gaps and repeated hours.
    boundary = st.one_of(
        st.integers(min_value=0, max_value=SECONDS_PER_DAY),
        st.integers(min_value=0, max_value=3 * 3600),
    )
    boundaries = draw(
        st.lists(
            boundary,
            min_size=2 * count,
            max_size=2 * count,
            unique=True,
        )
    )
    boundaries.sort()
    return tuple(
        (seconds_to_time(boundaries[i]), seconds_to_time(boundaries[i + 1]))
        for i in range(0, len(boundaries), 2)
    )


@st.composite
def calendars(draw) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    kind = draw(st.sampled_from(("natural", "daily", "working")))
    if kind == "natural":
        return BusinessCalendar.natural(zone)
    periods = draw(period_lists())
    if kind == "daily":
        return BusinessCalendar.daily_periods(zone, periods)

    # Days off and make-up days near the start, which lies in 2000-2040, are drawn from a window
    # of a few months somewhere in that range so they fall inside many counted spans.
    window_start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 10, 1)))
    offsets = st.integers(min_value=0, max_value=120)
    days_off = {window_start + timedelta(days=i) for i in draw(st.sets(offsets, max_size=30))}
    weekend_days = {
        window_start + timedelta(days=i)
        for i in draw(st.sets(offsets, max_size=10))
        if (window_start + timedelta(days=i)).weekday() >= 5
    }
    return BusinessCalendar.working_time(
        zone, periods, days_off=days_off, makeup_workdays=weekend_days - days_off
    )


@st.composite
def calendars_with_window_start(draw) -> tuple[BusinessCalendar, datetime]:
    """Draw a calendar and a start, often close to a clock change or to a day off."""
    calendar = draw(calendars())
    near = draw(st.sampled_from(("anywhere", "clock change", "special day")))
    candidates = ()
    if near == "clock change":
        candidates = clock_change_dates(calendar.timezone)
    elif near == "special day":
        candidates = sorted(calendar.days_off | calendar.makeup_workdays)
    if not candidates:
        return calendar, draw(starts)

    day = draw(st.sampled_from(candidates))
    offset = draw(st.integers(min_value=-2 * SECONDS_PER_DAY, max_value=2 * SECONDS_PER_DAY))
    microseconds = draw(st.integers(min_value=0, max_value=10**6 - 1))
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        seconds=offset, microseconds=microseconds
    )
    return calendar, start


@settings(deadline=None)
@given(calendars_with_window_start(), durations)
def test_counted_duration_inverts_add_duration(calendar_and_start, duration):
    calendar, start = calendar_and_start
    due = add_duration(start, duration, calendar)
    assert counted_duration(start, due, calendar) == duration


@settings(deadline=None)
@given(calendars_with_window_start(), positive_durations)
def test_due_time_never_inside_pause(calendar_and_start, duration):
    calendar, start = calendar_and_start
    due = add_duration(start, duration, calendar)
    # The due time is inside a period or at its end, so the microsecond before it is counted.
    assert is_open(due - ONE_MICROSECOND, calendar)
    assert due > start


@settings(deadline=None)
@given(calendars_with_window_start(), durations, durations)
def test_add_duration_is_monotonic(calendar_and_start, first, second):
    calendar, start = calendar_and_start
    shorter, longer = sorted((first, second))
    assert add_duration(start, shorter, calendar) <= add_duration(start, longer, calendar)


@settings(deadline=None)
@given(calendars_with_window_start(), durations, durations)
def test_add_duration_is_additive(calendar_and_start, first, second):
    calendar, start = calendar_and_start
    in_two_steps = add_duration(add_duration(start, first, calendar), second, calendar)
    assert in_two_steps == add_duration(start, first + second, calendar)


@settings(deadline=None)
@given(calendars_with_window_start())
def test_next_opening_is_open_and_nothing_before(calendar_and_start):
    calendar, at = calendar_and_start
    opening = next_opening(at, calendar)
    assert opening >= at
    assert is_open(opening, calendar)
    assert counted_duration(at, opening, calendar) == timedelta(0)


@settings(deadline=None)
@given(calendars_with_window_start(), durations, st.integers(1, 3 * 3600))
def test_split_full_day_matches_natural_time(calendar_and_start, duration, split_seconds):
    # Two periods that cover the whole day count every instant, so the general walk over
    # periods must agree with plain addition, including on days with a clock change.
    zone, start = calendar_and_start[0].timezone, calendar_and_start[1]
    split = seconds_to_time(split_seconds)
    calendar = BusinessCalendar.daily_periods(zone, [(time(0), split), (split, time(0))])
    assert add_duration(start, duration, calendar) == start + duration
    assert counted_duration(start, start + duration, calendar) == duration
