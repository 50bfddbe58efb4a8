"""China's days off and make-up working days as read from the holidays package (0.109)."""

from datetime import date

import pytest

from waterdesk.deadlines.holiday_data import HolidayYear, NamedDay, china_calendar_days


def days_off_of(year: HolidayYear) -> dict[date, str]:
    return {named.day: named.name for named in year.days_off}


def makeup_days_of(year: HolidayYear) -> dict[date, str]:
    return {named.day: named.name for named in year.makeup_workdays}


def test_2026_is_official():
    year = china_calendar_days([2026])[2026]
    assert year.year == 2026
    assert year.official


def test_2026_spring_festival_days_off():
    days_off = days_off_of(china_calendar_days([2026])[2026])
    assert days_off[date(2026, 2, 16)] == "农历除夕"
    for day in (17, 18, 19):
        assert days_off[date(2026, 2, day)] == "春节"
    # Friday Feb 20 and Monday Feb 23 are working days moved onto the make-up Saturdays.
    assert days_off[date(2026, 2, 20)] == "休息日（由 2026-02-14 调休）"
    assert days_off[date(2026, 2, 23)] == "休息日（由 2026-02-28 调休）"


def test_2026_makeup_workdays():
    makeup_days = makeup_days_of(china_calendar_days([2026])[2026])
    assert makeup_days == {
        date(2026, 1, 4): "元旦调休上班",
        date(2026, 2, 14): "春节调休上班",
        date(2026, 2, 28): "春节调休上班",
        date(2026, 5, 9): "劳动节调休上班",
        date(2026, 9, 20): "国庆节调休上班",
        date(2026, 10, 10): "国庆节调休上班",
    }


def test_2026_makeup_workdays_on_weekends():
    for named in china_calendar_days([2026])[2026].makeup_workdays:
        assert named.day.weekday() >= 5, named


def test_2026_national_day_days_off():
    days_off = days_off_of(china_calendar_days([2026])[2026])
    for day in (1, 2, 3, 5, 6, 7):
        assert date(2026, 10, day) in days_off
    # Sunday Oct 4 is a weekend day, so the package does not list it.
    assert date(2026, 10, 4) not in days_off


def test_half_day_holidays_left_out():
    days_off = days_off_of(china_calendar_days([2026])[2026])
    assert date(2026, 3, 8) not in days_off  # 国际妇女节, a half day for women only


def test_days_sorted_by_date():
    year = china_calendar_days([2026])[2026]
    days_off = [named.day for named in year.days_off]
    makeup_days = [named.day for named in year.makeup_workdays]
    assert days_off == sorted(days_off)
    assert makeup_days == sorted(makeup_days)


def test_2027_rule_based_not_official():
    year = china_calendar_days([2027])[2027]
    assert not year.official
    assert year.makeup_workdays == ()
    # Rule-based Spring Festival: the eve (Friday Feb 5) and the first three days.
    days_off = days_off_of(year)
    assert days_off[date(2027, 2, 5)] == "农历除夕"
    assert days_off[date(2027, 2, 6)] == "春节"


def test_far_year_not_official():
    year = china_calendar_days([2031])[2031]
    assert not year.official
    assert year.makeup_workdays == ()
    assert NamedDay(date(2031, 1, 1), "元旦") in year.days_off


def test_year_beyond_package_range_empty():
    year = china_calendar_days([2101])[2101]
    assert year == HolidayYear(year=2101, official=False, days_off=(), makeup_workdays=())


def test_every_packaged_notice_is_official():
    years = china_calendar_days(range(2001, 2027))
    for number, year in years.items():
        assert year.official, number


def test_years_before_notices_not_official():
    years = china_calendar_days([1999, 2000])
    assert not years[1999].official
    assert not years[2000].official


def test_every_date_year_without_error():
    years = china_calendar_days(range(1, 10000))
    assert len(years) == 9999
    official = [number for number, year in years.items() if year.official]
    assert official == list(range(2001, 2027))


def test_makeup_day_from_next_years_notice():
    # The 2002 notice made Saturday and Sunday 2001-12-29/30 working days for New Year's Day.
    makeup_days = makeup_days_of(china_calendar_days([2001])[2001])
    assert makeup_days[date(2001, 12, 29)] == "元旦调休上班"
    assert makeup_days[date(2001, 12, 30)] == "元旦调休上班"


def test_several_years_keyed_in_order():
    years = china_calendar_days([2027, 2025, 2026, 2026])
    assert list(years) == [2025, 2026, 2027]


def test_no_years_returns_empty():
    assert china_calendar_days([]) == {}


def test_rejects_non_integer_year():
    with pytest.raises(ValueError, match="integers"):
        china_calendar_days(["2026"])


def test_rejects_year_out_of_range():
    with pytest.raises(ValueError, match="outside the supported range"):
        china_calendar_days([10000])
