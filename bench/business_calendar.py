"""Time add_duration and print the median microseconds per call.

Run from the repository root with ``.venv/bin/python bench/business_calendar.py``. Cases:

* 30 days of working time (08:30-12:00 and 13:30-17:30 on working days, with China's 2026 and
  2027 holidays from the holidays package), started at 10:15 on each 2026 working day in turn.
* 20 minutes outside the quiet hours 21:00-08:30, started at 20:50 on each day of 2026, so the
  count crosses the night.

Each case runs with three cache states:

* cold: both date caches are emptied before each call, so the call converts every date it passes
  to UTC, as the first call in a process does.
* shared: only the calendar's own cache is emptied, as for a calendar built anew for each request
  in a process that has seen the dates before.
* warm: both caches are kept, as for a long-lived calendar.
"""

import statistics
import sys
import time as clock
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from datetime import date, datetime, time, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from waterdesk.deadlines import calendar as business_calendar  # noqa: E402
from waterdesk.deadlines.calendar import BusinessCalendar, add_duration  # noqa: E402
from waterdesk.deadlines.holiday_data import china_calendar_days  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALLS = 2000
CACHE_STATES = ("cold", "shared", "warm")


def median_microseconds(calendar, starts, duration, cache_state):
    timings = []
    for index in range(CALLS):
        start = starts[index % len(starts)]
        if cache_state == "cold":
            business_calendar._convert_day.cache_clear()
        if cache_state in ("cold", "shared"):
            calendar._days.clear()
        began = clock.perf_counter_ns()
        add_duration(start, duration, calendar)
        timings.append(clock.perf_counter_ns() - began)
    return statistics.median(timings) / 1000


def main():
    years = china_calendar_days([2026, 2027])
    working_time = BusinessCalendar.working_time(
        "Asia/Shanghai",
        [(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))],
        days_off={named.day for year in years.values() for named in year.days_off},
        makeup_workdays={named.day for year in years.values() for named in year.makeup_workdays},
    )
    contact = BusinessCalendar.daily_periods("Asia/Shanghai", [(time(8, 30), time(21, 0))])

    days_2026 = [date(2026, 1, 1) + timedelta(days=offset) for offset in range(365)]
    working_starts = [
        datetime.combine(day, time(10, 15), SHANGHAI)
        for day in days_2026
        if working_time.is_counted_day(day)
    ]
    night_starts = [datetime.combine(day, time(20, 50), SHANGHAI) for day in days_2026]

    cases = [
        ("30 days of working time", working_time, working_starts, 30 * timedelta(hours=7.5)),
        ("20 minutes across the night", contact, night_starts, timedelta(minutes=20)),
    ]
    print(f"Python {sys.version.split()[0]}, {CALLS} calls per case")
    for name, calendar, starts, duration in cases:
        for cache_state in CACHE_STATES:
            median = median_microseconds(calendar, starts, duration, cache_state)
            print(f"{name:<30} {cache_state:<6}: median {median:7.1f} µs per call")


if __name__ == "__main__":
    main()
