"""Delivering outbox messages to 12345 platforms: claim, send, record, retry or flag.

A message is claimed with a compare-and-set update (pending and due → sending) before each send,
so two workers can never send it at the same time. Every attempt is logged before the HTTP call
starts, so a worker that dies mid-call leaves a trace. Its message stays `sending` until
`flag_stuck_messages` marks it uncertain for a person to check, and nothing resends it blindly.
"""

import datetime
import http.client
import json
import logging
import uuid
from dataclasses import dataclass, replace
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import (
    AttemptOutcome,
    DeliveryAttempt,
    MessageStatus,
    OutboundMessage,
)
from .signing import MESSAGE_ID_HEADER, signed_headers

logger = logging.getLogger(__name__)

RESPONSE_EXCERPT_CHARS = 500
# Bytes of a response read to find the platform's result code; the rest is not read.
RESPONSE_READ_BYTES = 64 * 1024
# Messages sent by one pass of the periodic task; each send may take up to the send timeout.
DUE_BATCH_SIZE = 50
# Statuses that mean the platform did not take the message and may take it later.
RETRY_STATUS_CODES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class SendResult:
    outcome: str
    status_code: int | None = None
    response_excerpt: str = ""
    error: str = ""
    response_body: bytes = b""


@dataclass(frozen=True)
class DeliveryResult:
    """The result of one delivery call: the attempt's outcome, and the retry time if any."""

    outcome: str
    retry_at: datetime.datetime | None = None


def retry_delay(attempts: int) -> datetime.timedelta:
    """Return the wait after `attempts` failed attempts: doubling from the base, capped."""
    base = settings.HOTLINE12345_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.HOTLINE12345_RETRY_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def send_message(url: str, body: bytes, headers: dict, timeout: float) -> SendResult:
    """POST `body` to `url` once and classify the outcome, returning network errors as results.

    A failure before the connection is open means nothing was sent, so it is safe to retry. A
    failure after the request started may have delivered it, so the outcome is uncertain.
    """
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        try:
            connection.connect()
        except OSError as error:
            return SendResult(AttemptOutcome.RETRY, error=f"connection failed: {error}")
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read(RESPONSE_READ_BYTES)
        except (OSError, http.client.HTTPException) as error:
            return SendResult(
                AttemptOutcome.UNCERTAIN, error=f"cut off after sending began: {error!r}"
            )
    finally:
        connection.close()

    excerpt = raw.decode("utf-8", errors="replace")[:RESPONSE_EXCERPT_CHARS]
    status = response.status
    if 200 <= status < 300:
        return SendResult(AttemptOutcome.DELIVERED, status, excerpt, response_body=raw)
    if status >= 500 or status in RETRY_STATUS_CODES:
        return SendResult(AttemptOutcome.RETRY, status, excerpt, f"HTTP {status}")
    # Any other status (4xx, or a redirect) means the platform will not take this message as it
    # is, so sending the same bytes again cannot help.
    return SendResult(AttemptOutcome.FAILED, status, excerpt, f"HTTP {status}")


def check_result_code(platform, result: SendResult) -> SendResult:
    """Apply the platform's result code check to a 2xx response, where the platform has one.

    A code outside the success codes means the platform rejected the message, so it fails for a
    person to look at. A response without a readable code may still have been taken, so its
    outcome is uncertain.
    """
    if result.outcome != AttemptOutcome.DELIVERED or not platform.response_code_key:
        return result
    try:
        value = json.loads(result.response_body)
        for part in platform.response_code_key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        value = None
    if value is None:
        return replace(
            result,
            outcome=AttemptOutcome.UNCERTAIN,
            error=f"HTTP {result.status_code} without {platform.response_code_key} in the response",
        )
    success_codes = {str(code) for code in platform.response_success_codes or []}
    if str(value) not in success_codes:
        return replace(
            result,
            outcome=AttemptOutcome.FAILED,
            error=f"platform result {platform.response_code_key}={value!r}",
        )
    return result


def _claim(message_pk: int, now: datetime.datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    claimed = OutboundMessage.objects.filter(
        pk=message_pk, status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).update(
        status=MessageStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def deliver_message(message_pk: int, now: datetime.datetime) -> DeliveryResult | None:
    """Send one due message once; return what happened, or None when it was not ours to send.

    None means the message is not pending, not yet due, claimed by another worker, or waiting for
    its platform to get an endpoint.
    """
    message = OutboundMessage.objects.select_related("platform").filter(pk=message_pk).first()
    if message is None or not message.platform.outbound_url or not message.platform.is_active:
        return None
    token = _claim(message_pk, now)
    if token is None:
        return None
    message.refresh_from_db(fields=["attempts"])
    attempt = DeliveryAttempt.objects.create(
        message=message,
        number=message.attempts,
        started_at=now,
        outcome=AttemptOutcome.SENDING,
    )

    body = json.dumps(message.payload, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        MESSAGE_ID_HEADER: str(message.message_id),
        **signed_headers(message.platform, body, now),
    }
    result = send_message(
        message.platform.outbound_url, body, headers, settings.HOTLINE12345_SEND_TIMEOUT_SECONDS
    )
    result = check_result_code(message.platform, result)
    return _record_result(message, attempt, token, result, now)


def _record_result(
    message: OutboundMessage,
    attempt: DeliveryAttempt,
    token: uuid.UUID,
    result: SendResult,
    now: datetime.datetime,
) -> DeliveryResult:
    finished_at = max(now, timezone.now())
    outcome = result.outcome
    retry_at = None
    if outcome == AttemptOutcome.RETRY and message.attempts >= settings.HOTLINE12345_MAX_ATTEMPTS:
        outcome = AttemptOutcome.FAILED
    update = {"claim_token": None, "claimed_at": None, "last_error": result.error}
    if outcome == AttemptOutcome.DELIVERED:
        update.update(status=MessageStatus.DELIVERED, delivered_at=finished_at)
    elif outcome == AttemptOutcome.RETRY:
        retry_at = now + retry_delay(message.attempts)
        update.update(status=MessageStatus.PENDING, next_attempt_at=retry_at)
    elif outcome == AttemptOutcome.FAILED:
        update.update(status=MessageStatus.FAILED)
    else:
        update.update(status=MessageStatus.UNCERTAIN)

    with transaction.atomic():
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            finished_at=finished_at,
            status_code=result.status_code,
            response_excerpt=result.response_excerpt,
            error=result.error,
            outcome=outcome,
        )
        # The stuck check may have flagged the message while the call was running; the real
        # outcome, now known, replaces that flag.
        OutboundMessage.objects.filter(
            pk=message.pk,
            claim_token=token,
            status__in=(MessageStatus.SENDING, MessageStatus.UNCERTAIN),
        ).update(**update)
    _log_result(message, outcome, result, retry_at)
    return DeliveryResult(outcome, retry_at)


def _log_result(message, outcome: str, result: SendResult, retry_at) -> None:
    if outcome == AttemptOutcome.DELIVERED:
        logger.info(
            "12345 message %s delivered on attempt %d", message.message_id, message.attempts
        )
    elif outcome == AttemptOutcome.RETRY:
        logger.warning(
            "12345 message %s attempt %d failed (%s); next attempt at %s",
            message.message_id,
            message.attempts,
            result.error,
            retry_at.isoformat(),
        )
    else:
        # A person must act: look at the delivery log, then send again or mark delivered.
        logger.error(
            "12345 message %s for order %s is %s after attempt %d: %s",
            message.message_id,
            message.order_id,
            outcome,
            message.attempts,
            result.error,
        )


def flag_stuck_messages(now: datetime.datetime) -> int:
    """Mark messages whose send started too long ago and never finished as uncertain.

    Their worker died mid-call, so the platform may have the message: a person checks before
    anything is sent again. Returns the number of messages flagged.
    """
    limit = settings.HOTLINE12345_SEND_TIMEOUT_SECONDS + settings.HOTLINE12345_STUCK_GRACE_SECONDS
    cutoff = now - datetime.timedelta(seconds=limit)
    stuck = list(
        OutboundMessage.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=cutoff)
    )
    flagged = 0
    for message in stuck:
        with transaction.atomic():
            changed = OutboundMessage.objects.filter(
                pk=message.pk, status=MessageStatus.SENDING, claim_token=message.claim_token
            ).update(
                status=MessageStatus.UNCERTAIN,
                last_error=f"send started at {message.claimed_at.isoformat()} never finished",
            )
            if not changed:
                continue
            DeliveryAttempt.objects.filter(message=message, finished_at__isnull=True).update(
                outcome=AttemptOutcome.INTERRUPTED, error="the sender stopped mid-call"
            )
        flagged += 1
        logger.error(
            "12345 message %s for order %s was interrupted mid-send; check with the platform",
            message.message_id,
            message.order_id,
        )
    return flagged


def due_message_ids(now: datetime.datetime, limit: int = DUE_BATCH_SIZE) -> list[int]:
    return list(
        OutboundMessage.objects.filter(
            status=MessageStatus.PENDING,
            next_attempt_at__lte=now,
            platform__is_active=True,
        )
        .exclude(platform__outbound_url="")
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due_messages(now: datetime.datetime) -> dict:
    """Flag stuck sends, then try each due message once; returns counts by outcome."""
    counts = {"flagged": flag_stuck_messages(now)}
    for message_pk in due_message_ids(now):
        result = deliver_message(message_pk, now)
        if result is not None:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
    return counts


def send_again(message: OutboundMessage, user, now: datetime.datetime) -> bool:
    """Put a failed or uncertain message back in the queue, due now; a person's decision."""
    changed = OutboundMessage.objects.filter(
        pk=message.pk, status__in=(MessageStatus.FAILED, MessageStatus.UNCERTAIN)
    ).update(
        status=MessageStatus.PENDING,
        next_attempt_at=now,
        last_error=f"queued again by {user}",
    )
    if changed:
        logger.info("12345 message %s queued again by %s", message.message_id, user)
        transaction.on_commit(partial(send_soon, message.pk), robust=True)
    return bool(changed)


def send_soon(message_pk: int) -> None:
    """Start the delivery task of one message (call it after the row is committed)."""
    from .tasks import deliver_message_task

    deliver_message_task.delay(message_pk)


def mark_delivered(message: OutboundMessage, user, now: datetime.datetime) -> bool:
    """Record that a person confirmed with the platform that an uncertain message arrived."""
    changed = OutboundMessage.objects.filter(
        pk=message.pk, status__in=(MessageStatus.UNCERTAIN, MessageStatus.FAILED)
    ).update(
        status=MessageStatus.DELIVERED,
        delivered_at=now,
        last_error=f"marked delivered by {user}",
    )
    if changed:
        logger.info("12345 message %s marked delivered by %s", message.message_id, user)
    return bool(changed)
