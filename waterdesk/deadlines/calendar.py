"""Business calendar: deadline arithmetic in natural time, daily periods or working time.

A ``BusinessCalendar`` lists the local periods of a day in which time counts, for example
08:30-21:00 for a clock that must not run during the quiet hours at night, or 08:30-12:00 and
13:30-17:30 on working days only. The functions below add counted time to an instant and measure
the counted time between two instants.

All arithmetic runs on absolute instants. Each period of each local date is converted once into a
UTC interval, so a day with a daylight-saving change counts the time that really passes: an
08:00-12:00 period that contains a one-hour jump forward counts three hours. Wall times that fall
in such a gap map to the instant of the jump. Wall times that occur twice, when clocks go back,
map to their first occurrence.

The module is pure: it needs neither the database nor Django settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"

_MIDNIGHT = time(0)
_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_ONE_SECOND = timedelta(seconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SATURDAY = 5
# Maximum number of converted dates kept per calendar and in the shared cache. Each costs a few
# hundred bytes, and 4096 dates cover more than 11 years.
_MAX_CACHED_DAYS = 4096

Period = tuple[time, time]


class _Day(NamedTuple):
    """One local date converted to UTC."""

    start: datetime
    # One (start, end) interval per period of the calendar, in the same order. An interval has
    # zero length when its period lies entirely in a daylight-saving gap.
    intervals: tuple[tuple[datetime, datetime], ...]
    counted_time: timedelta


@dataclass(frozen=True)
class Slot:
    """One period of the calendar on one local date, as UTC instants.

    For one calendar, two slots are equal exactly when they have the same local date and period
    index, so the callback desk can compare slots to tell whether two attempts were made in the
    same window.
    """

    local_date: date
    index: int
    start: datetime
    # Exclusive: the instant ``end`` belongs to the pause after the slot.
    end: datetime


@dataclass(frozen=True)
class BusinessCalendar:
    """Definition of the instants that count towards a deadline.

    Time counts inside ``periods`` of each counted day. A period is a pair of local wall times
    (start, end) on the same date. An end of 00:00 or ``time.max`` means midnight at the end of
    the day and is stored as 00:00. A period cannot cross midnight, so quiet hours of 21:00-08:30
    are written as the single counted period 08:30-21:00.

    With ``working_days_only`` a day counts when it is in ``makeup_workdays`` (a Saturday or
    Sunday that is a working day, 调休) or when it is Monday to Friday and not in ``days_off``.
    Without it every day counts, and both sets must be empty.

    Construction raises ValueError for an unknown time zone, for empty, unsorted, overlapping or
    zero-length periods, for a date that is both a day off and a make-up working day, and for
    days off or make-up days without ``working_days_only``.
    """

    timezone: str = DEFAULT_TIMEZONE
    periods: tuple[Period, ...] = ((_MIDNIGHT, _MIDNIGHT),)
    working_days_only: bool = False
    days_off: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()

    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _natural: bool = field(init=False, repr=False, compare=False)
    _days: dict[date, _Day] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The dataclass is frozen, so normalized values are set with object.__setattr__.
        object.__setattr__(self, "_zone", _load_zone(self.timezone))
        periods = _normalize_periods(self.periods)
        object.__setattr__(self, "periods", periods)

        days_off = _normalize_dates(self.days_off, "days_off")
        makeup_workdays = _normalize_dates(self.makeup_workdays, "makeup_workdays")
        object.__setattr__(self, "days_off", days_off)
        object.__setattr__(self, "makeup_workdays", makeup_workdays)
        if not self.working_days_only and (days_off or makeup_workdays):
            raise ValueError(
                "days_off and makeup_workdays apply only to working time. "
                "Set working_days_only=True or leave both sets empty."
            )
        both = sorted(days_off & makeup_workdays)
        if both:
            listed = ", ".join(day.isoformat() for day in both[:5])
            raise ValueError(
                f"dates cannot be both a day off and a make-up working day: {listed}. "
                "Remove each date from one of the two sets."
            )

        natural = not self.working_days_only and periods == ((_MIDNIGHT, _MIDNIGHT),)
        object.__setattr__(self, "_natural", natural)
        object.__setattr__(self, "_days", {})

    @classmethod
    def natural(cls, timezone: str = DEFAULT_TIMEZONE) -> BusinessCalendar:
        """Build a calendar in which every instant counts."""
        return cls(timezone=timezone)

    @classmethod
    def daily_periods(cls, timezone: str, periods: Iterable[Period]) -> BusinessCalendar:
        """Build a calendar that counts the same local periods on every day of the week."""
        return cls(timezone=timezone, periods=tuple(periods))

    @classmethod
    def working_time(
        cls,
        timezone: str,
        periods: Iterable[Period],
        days_off: Iterable[date] = (),
        makeup_workdays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """Build a calendar that counts ``periods`` on working days only."""
        return cls(
            timezone=timezone,
            periods=tuple(periods),
            working_days_only=True,
            days_off=frozenset(days_off),
            makeup_workdays=frozenset(makeup_workdays),
        )

    def is_counted_day(self, day: date) -> bool:
        """Return whether time counts on the local date ``day`` (during its periods)."""
        if not self.working_days_only:
            return True
        if day in self.makeup_workdays:
            return True
        return day.weekday() < _SATURDAY and day not in self.days_off

    def _day(self, day: date) -> _Day:
        cached = self._days.get(day)
        if cached is None:
            cached = _convert_day(self._zone, self.periods, day)
            if len(self._days) >= _MAX_CACHED_DAYS:
                self._days.clear()
            self._days[day] = cached
        return cached

    def _local_day(self, instant: datetime) -> date:
        """Return the local date whose span [start of day, start of next day) contains ``instant``.

        This is the date on the wall clock, except when clocks go back across midnight. America/
        Goose_Bay went from 00:01 back to 23:01 until 2011, so the second 23:30 came after the
        first 00:00 of the next date and belongs to that next date's span. An instant is never
        before the span of its wall date, because the span starts at the first 00:00 or at the
        end of a gap that skips 00:00.
        """
        day = instant.astimezone(self._zone).date()
        if instant >= self._day(day + _ONE_DAY).start:
            return day + _ONE_DAY
        return day


def add_duration(start: datetime, duration: timedelta, calendar: BusinessCalendar) -> datetime:
    """Compute the due time: the instant at which ``duration`` of counted time has passed.

    Returns a UTC datetime. When ``start`` lies in a pause, counting begins at the next period
    start. A zero duration returns ``start`` itself, even in a pause, because a deadline of zero
    counted time is due at once. Otherwise the due time lies inside a period or exactly at its
    end (12:00, not the 13:30 opening after lunch), never in a pause.

    Steps:

    1. Check the input and convert ``start`` to UTC. Natural time is plain addition.
    2. Find the local date whose span contains ``start``.
    3. Skip a date that does not count (a weekend or day off in working time) after one
       set lookup, without converting its periods.
    4. On a counted date that begins at or after ``start``, compare the rest of the duration
       with the date's whole counted time. If the rest is larger, subtract the whole date and
       go on, so each date costs O(1) once its conversion is cached.
    5. Otherwise walk the date's periods in order, counting only the part after ``start``. The
       due time is in the first period where the rest runs out.

    Raises ValueError for a naive ``start`` or a negative ``duration``.
    """
    start = _to_utc(start, "start")
    if not isinstance(duration, timedelta):
        raise TypeError(f"duration must be a timedelta, got {type(duration).__name__}")
    if duration < _ZERO:
        raise ValueError(f"duration must not be negative, got {duration}")
    if duration == _ZERO:
        return start
    if calendar._natural:
        return start + duration

    remaining = duration
    day = calendar._local_day(start)
    # NOTE: the loop takes one step per calendar date, so a duration of centuries takes seconds,
    # and one that runs past date.max raises OverflowError.
    while True:
        if calendar.is_counted_day(day):
            record = calendar._day(day)
            if start <= record.start and remaining > record.counted_time:
                remaining -= record.counted_time
            else:
                for period_start, period_end in record.intervals:
                    if period_end <= start:
                        continue
                    counting_from = max(period_start, start)
                    available = period_end - counting_from
                    if remaining <= available:
                        return counting_from + remaining
                    remaining -= available
        day += _ONE_DAY


def counted_duration(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Measure the counted time between ``start`` and ``end``, or zero if ``end <= start``."""
    start = _to_utc(start, "start")
    end = _to_utc(end, "end")
    if end <= start:
        return _ZERO
    if calendar._natural:
        return end - start

    total = _ZERO
    day = calendar._local_day(start)
    last_day = calendar._local_day(end)
    while day <= last_day:
        if calendar.is_counted_day(day):
            record = calendar._day(day)
            first_start = record.intervals[0][0]
            last_end = record.intervals[-1][1]
            if start <= first_start and last_end <= end:
                total += record.counted_time
            else:
                for period_start, period_end in record.intervals:
                    overlap = min(period_end, end) - max(period_start, start)
                    if overlap > _ZERO:
                        total += overlap
        day += _ONE_DAY
    return total


def period_at(at: datetime, calendar: BusinessCalendar) -> Slot | None:
    """Find the slot that contains ``at``, or None when ``at`` is in a pause or on a day off."""
    at = _to_utc(at, "at")
    day = calendar._local_day(at)
    if not calendar.is_counted_day(day):
        return None
    for index, (period_start, period_end) in enumerate(calendar._day(day).intervals):
        if period_start <= at < period_end:
            return Slot(day, index, period_start, period_end)
    return None


def is_open(at: datetime, calendar: BusinessCalendar) -> bool:
    """Return whether time counts at the instant ``at``."""
    return period_at(at, calendar) is not None


def next_opening(at: datetime, calendar: BusinessCalendar) -> datetime:
    """Find the first instant at or after ``at`` at which time counts, in UTC.

    Returns ``at`` itself when it is inside a period. Period ends are exclusive, so at 12:00
    with periods 08:30-12:00 and 13:30-19:00 the next opening is 13:30.
    """
    at = _to_utc(at, "at")
    day = calendar._local_day(at)
    while True:
        if calendar.is_counted_day(day):
            for period_start, period_end in calendar._day(day).intervals:
                if period_end > at and period_start < period_end:
                    return max(period_start, at)
        day += _ONE_DAY


@lru_cache(maxsize=_MAX_CACHED_DAYS)
def _convert_day(zone: ZoneInfo, periods: tuple[Period, ...], day: date) -> _Day:
    """Convert one local date and its periods to UTC.

    The result depends only on the zone, the periods and the date, not on days off, so the
    cache is shared by all calendars with the same hours. A calendar built anew for each request
    then converts each date once per process.
    """
    day_start = _to_instant(zone, day, _MIDNIGHT)
    next_day_start = _to_instant(zone, day + _ONE_DAY, _MIDNIGHT)
    intervals = []
    counted_time = _ZERO
    for period_start, period_end in periods:
        start = day_start if period_start == _MIDNIGHT else _to_instant(zone, day, period_start)
        end = next_day_start if period_end == _MIDNIGHT else _to_instant(zone, day, period_end)
        intervals.append((start, end))
        counted_time += end - start
    return _Day(day_start, tuple(intervals), counted_time)


def _to_instant(zone: ZoneInfo, day: date, wall_time: time) -> datetime:
    """Convert a local wall time to a UTC instant.

    A wall time that occurs twice maps to its first occurrence, and one that never occurs maps
    to the instant at which the clock jumps over it. The two readings (PEP 495 ``fold``) tell
    the cases apart. They are equal for an ordinary wall time. For a repeated one, fold=0 gives
    the earlier instant. In a gap, fold=0 applies the offset before the jump and fold=1 the
    offset after it, so fold=0 gives the later instant.
    """
    local = datetime.combine(day, wall_time, zone)
    first = local.astimezone(UTC)
    second = local.replace(fold=1).astimezone(UTC)
    if first <= second:
        return first
    return _gap_end(zone, before_jump=second, after_jump=first)


def _gap_end(zone: ZoneInfo, before_jump: datetime, after_jump: datetime) -> datetime:
    """Find the instant of the clock jump that lies between two UTC instants.

    Zone transitions fall on whole seconds, so a binary search over seconds finds the jump in
    about 12 steps for a one-hour gap.
    """
    offset_after_jump = after_jump.astimezone(zone).utcoffset()
    low = (before_jump - _EPOCH) // _ONE_SECOND
    high = -((_EPOCH - after_jump) // _ONE_SECOND)
    # Invariant: the offset at ``low`` is the one before the jump, the offset at ``high`` the one
    # after it.
    while high - low > 1:
        middle = (low + high) // 2
        probe = _EPOCH + middle * _ONE_SECOND
        if probe.astimezone(zone).utcoffset() == offset_after_jump:
            high = middle
        else:
            low = middle
    return _EPOCH + high * _ONE_SECOND


def _to_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware, got the naive datetime {value.isoformat()}. "
            "Attach a zone, or take the current time from django.utils.timezone.now()."
        )
    return value.astimezone(UTC)


def _load_zone(name: str) -> ZoneInfo:
    if not isinstance(name, str):
        raise TypeError(f"timezone must be an IANA zone name string, got {type(name).__name__}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA zone name such as 'Asia/Shanghai'"
        ) from error


def _normalize_periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Check the periods and return them as a tuple with midnight ends written as 00:00."""
    normalized = []
    for index, pair in enumerate(periods):
        try:
            period_start, period_end = pair
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"period {index} must be a (start, end) pair of datetime.time, got {pair!r}"
            ) from error
        for value in (period_start, period_end):
            if not isinstance(value, time):
                raise ValueError(
                    f"period {index} must be a pair of datetime.time, got {value!r} in it"
                )
            if value.tzinfo is not None:
                raise ValueError(
                    f"period {index} uses a time with tzinfo ({value!r}). Give naive local "
                    "times, because the calendar's timezone applies to them."
                )
        if period_end == time.max:
            period_end = _MIDNIGHT
        if _offset_of(period_start, False) >= _offset_of(period_end, True):
            raise ValueError(
                f"period {index} ({period_start}-{period_end}) is invalid: start must be before "
                "end. A period cannot cross midnight, so split such a period into two."
            )
        normalized.append((period_start, period_end))

    if not normalized:
        raise ValueError(
            "periods must not be empty: give at least one (start, end) pair, for example "
            "(time(8, 30), time(21, 0))"
        )
    for index in range(1, len(normalized)):
        previous_end = _offset_of(normalized[index - 1][1], True)
        if _offset_of(normalized[index][0], False) < previous_end:
            raise ValueError(
                f"periods {index - 1} and {index} overlap or are out of order: "
                f"{normalized[index - 1]} and {normalized[index]}. Sort the periods by start "
                "and make each start at or after the end of the one before."
            )
    return tuple(normalized)


def _offset_of(wall_time: time, is_end: bool) -> timedelta:
    """Return the time since midnight, counting an end of 00:00 as 24 hours."""
    if is_end and wall_time == _MIDNIGHT:
        return _ONE_DAY
    return timedelta(
        hours=wall_time.hour,
        minutes=wall_time.minute,
        seconds=wall_time.second,
        microseconds=wall_time.microsecond,
    )


def _normalize_dates(values: Iterable[date], name: str) -> frozenset[date]:
    dates = frozenset(values)
    for value in dates:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{name} must contain datetime.date values, got {value!r}")
    return dates
