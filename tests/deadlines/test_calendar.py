"""Examples with exact boundaries for the business calendar.

The local zone in these tests is Asia/Shanghai (UTC+8, no daylight saving since 1991) unless a
test names another zone.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from waterdesk.deadlines.calendar import (
    BusinessCalendar,
    Slot,
    add_duration,
    counted_duration,
    is_open,
    next_opening,
    period_at,
)
from waterdesk.deadlines.holiday_data import china_calendar_days

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")

# No contact with the citizen during the quiet hours 21:00-08:30.
CONTACT = BusinessCalendar.daily_periods("Asia/Shanghai", [(time(8, 30), time(21, 0))])
# Callbacks only 08:30-12:00 and 13:30-19:00, every day.
CALLBACK = BusinessCalendar.daily_periods(
    "Asia/Shanghai", [(time(8, 30), time(12, 0)), (time(13, 30), time(19, 0))]
)
WORKING_PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
WORKING_DAY_LENGTH = timedelta(hours=7, minutes=30)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def working_time_2026() -> BusinessCalendar:
    year = china_calendar_days([2026])[2026]
    return BusinessCalendar.working_time(
        "Asia/Shanghai",
        WORKING_PERIODS,
        days_off={named.day for named in year.days_off},
        makeup_workdays={named.day for named in year.makeup_workdays},
    )


# Contact clock: 20 minutes outside the quiet hours.


def test_contact_accepted_2050_due_0840_next_day():
    due = add_duration(local(2026, 3, 2, 20, 50), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 40)


def test_contact_accepted_205959_due_084959():
    due = add_duration(local(2026, 3, 2, 20, 59, 59), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 49, 59)


def test_contact_accepted_at_2100_due_0850():
    due = add_duration(local(2026, 3, 2, 21, 0, 0), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 50, 0)


def test_contact_accepted_082959_due_0850():
    due = add_duration(local(2026, 3, 2, 8, 29, 59), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 2, 8, 50, 0)


def test_contact_accepted_at_0830_due_0850():
    due = add_duration(local(2026, 3, 2, 8, 30, 0), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 2, 8, 50, 0)


def test_contact_accepted_after_midnight():
    due = add_duration(local(2026, 3, 3, 0, 15), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 50)


def test_contact_across_year_end():
    due = add_duration(local(2026, 12, 31, 20, 50), timedelta(minutes=20), CONTACT)
    assert due == local(2027, 1, 1, 8, 40)


def test_contact_due_time_is_utc():
    due = add_duration(local(2026, 3, 2, 20, 50), timedelta(minutes=20), CONTACT)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 3, 3, 0, 40, tzinfo=UTC)


def test_contact_keeps_microseconds():
    start = local(2026, 3, 2, 20, 59, 59, 123456)
    due = add_duration(start, timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 49, 59, 123456)


def test_contact_counted_duration_skips_night():
    counted = counted_duration(local(2026, 3, 2, 20, 50), local(2026, 3, 3, 8, 40), CONTACT)
    assert counted == timedelta(minutes=20)


def test_contact_start_in_other_zone():
    # 12:50 UTC is 20:50 in Shanghai, so the clock is the same as for a local 20:50 start.
    due = add_duration(datetime(2026, 3, 2, 12, 50, tzinfo=UTC), timedelta(minutes=20), CONTACT)
    assert due == local(2026, 3, 3, 8, 40)


# Callback windows 08:30-12:00 and 13:30-19:00.


def test_callback_lunch_break_skipped():
    due = add_duration(local(2026, 3, 2, 11, 50), timedelta(minutes=20), CALLBACK)
    assert due == local(2026, 3, 2, 13, 40)


def test_callback_due_at_window_end():
    # Counted time that runs out exactly at 12:00 is due at 12:00, not at the 13:30 opening.
    due = add_duration(local(2026, 3, 2, 11, 40), timedelta(minutes=20), CALLBACK)
    assert due == local(2026, 3, 2, 12, 0)


def test_callback_closed_at_1900():
    assert not is_open(local(2026, 3, 2, 19, 0, 0), CALLBACK)


def test_callback_open_at_185959():
    assert is_open(local(2026, 3, 2, 18, 59, 59), CALLBACK)


def test_callback_window_boundaries():
    assert is_open(local(2026, 3, 2, 8, 30), CALLBACK)
    assert not is_open(local(2026, 3, 2, 8, 29, 59, 999999), CALLBACK)
    assert is_open(local(2026, 3, 2, 11, 59, 59, 999999), CALLBACK)
    assert not is_open(local(2026, 3, 2, 12, 0), CALLBACK)
    assert not is_open(local(2026, 3, 2, 13, 29, 59), CALLBACK)
    assert is_open(local(2026, 3, 2, 13, 30), CALLBACK)


def test_next_opening_after_morning_window():
    assert next_opening(local(2026, 3, 2, 12, 0), CALLBACK) == local(2026, 3, 2, 13, 30)


def test_next_opening_after_evening_window():
    assert next_opening(local(2026, 3, 2, 19, 0), CALLBACK) == local(2026, 3, 3, 8, 30)


def test_next_opening_inside_window_is_same_instant():
    at = local(2026, 3, 2, 9, 15, 30, 500)
    opening = next_opening(at, CALLBACK)
    assert opening == at
    assert opening.tzinfo is UTC


def test_period_at_returns_slot():
    slot = period_at(local(2026, 3, 2, 14, 0), CALLBACK)
    assert slot == Slot(
        local_date=date(2026, 3, 2),
        index=1,
        start=local(2026, 3, 2, 13, 30),
        end=local(2026, 3, 2, 19, 0),
    )


def test_period_at_same_slot_in_one_window():
    assert period_at(local(2026, 3, 2, 8, 30), CALLBACK) == period_at(
        local(2026, 3, 2, 11, 59, 59), CALLBACK
    )


def test_period_at_morning_and_afternoon_differ():
    assert period_at(local(2026, 3, 2, 9, 0), CALLBACK) != period_at(
        local(2026, 3, 2, 14, 0), CALLBACK
    )


def test_period_at_same_window_next_day_differs():
    assert period_at(local(2026, 3, 2, 9, 0), CALLBACK) != period_at(
        local(2026, 3, 3, 9, 0), CALLBACK
    )


def test_period_at_in_pause_is_none():
    assert period_at(local(2026, 3, 2, 12, 30), CALLBACK) is None
    assert period_at(local(2026, 3, 2, 19, 0), CALLBACK) is None


def test_zero_duration_in_pause_is_start():
    start = local(2026, 3, 2, 12, 30)
    assert add_duration(start, timedelta(0), CALLBACK) == start


# Working time with the 2026 State Council holiday notice, as packaged in holidays 0.109.


def test_working_time_2026_spring_festival_data():
    calendar = working_time_2026()
    # Spring Festival 2026: Monday Feb 16 to Friday Feb 20 and Monday Feb 23 are days off, and
    # Saturdays Feb 14 and Feb 28 are make-up working days.
    for day in (16, 17, 18, 19, 20, 23):
        assert date(2026, 2, day) in calendar.days_off
    assert date(2026, 2, 14) in calendar.makeup_workdays
    assert date(2026, 2, 28) in calendar.makeup_workdays


def test_working_time_makeup_saturday_counts():
    calendar = working_time_2026()
    # Friday 17:00 + 1 h: 30 minutes on Friday, then 30 minutes on make-up Saturday Feb 14.
    due = add_duration(local(2026, 2, 13, 17, 0), timedelta(hours=1), calendar)
    assert due == local(2026, 2, 14, 9, 0)


def test_working_time_skips_spring_festival():
    calendar = working_time_2026()
    # From make-up Saturday Feb 14 the next working day is Tuesday Feb 24. Sunday, the
    # holiday week, the weekend and the moved day off on Monday Feb 23 are all skipped.
    due = add_duration(local(2026, 2, 14, 17, 0), timedelta(hours=1), calendar)
    assert due == local(2026, 2, 24, 9, 0)


def test_working_time_counted_over_spring_festival():
    calendar = working_time_2026()
    counted = counted_duration(local(2026, 2, 14, 8, 30), local(2026, 2, 28, 17, 30), calendar)
    # Working days: Feb 14 (make-up), Feb 24-27 and Feb 28 (make-up).
    assert counted == 6 * WORKING_DAY_LENGTH


def test_working_time_ordinary_saturday_is_closed():
    calendar = working_time_2026()
    assert not is_open(local(2026, 3, 7, 10, 0), calendar)
    assert next_opening(local(2026, 3, 7, 10, 0), calendar) == local(2026, 3, 9, 8, 30)


def test_working_time_start_on_weekend():
    calendar = working_time_2026()
    due = add_duration(local(2026, 3, 7, 10, 0), timedelta(hours=2), calendar)
    assert due == local(2026, 3, 9, 10, 30)


def test_working_time_lunch_break():
    calendar = working_time_2026()
    due = add_duration(local(2026, 3, 9, 11, 30), timedelta(hours=1), calendar)
    assert due == local(2026, 3, 9, 14, 0)


def test_working_time_thirty_days():
    calendar = working_time_2026()
    # 30 working days from Thursday Sep 17 08:30. The count passes make-up Sunday Sep 20,
    # Mid-Autumn Festival (Friday Sep 25), National Day (Oct 1-7) and make-up Saturday Oct 10,
    # and the 30th working day is Tuesday Nov 3.
    start = local(2026, 9, 17, 8, 30)
    due = add_duration(start, 30 * WORKING_DAY_LENGTH, calendar)
    assert due == local(2026, 11, 3, 17, 30)
    assert counted_duration(start, due, calendar) == 30 * WORKING_DAY_LENGTH


def test_working_time_national_day_makeup_sunday():
    calendar = working_time_2026()
    assert date(2026, 9, 20) in calendar.makeup_workdays
    assert is_open(local(2026, 9, 20, 9, 0), calendar)


def test_working_time_without_holidays():
    calendar = BusinessCalendar.working_time("Asia/Shanghai", WORKING_PERIODS)
    # Friday 17:00 + 1 h: Monday 09:00, because Saturday and Sunday are not working days.
    due = add_duration(local(2026, 3, 6, 17, 0), timedelta(hours=1), calendar)
    assert due == local(2026, 3, 9, 9, 0)


def test_is_counted_day_rules():
    calendar = BusinessCalendar.working_time(
        "Asia/Shanghai",
        WORKING_PERIODS,
        days_off={date(2026, 3, 10)},
        makeup_workdays={date(2026, 3, 14)},
    )
    assert calendar.is_counted_day(date(2026, 3, 9))  # Monday
    assert not calendar.is_counted_day(date(2026, 3, 10))  # Tuesday, day off
    assert calendar.is_counted_day(date(2026, 3, 14))  # Saturday, make-up working day
    assert not calendar.is_counted_day(date(2026, 3, 15))  # Sunday


# Natural time and time zones with daylight saving.


def test_natural_time_is_plain_addition():
    calendar = BusinessCalendar.natural()
    start = local(2026, 3, 2, 23, 58)
    assert add_duration(start, timedelta(minutes=5), calendar) == local(2026, 3, 3, 0, 3)
    assert add_duration(start, timedelta(hours=4), calendar) == local(2026, 3, 3, 3, 58)


def test_natural_time_across_dst_change():
    calendar = BusinessCalendar.natural("America/New_York")
    # Clocks go forward at 02:00 on 2026-03-08, so 24 hours later reads 13:00 on the wall.
    start = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    due = add_duration(start, timedelta(hours=24), calendar)
    assert due == datetime(2026, 3, 8, 13, 0, tzinfo=NEW_YORK)


def test_dst_spring_forward_period_is_shorter():
    calendar = BusinessCalendar.daily_periods("America/New_York", [(time(1, 0), time(4, 0))])
    counted = counted_duration(
        datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK),
        datetime(2026, 3, 9, 0, 0, tzinfo=NEW_YORK),
        calendar,
    )
    assert counted == timedelta(hours=2)


def test_dst_fall_back_period_is_longer():
    calendar = BusinessCalendar.daily_periods("America/New_York", [(time(1, 0), time(4, 0))])
    counted = counted_duration(
        datetime(2026, 11, 1, 0, 0, tzinfo=NEW_YORK),
        datetime(2026, 11, 2, 0, 0, tzinfo=NEW_YORK),
        calendar,
    )
    assert counted == timedelta(hours=4)


def test_dst_gap_inside_period():
    calendar = BusinessCalendar.daily_periods("America/New_York", [(time(1, 0), time(4, 0))])
    # 01:30 EST + 1 h: the wall clock jumps from 02:00 to 03:00, so the due time reads 03:30.
    due = add_duration(datetime(2026, 3, 8, 1, 30, tzinfo=NEW_YORK), timedelta(hours=1), calendar)
    assert due == datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK)


def test_dst_period_inside_gap_counts_nothing():
    calendar = BusinessCalendar.daily_periods(
        "America/New_York", [(time(2, 10), time(2, 40)), (time(9, 0), time(10, 0))]
    )
    counted = counted_duration(
        datetime(2026, 3, 8, 0, 0, tzinfo=NEW_YORK),
        datetime(2026, 3, 9, 0, 0, tzinfo=NEW_YORK),
        calendar,
    )
    assert counted == timedelta(hours=1)


def test_goose_bay_repeated_hour_next_day():
    # On 2010-11-07 America/Goose_Bay went from 00:01 back to 23:01. The second 23:30 on the
    # wall comes after the first 00:00 of Nov 7, so it lies in Nov 7's 00:00-06:00 period.
    calendar = BusinessCalendar.daily_periods("America/Goose_Bay", [(time(0, 0), time(6, 0))])
    second_2330 = datetime(2010, 11, 7, 3, 30, tzinfo=UTC)
    assert second_2330.astimezone(ZoneInfo("America/Goose_Bay")).date() == date(2010, 11, 6)
    slot = period_at(second_2330, calendar)
    assert slot is not None
    assert slot.local_date == date(2010, 11, 7)


def test_skipped_day_counts_nothing():
    # Samoa moved across the date line: 2011-12-30 never happened in Pacific/Apia.
    calendar = BusinessCalendar.daily_periods("Pacific/Apia", [(time(8, 0), time(9, 0))])
    apia = ZoneInfo("Pacific/Apia")
    start = datetime(2011, 12, 29, 8, 30, tzinfo=apia)
    due = add_duration(start, timedelta(hours=1), calendar)
    assert due == datetime(2011, 12, 31, 8, 30, tzinfo=apia)


# Construction and input checks.


def test_time_max_end_means_midnight():
    calendar = BusinessCalendar.daily_periods("Asia/Shanghai", [(time(22, 0), time.max)])
    assert calendar.periods == ((time(22, 0), time(0, 0)),)
    assert calendar == BusinessCalendar.daily_periods("Asia/Shanghai", [(time(22, 0), time(0))])
    counted = counted_duration(local(2026, 3, 2, 0, 0), local(2026, 3, 3, 0, 0), calendar)
    assert counted == timedelta(hours=2)


def test_calendar_is_hashable():
    calendar = working_time_2026()
    assert hash(calendar) == hash(working_time_2026())


def test_rejects_empty_periods():
    with pytest.raises(ValueError, match="periods must not be empty"):
        BusinessCalendar.daily_periods("Asia/Shanghai", [])


def test_rejects_start_after_end():
    with pytest.raises(ValueError, match="start must be before end"):
        BusinessCalendar.daily_periods("Asia/Shanghai", [(time(21, 0), time(8, 30))])


def test_rejects_empty_period():
    with pytest.raises(ValueError, match="start must be before end"):
        BusinessCalendar.daily_periods("Asia/Shanghai", [(time(9, 0), time(9, 0))])


def test_rejects_unsorted_periods():
    with pytest.raises(ValueError, match="overlap or are out of order"):
        BusinessCalendar.daily_periods(
            "Asia/Shanghai", [(time(13, 30), time(19, 0)), (time(8, 30), time(12, 0))]
        )


def test_rejects_overlapping_periods():
    with pytest.raises(ValueError, match="overlap or are out of order"):
        BusinessCalendar.daily_periods(
            "Asia/Shanghai", [(time(8, 30), time(12, 0)), (time(11, 0), time(19, 0))]
        )


def test_accepts_adjacent_periods():
    calendar = BusinessCalendar.daily_periods(
        "Asia/Shanghai", [(time(8, 0), time(12, 0)), (time(12, 0), time(18, 0))]
    )
    due = add_duration(local(2026, 3, 2, 11, 0), timedelta(hours=2), calendar)
    assert due == local(2026, 3, 2, 13, 0)


def test_rejects_aware_period_times():
    with pytest.raises(ValueError, match="tzinfo"):
        BusinessCalendar.daily_periods("Asia/Shanghai", [(time(8, 30, tzinfo=UTC), time(21))])


def test_rejects_unknown_timezone():
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Beijing'"):
        BusinessCalendar.natural("Asia/Beijing")


def test_rejects_day_both_off_and_makeup():
    with pytest.raises(ValueError, match="2026-02-14"):
        BusinessCalendar.working_time(
            "Asia/Shanghai",
            WORKING_PERIODS,
            days_off={date(2026, 2, 14)},
            makeup_workdays={date(2026, 2, 14)},
        )


def test_rejects_days_off_without_working_days():
    with pytest.raises(ValueError, match="working_days_only"):
        BusinessCalendar(periods=WORKING_PERIODS, days_off=frozenset({date(2026, 2, 16)}))


def test_rejects_datetime_as_day_off():
    with pytest.raises(ValueError, match="datetime.date"):
        BusinessCalendar.working_time(
            "Asia/Shanghai", WORKING_PERIODS, days_off={datetime(2026, 2, 16)}
        )


def test_rejects_naive_start():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_duration(datetime(2026, 3, 2, 20, 50), timedelta(minutes=20), CONTACT)


def test_rejects_naive_end():
    with pytest.raises(ValueError, match="end must be timezone-aware"):
        counted_duration(local(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 10, 0), CONTACT)


def test_rejects_negative_duration():
    with pytest.raises(ValueError, match="must not be negative"):
        add_duration(local(2026, 3, 2, 9, 0), timedelta(seconds=-1), CONTACT)


def test_counted_duration_reversed_is_zero():
    counted = counted_duration(local(2026, 3, 2, 10, 0), local(2026, 3, 2, 9, 0), CONTACT)
    assert counted == timedelta(0)
