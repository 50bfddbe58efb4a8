"""Sending: claim once, retry with backoff only when nothing was sent, never send twice."""

import datetime
import logging

import pytest

from waterdesk.notifications.models import MessageTemplate, OutboxMessage, OutboxStatus
from waterdesk.notifications.outbox import resolve_unconfirmed
from waterdesk.notifications.sending import (
    BACKOFF_CAP,
    MAX_ATTEMPTS,
    SENDING_TIMEOUT,
    _record,
    backoff_delay,
    claim_next,
    send_pending,
)

from .conftest import NOW, enqueue

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


def run_until_settled(now, max_runs=20):
    """Run the sender at each message's next attempt time until none is pending."""
    for _ in range(max_runs):
        send_pending(now)
        message = OutboxMessage.objects.get()
        if message.status != OutboxStatus.PENDING:
            return message
        now = message.next_attempt_at
    raise AssertionError(f"the message was still pending after {max_runs} runs")


def test_backoff_doubles_from_thirty_seconds():
    assert [backoff_delay(attempts).total_seconds() for attempts in range(1, 5)] == [
        30,
        60,
        120,
        240,
    ]


def test_backoff_stops_at_its_cap():
    assert backoff_delay(MAX_ATTEMPTS) == BACKOFF_CAP


def test_aliyun_failing_three_times_sends_exactly_once(use_aliyun, head):
    use_aliyun.fail_next(3)
    enqueue([head])

    message = run_until_settled(NOW)
    send_pending(message.sent_at + BACKOFF_CAP)

    assert message.status == OutboxStatus.SENT
    assert message.attempts == 4
    assert message.provider_message_id == "000001^0"
    assert len(use_aliyun.requests) == 4
    assert len(use_aliyun.accepted) == 1


def test_tencent_failing_with_error_body_sends_exactly_once(use_tencent, head):
    use_tencent.fail_next(2, mode="error_body")
    enqueue([head])

    message = run_until_settled(NOW)
    send_pending(message.sent_at + BACKOFF_CAP)

    assert message.status == OutboxStatus.SENT
    assert message.attempts == 3
    assert len(use_tencent.requests) == 3
    assert len(use_tencent.accepted) == 1


def test_retry_waits_for_its_backoff(use_aliyun, head):
    use_aliyun.fail_next(1)
    enqueue([head])

    send_pending(NOW)
    send_pending(NOW + 29 * SECOND)

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert message.next_attempt_at >= NOW + 30 * SECOND
    assert "HTTP 500" in message.last_error
    assert len(use_aliyun.requests) == 1


def test_message_fails_after_max_attempts_and_is_kept(use_aliyun, head, caplog):
    use_aliyun.fail_next(MAX_ATTEMPTS + 5)
    enqueue([head])

    with caplog.at_level(logging.ERROR, logger="waterdesk.notifications.sending"):
        message = run_until_settled(NOW)

    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert len(use_aliyun.requests) == MAX_ATTEMPTS
    assert f"sms {message.pk}" in caplog.text
    assert f"failed after {MAX_ATTEMPTS} attempt(s)" in caplog.text


def test_rejected_credentials_fail_without_retry(use_aliyun, head, settings):
    settings.WATERDESK_SMS_ALIYUN = {**settings.WATERDESK_SMS_ALIYUN, "ACCESS_KEY_SECRET": "wrong"}
    enqueue([head])

    send_pending(NOW)

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "SignatureDoesNotMatch" in message.last_error


def test_missing_provider_template_fails_with_its_name(use_aliyun, head):
    MessageTemplate.objects.filter(code="deadline_warning").update(aliyun_template_code="")
    enqueue([head])

    send_pending(NOW)

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED
    assert "deadline_warning has no aliyun template" in message.last_error
    assert use_aliyun.requests == []


def test_timeout_after_sending_is_left_for_a_person(use_aliyun, head, settings):
    settings.WATERDESK_SMS_TIMEOUT_SECONDS = 1
    use_aliyun.answer_delay = 2
    enqueue([head])

    send_pending(NOW)
    use_aliyun.answer_delay = 0
    send_pending(NOW + BACKOFF_CAP)

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.SENDING
    assert message.needs_check_at is not None
    assert "may have been sent" in message.last_error
    assert len(use_aliyun.accepted) == 1


def test_claimed_message_cannot_be_claimed_again(head):
    enqueue([head])

    first = claim_next(NOW)
    second = claim_next(NOW)

    assert first.status == OutboxStatus.SENDING
    assert first.attempts == 1
    assert second is None


def test_sent_message_is_not_sent_again(use_aliyun, head):
    enqueue([head])

    send_pending(NOW)
    send_pending(NOW + BACKOFF_CAP)

    assert len(use_aliyun.accepted) == 1


def test_stuck_message_is_flagged_not_resent(use_aliyun, head, caplog):
    [message] = enqueue([head])
    claim_next(NOW)  # a worker claimed it and died before recording the outcome

    with caplog.at_level(logging.ERROR, logger="waterdesk.notifications.sending"):
        result = send_pending(NOW + SENDING_TIMEOUT)

    message.refresh_from_db()
    assert result.flagged_stuck == 1
    assert message.status == OutboxStatus.SENDING
    assert message.needs_check_at == NOW + SENDING_TIMEOUT
    assert use_aliyun.requests == []
    assert f"sms [{message.pk}]: stuck in sending" in caplog.text


def test_recent_claim_is_not_flagged(head):
    enqueue([head])
    claim_next(NOW)

    result = send_pending(NOW + SENDING_TIMEOUT - SECOND)

    assert result.flagged_stuck == 0


def test_confirmed_undelivered_stuck_message_is_sent_again(use_aliyun, head):
    [message] = enqueue([head])
    claim_next(NOW)
    later = NOW + SENDING_TIMEOUT

    assert resolve_unconfirmed([message.pk], delivered=False, now=later) == 1
    send_pending(later)

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(use_aliyun.accepted) == 1


def test_confirmed_delivered_stuck_message_is_marked_sent(head):
    [message] = enqueue([head])
    claim_next(NOW)

    resolve_unconfirmed([message.pk], delivered=True, now=NOW + SENDING_TIMEOUT)

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at == NOW


def test_message_in_flight_cannot_be_resolved(head):
    [message] = enqueue([head])
    claim_next(NOW)

    assert resolve_unconfirmed([message.pk], delivered=False, now=NOW + SECOND) == 0


def test_late_outcome_does_not_overwrite_a_persons_decision(head):
    [message] = enqueue([head])
    claimed = claim_next(NOW)
    resolve_unconfirmed([message.pk], delivered=True, now=NOW + SENDING_TIMEOUT)
    second_claim = claim_next(NOW + SENDING_TIMEOUT)

    _record(claimed, "retry", status=OutboxStatus.PENDING, next_attempt_at=NOW)

    message.refresh_from_db()
    assert second_claim is None
    assert message.status == OutboxStatus.SENT


def test_run_sends_only_the_given_messages(head, center_head_with_phone):
    first, second = enqueue([head, center_head_with_phone])

    send_pending(NOW, message_ids=[first.pk])

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OutboxStatus.SENT
    assert second.status == OutboxStatus.PENDING
