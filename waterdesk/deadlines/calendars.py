"""The policy's clocks expressed as business calendars."""

import datetime

from waterdesk.orders.models import WorkOrder
from waterdesk.policy.models import Policy, parse_periods

from .calendar import BusinessCalendar
from .models import ClockName


def policy_duration(name: str, policy: Policy) -> datetime.timedelta:
    """Return the policy's duration of clock `name` (resolution and callback have their own)."""
    minutes = {
        ClockName.DISPATCH: policy.dispatch_minutes,
        ClockName.ACCEPT: policy.accept_minutes,
        ClockName.CONTACT: policy.contact_minutes,
        ClockName.TRANSFER: policy.transfer_hours * 60,
        ClockName.RETURN: policy.return_hours * 60,
        ClockName.CALLBACK: policy.callback_hours * 60,
    }
    if name not in minutes:
        raise ValueError(f"clock {name!r} has no fixed policy duration")
    return datetime.timedelta(minutes=minutes[name])


def calendar_for(name: str, order: WorkOrder, policy: Policy) -> BusinessCalendar:
    """Return the calendar in which clock `name` of `order` counts time.

    The contact clock never counts the quiet hours, unless the order allows contact at night.
    Other clocks count natural or working time as the policy sets for each.
    """
    if name == ClockName.CONTACT and not order.night_contact_allowed:
        return quiet_hours_calendar(policy)
    kind = (policy.clock_time_kinds or {}).get(name, "natural")
    if kind == "working":
        return working_time_calendar(policy)
    return BusinessCalendar.natural(policy.timezone)


def quiet_hours_calendar(policy: Policy) -> BusinessCalendar:
    """Time outside the quiet hours, e.g. 08:30–21:00 every day for quiet hours 21:00–08:30."""
    start, end = policy.quiet_hours_end, policy.quiet_hours_start
    if start < end:
        periods = ((start, end),)
    else:
        # Quiet hours inside one day (e.g. 12:00–13:00): count the rest of the day on both sides.
        periods = ((datetime.time(0, 0), end), (start, datetime.time.max))
    return BusinessCalendar.daily_periods(policy.timezone, periods)


def callback_calendar(policy: Policy) -> BusinessCalendar:
    return BusinessCalendar.daily_periods(
        policy.timezone, tuple(parse_periods(policy.callback_windows))
    )


def working_time_calendar(policy: Policy) -> BusinessCalendar:
    from .holidays import days_off_and_makeup_days

    days_off, makeup_days = days_off_and_makeup_days()
    return BusinessCalendar.working_time(
        policy.timezone, tuple(parse_periods(policy.working_periods)), days_off, makeup_days
    )


def warning_time(
    started_at: datetime.datetime, due_at: datetime.datetime, policy: Policy
) -> datetime.datetime:
    """Return when to warn: a policy share of the clock's span before due, at least the minimum."""
    span = due_at - started_at
    lead = max(
        span * policy.warning_lead_percent / 100,
        datetime.timedelta(seconds=policy.warning_lead_min_seconds),
    )
    return max(due_at - lead, started_at)
