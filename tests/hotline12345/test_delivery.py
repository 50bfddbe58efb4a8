"""Delivering the outbox to a mock 12345 platform: retries, backoff, the log, and no double send."""

import datetime
import socket

import pytest

from waterdesk.hotline12345 import delivery
from waterdesk.hotline12345.actions import enqueue_reply
from waterdesk.hotline12345.models import AttemptOutcome, MessageStatus, OutboundMessage
from waterdesk.hotline12345.tasks import deliver_message_task

from .test_outbox import NOW, approved_reply, pushed_order

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def delivery_settings(settings):
    settings.HOTLINE12345_RETRY_BASE_SECONDS = 30
    settings.HOTLINE12345_RETRY_MAX_SECONDS = 3600
    settings.HOTLINE12345_MAX_ATTEMPTS = 12
    settings.HOTLINE12345_SEND_TIMEOUT_SECONDS = 5
    settings.HOTLINE12345_STUCK_GRACE_SECONDS = 60
    return settings


@pytest.fixture
def message(platform, mock_platform) -> OutboundMessage:
    platform.outbound_url = mock_platform.url
    platform.save()
    order = pushed_order()
    return enqueue_reply(order, approved_reply(order), NOW)


def reload(message: OutboundMessage) -> OutboundMessage:
    return OutboundMessage.objects.get(pk=message.pk)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/12345/replies"


def test_delivered_message_is_signed_and_logged(message, mock_platform):
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.DELIVERED
    assert mock_platform.bad_signatures == 0
    assert len(mock_platform.accepted) == 1
    received = mock_platform.accepted[0]
    assert received["_message_id_header"] == str(message.message_id)
    assert received["hotline_id"] == "12345-20261204-0001"
    message = reload(message)
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    attempt = message.delivery_attempts.get()
    assert attempt.status_code == 200
    assert '"ok"' in attempt.response_excerpt
    assert attempt.outcome == AttemptOutcome.DELIVERED


def test_failures_then_success_deliver_exactly_once(message, mock_platform):
    mock_platform.fail_times = 2

    first = delivery.deliver_message(message.pk, NOW)
    assert first.outcome == AttemptOutcome.RETRY
    assert first.retry_at == NOW + 30 * SECOND
    assert delivery.deliver_message(message.pk, NOW + 29 * SECOND) is None

    second = delivery.deliver_message(message.pk, NOW + 30 * SECOND)
    assert second.outcome == AttemptOutcome.RETRY
    assert second.retry_at == NOW + 90 * SECOND
    assert delivery.deliver_message(message.pk, NOW + 89 * SECOND) is None

    third = delivery.deliver_message(message.pk, NOW + 90 * SECOND)
    assert third.outcome == AttemptOutcome.DELIVERED
    assert delivery.deliver_message(message.pk, NOW + 3600 * SECOND) is None
    assert delivery.deliver_due_messages(NOW + 3600 * SECOND) == {"flagged": 0}

    assert len(mock_platform.accepted) == 1
    assert mock_platform.received_count == 3
    attempts = list(reload(message).delivery_attempts.order_by("number"))
    assert [item.number for item in attempts] == [1, 2, 3]
    assert [item.status_code for item in attempts] == [500, 500, 200]
    assert [item.outcome for item in attempts] == ["retry", "retry", "delivered"]
    assert "busy" in attempts[0].response_excerpt


def test_backoff_doubles_up_to_the_cap(delivery_settings):
    delivery_settings.HOTLINE12345_RETRY_MAX_SECONDS = 200
    delays = [delivery.retry_delay(attempts).total_seconds() for attempts in range(1, 6)]
    assert delays == [30, 60, 120, 200, 200]


def test_periodic_pass_retries_due_messages(message, mock_platform):
    mock_platform.fail_times = 1
    assert delivery.deliver_due_messages(NOW) == {"flagged": 0, "retry": 1}
    assert delivery.deliver_due_messages(NOW + 29 * SECOND) == {"flagged": 0}
    assert delivery.deliver_due_messages(NOW + 30 * SECOND) == {"flagged": 0, "delivered": 1}
    assert len(mock_platform.accepted) == 1


def test_client_error_fails_without_retry(message, mock_platform):
    mock_platform.status_after = 400
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.FAILED
    assert result.retry_at is None
    assert reload(message).status == MessageStatus.FAILED
    assert delivery.deliver_due_messages(NOW + 3600 * SECOND) == {"flagged": 0}
    assert mock_platform.received_count == 1


def test_wrong_secret_is_refused_by_platform(message, mock_platform):
    mock_platform.secret = "another-secret-" * 3
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.FAILED
    assert mock_platform.bad_signatures == 1
    assert reload(message).delivery_attempts.get().status_code == 401


def test_refused_connection_is_retried(message, platform):
    platform.outbound_url = closed_port_url()
    platform.save()
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.RETRY
    attempt = reload(message).delivery_attempts.get()
    assert attempt.status_code is None
    assert "connection failed" in attempt.error


def test_attempts_run_out_as_failed(message, mock_platform, delivery_settings):
    delivery_settings.HOTLINE12345_MAX_ATTEMPTS = 2
    mock_platform.fail_times = 5
    assert delivery.deliver_message(message.pk, NOW).outcome == AttemptOutcome.RETRY
    last = delivery.deliver_message(message.pk, NOW + 30 * SECOND)
    assert last.outcome == AttemptOutcome.FAILED
    assert reload(message).status == MessageStatus.FAILED
    assert delivery.deliver_due_messages(NOW + 7200 * SECOND) == {"flagged": 0}


def test_timeout_after_sending_is_uncertain_and_not_resent(
    message, mock_platform, delivery_settings
):
    delivery_settings.HOTLINE12345_SEND_TIMEOUT_SECONDS = 1
    mock_platform.hang_seconds = 2
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.UNCERTAIN
    assert reload(message).status == MessageStatus.UNCERTAIN
    assert delivery.deliver_due_messages(NOW + 7200 * SECOND) == {"flagged": 0}
    assert reload(message).attempts == 1


class WorkerDied(BaseException):
    """Stands for a worker process killed in the middle of an HTTP call."""


def die_mid_call(*args, **kwargs):
    raise WorkerDied


def test_send_stuck_mid_call_is_flagged_not_resent(message, mock_platform, monkeypatch):
    monkeypatch.setattr(delivery, "send_message", die_mid_call)
    with pytest.raises(WorkerDied):
        delivery.deliver_message(message.pk, NOW)
    monkeypatch.undo()
    assert reload(message).status == MessageStatus.SENDING

    limit = (5 + 60) * SECOND
    assert delivery.flag_stuck_messages(NOW + limit) == 0
    assert delivery.deliver_due_messages(NOW + limit + SECOND) == {"flagged": 1}
    message = reload(message)
    assert message.status == MessageStatus.UNCERTAIN
    assert message.delivery_attempts.get().outcome == AttemptOutcome.INTERRUPTED
    assert delivery.deliver_due_messages(NOW + 7200 * SECOND) == {"flagged": 0}
    assert mock_platform.received_count == 0


def test_send_again_after_a_person_decides(message, mock_platform, admin_user):
    mock_platform.status_after = 400
    delivery.deliver_message(message.pk, NOW)
    mock_platform.status_after = 200
    assert delivery.send_again(reload(message), admin_user, NOW + 60 * SECOND)
    result = delivery.deliver_message(message.pk, NOW + 60 * SECOND)
    assert result.outcome == AttemptOutcome.DELIVERED
    assert len(mock_platform.accepted) == 1
    assert not delivery.send_again(reload(message), admin_user, NOW + 120 * SECOND)


def test_mark_delivered_closes_uncertain_message(message, admin_user):
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.UNCERTAIN)
    assert delivery.mark_delivered(reload(message), admin_user, NOW)
    message = reload(message)
    assert message.status == MessageStatus.DELIVERED
    assert "admin" in message.last_error


def test_platform_without_endpoint_keeps_message_waiting(message, platform):
    platform.outbound_url = ""
    platform.save()
    assert delivery.deliver_message(message.pk, NOW) is None
    assert delivery.deliver_due_messages(NOW) == {"flagged": 0}
    message = reload(message)
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 0


def test_eager_task_does_not_retry_in_process(message, mock_platform):
    mock_platform.fail_times = 1
    outcome = deliver_message_task.apply(args=(message.pk,)).get()
    assert outcome == AttemptOutcome.RETRY
    assert mock_platform.received_count == 1
    assert reload(message).status == MessageStatus.PENDING


@pytest.fixture
def platform_with_result_code(platform):
    platform.response_code_key = "code"
    platform.response_success_codes = ["0"]
    platform.save()
    return platform


def test_success_result_code_is_delivered(message, mock_platform, platform_with_result_code):
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.DELIVERED
    assert len(mock_platform.accepted) == 1


def test_rejecting_result_code_fails(message, mock_platform, platform_with_result_code):
    mock_platform.result_code = "E101"
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.FAILED
    attempt = reload(message).delivery_attempts.get()
    assert attempt.status_code == 200
    assert "E101" in attempt.error
    assert reload(message).status == MessageStatus.FAILED


def test_missing_result_code_is_uncertain(message, mock_platform, platform_with_result_code):
    mock_platform.result_code = None
    result = delivery.deliver_message(message.pk, NOW)
    assert result.outcome == AttemptOutcome.UNCERTAIN
    assert delivery.deliver_due_messages(NOW + 3600 * SECOND) == {"flagged": 0}
    assert mock_platform.received_count == 1
