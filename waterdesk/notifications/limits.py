"""Per-phone rate limit and daily cap, and the report of what they held back.

Every message not held counts toward the limits, whatever its later fate (pending, sending,
sent or failed). Held messages do not count, so a burst cannot lock a phone out for the day.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .config import SmsLimits
from .models import HeldReason, OutboxMessage, OutboxStatus
from .phones import mask_phone


@dataclass(frozen=True)
class LimitCheck:
    held_reason: str  # "" when the message may be sent
    in_window: int  # messages to the phone in the rate window before this one
    today: int  # messages to the phone this local day before this one


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the aware start of `day` and of the next day in the utility's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def check_limits(phone: str, now: datetime.datetime, limits: SmsLimits) -> LimitCheck:
    """Decide whether one more message to `phone` at `now` must be held.

    The rate window is (now - window, now]: a message sent exactly one window ago no longer
    counts. The day is the local calendar day of `now`.
    """
    in_window, today = counts_for_phones([phone], now, limits).get(phone, (0, 0))
    return LimitCheck(
        held_reason=held_reason(in_window, today, limits), in_window=in_window, today=today
    )


def held_reason(in_window: int, today: int, limits: SmsLimits) -> str:
    """Return why one more message must be held after these counts, or "" to send it."""
    if today >= limits.daily_cap:
        return HeldReason.DAILY_CAP
    if in_window >= limits.rate_limit:
        return HeldReason.RATE_LIMIT
    return ""


def counts_for_phones(
    phones: list[str], now: datetime.datetime, limits: SmsLimits
) -> dict[str, tuple[int, int]]:
    """Return, per phone, the messages counted in the rate window and on the local day of `now`.

    One grouped query for all phones, so that a sweep notifying many orders stays fast.
    """
    day_start, _next_day = local_day_bounds(timezone.localdate(now))
    rows = (
        OutboxMessage.objects.filter(
            phone__in=phones,
            created_at__lte=now,
            created_at__gte=min(day_start, now - limits.rate_window),
        )
        .exclude(status=OutboxStatus.HELD)
        .values("phone")
        .annotate(
            in_window=Count("id", filter=Q(created_at__gt=now - limits.rate_window)),
            today=Count("id", filter=Q(created_at__gte=day_start)),
        )
    )
    return {row["phone"]: (row["in_window"], row["today"]) for row in rows}


@dataclass(frozen=True)
class HeldCount:
    recipient_id: int | None
    recipient_name: str
    phone: str  # masked: 138****1234
    held_count: int  # messages held back that day
    still_held_count: int  # of those, the ones not requeued yet


def held_report(day: datetime.date) -> list[HeldCount]:
    """Return per recipient how many messages the limits held back on local `day`, most first."""
    start, end = local_day_bounds(day)
    rows = (
        OutboxMessage.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(held_reason="")
        .values("recipient_id", "recipient__name", "recipient__username", "phone")
        .annotate(
            held_count=Count("id"),
            still_held_count=Count("id", filter=Q(status=OutboxStatus.HELD)),
        )
        .order_by("-held_count", "phone")
    )
    return [
        HeldCount(
            recipient_id=row["recipient_id"],
            recipient_name=row["recipient__name"] or row["recipient__username"] or "",
            phone=mask_phone(row["phone"]),
            held_count=row["held_count"],
            still_held_count=row["still_held_count"],
        )
        for row in rows
    ]
