"""Per-phone rate limit and daily cap: messages over them are held, logged and reported."""

import datetime
import logging

import pytest

from waterdesk.notifications.limits import held_report
from waterdesk.notifications.models import HeldReason, OutboxMessage, OutboxStatus
from waterdesk.notifications.outbox import requeue

from .conftest import NOW, enqueue

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def notify_times(recipient, times, prefix="event"):
    statuses = []
    for number, now in enumerate(times):
        [message] = enqueue([recipient], key=f"{prefix}:{number}", now=now)
        statuses.append(message.status)
    return statuses


def test_sixth_message_in_ten_minutes_is_held(head):
    statuses = notify_times(head, [NOW + number * MINUTE for number in range(6)])

    assert statuses == [OutboxStatus.PENDING] * 5 + [OutboxStatus.HELD]
    held_message = OutboxMessage.objects.get(status=OutboxStatus.HELD)
    assert held_message.held_reason == HeldReason.RATE_LIMIT
    assert held_message.next_attempt_at is None


def test_rate_window_holds_until_its_last_second(head):
    notify_times(head, [NOW] * 5, prefix="burst")

    [message] = enqueue([head], key="late", now=NOW + 10 * MINUTE - datetime.timedelta(seconds=1))

    assert message.status == OutboxStatus.HELD


def test_rate_window_frees_up_after_exactly_ten_minutes(head):
    notify_times(head, [NOW] * 5, prefix="burst")

    [message] = enqueue([head], key="late", now=NOW + 10 * MINUTE)

    assert message.status == OutboxStatus.PENDING


def test_limits_count_each_phone_separately(head, center_head_with_phone):
    notify_times(head, [NOW] * 5, prefix="burst")

    messages = enqueue([head, center_head_with_phone], key="sixth")

    assert [message.status for message in messages] == [OutboxStatus.HELD, OutboxStatus.PENDING]


def test_hundred_notifications_to_one_head_hold_fifty(head):
    # One every 2 minutes stays within 5 per 10 minutes, so only the daily cap of 50 holds.
    start = NOW.replace(hour=6)
    statuses = notify_times(head, [start + 2 * number * MINUTE for number in range(100)])

    assert statuses.count(OutboxStatus.PENDING) == 50
    assert statuses.count(OutboxStatus.HELD) == 50
    assert statuses[:50] == [OutboxStatus.PENDING] * 50
    assert set(
        OutboxMessage.objects.filter(status=OutboxStatus.HELD).values_list("held_reason", flat=True)
    ) == {HeldReason.DAILY_CAP}


def test_held_report_counts_per_recipient(head, center_head_with_phone):
    start = NOW.replace(hour=6)
    notify_times(head, [start + 2 * number * MINUTE for number in range(100)])
    enqueue([center_head_with_phone], key="once")

    [row] = held_report(NOW.date())

    assert row.recipient_id == head.pk
    assert row.phone == "138****1234"
    assert row.held_count == 50
    assert row.still_held_count == 50


def test_held_report_excludes_other_days(head):
    notify_times(head, [NOW] * 6, prefix="burst")

    assert held_report(NOW.date() + datetime.timedelta(days=1)) == []


def test_daily_cap_resets_at_local_midnight(head, settings):
    settings.WATERDESK_SMS_DAILY_CAP = 1
    late_evening = NOW.replace(hour=23, minute=59, second=59)
    notify_times(head, [late_evening], prefix="evening")

    [message] = enqueue([head], key="morning", now=late_evening + datetime.timedelta(seconds=1))

    assert message.status == OutboxStatus.PENDING


def test_held_message_logs_warning_with_counts(head, caplog):
    notify_times(head, [NOW] * 5, prefix="burst")

    with caplog.at_level(logging.WARNING, logger="waterdesk.notifications.outbox"):
        [message] = enqueue([head], key="sixth")

    assert "1 message(s) held" in caplog.text
    assert f"message {message.pk} to user {head.pk} 138****1234: rate_limit" in caplog.text
    assert "5 in the last 10 min (max 5)" in caplog.text
    assert "5 today (max 50)" in caplog.text


def test_requeue_releases_held_message(head):
    notify_times(head, [NOW] * 6, prefix="burst")
    held_message = OutboxMessage.objects.get(status=OutboxStatus.HELD)

    count = requeue([held_message.pk], now=NOW + MINUTE)

    held_message.refresh_from_db()
    assert count == 1
    assert held_message.status == OutboxStatus.PENDING
    assert held_message.next_attempt_at == NOW + MINUTE
    assert held_message.held_reason == HeldReason.RATE_LIMIT
    assert held_report(NOW.date())[0].still_held_count == 0


def test_requeue_leaves_sent_message_alone(head):
    [message] = enqueue([head])
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)

    assert requeue([message.pk], now=NOW) == 0
