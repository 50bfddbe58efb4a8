"""Sending the outbox: claim one due message at a time, call the provider, record the outcome.

This code sends a message at most once:
- A run claims a message with a compare-and-set update (pending → sending, with a fresh claim
  token); only one run can win it, and rows another run has locked are skipped (SKIP LOCKED on
  PostgreSQL). A retried or duplicated task finds the message in sending and leaves it alone.
- Only the run holding the claim token records the outcome.
- A retry is scheduled only when the provider certainly did not send the message. When the
  outcome is unknown (timeout after the request was sent, a worker that died mid-call), the
  message stays in sending, is flagged for a person to check at the provider, and is never
  resent automatically.
The exception is a person who confirms a stuck message as not delivered although the provider
delivered it: the message is then sent again.
"""

import datetime
import logging
import time
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q

from .models import MessageTemplate, OutboxMessage, OutboxStatus
from .phones import mask_phone
from .providers import Outcome, ProviderError, SmsRequest, build_provider
from .rendering import TemplateError, placeholders

logger = logging.getLogger(__name__)

# The first retry waits one beat interval (WATERDESK_SMS_RETRY_SECONDS, 30 s by default),
# because no run would pick the message up sooner. Each further retry waits twice as long.
BACKOFF_BASE = datetime.timedelta(seconds=30)
# Provider outages mostly last minutes. Retrying less often than every 30 minutes would
# deliver deadline warnings after the deadline they warn about.
BACKOFF_CAP = datetime.timedelta(minutes=30)
# 8 attempts wait 30 s, 1, 2, 4, 8, 16 and 30 min between them: about an hour in all. A
# reminder about a deadline of a few hours is of little use later, so the message fails and
# waits in the admin for a person to requeue it.
MAX_ATTEMPTS = 8
# A claim older than this belongs to a run that stopped mid-call, because a live provider call
# lasts about twice the socket timeout at worst (2 minutes at the 60 s maximum).
SENDING_TIMEOUT = datetime.timedelta(minutes=5)
# Messages one run sends before it ends, so that a run stays short. The next beat run
# continues. At the default 10 s timeout, 50 calls that all time out take roughly 8 to 17
# minutes (an estimate from the connect and read timeouts, not measured).
MAX_MESSAGES_PER_RUN = 50


def backoff_delay(attempts: int) -> datetime.timedelta:
    """Return the wait before the next attempt after `attempts` failed ones."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def stuck_in_sending(now: datetime.datetime) -> Q:
    """Match messages in sending whose outcome is unknown or whose claim is too old."""
    return Q(status=OutboxStatus.SENDING) & (
        Q(needs_check_at__isnull=False) | Q(claimed_at__lte=now - SENDING_TIMEOUT)
    )


def is_stuck(message: OutboxMessage, now: datetime.datetime) -> bool:
    """Return whether `message` matches `stuck_in_sending(now)`, without a query."""
    if message.status != OutboxStatus.SENDING:
        return False
    if message.needs_check_at is not None:
        return True
    return message.claimed_at is not None and message.claimed_at <= now - SENDING_TIMEOUT


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unconfirmed: int = 0  # outcome unknown, left for a person to check
    flagged_stuck: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class _RunClock:
    """The run's time: `now` plus the time elapsed since the run started.

    The clock is read once per run, yet claims and sends late in a long run still get times
    close to the real ones, which the stuck-in-sending check relies on.
    """

    def __init__(self, now: datetime.datetime) -> None:
        self.start = now
        self.started = time.monotonic()

    def now(self) -> datetime.datetime:
        return self.start + datetime.timedelta(seconds=time.monotonic() - self.started)


def send_pending(
    now: datetime.datetime, *, message_ids: list[int] | None = None, provider=None
) -> SendResult:
    """Send due pending messages, or only those of `message_ids`, and return what happened.

    1. Flag messages stuck in sending past SENDING_TIMEOUT for a person to check.
    2. Claim, send and record one due message at a time, at most MAX_MESSAGES_PER_RUN.
    """
    provider = provider or build_provider()
    clock = _RunClock(now)
    result = SendResult(flagged_stuck=flag_stuck(now))
    templates: dict[str, MessageTemplate | None] = {}
    for _ in range(MAX_MESSAGES_PER_RUN):
        message = claim_next(clock.now(), message_ids=message_ids)
        if message is None:
            break
        outcome = _send_claimed(message, provider, clock, templates)
        setattr(result, outcome, getattr(result, outcome) + 1)
    if result.sent or result.retrying or result.failed or result.unconfirmed:
        logger.info(
            "sms run: %d sent, %d to retry, %d failed, %d with unknown outcome",
            result.sent,
            result.retrying,
            result.failed,
            result.unconfirmed,
        )
    return result


def claim_next(
    now: datetime.datetime, *, message_ids: list[int] | None = None
) -> OutboxMessage | None:
    """Claim the next due pending message for this run and return it, or None if none is due."""
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    if message_ids is not None:
        due = due.filter(pk__in=message_ids)
    while True:
        with transaction.atomic():
            candidate = (
                due.select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)
                .first()
            )
            if candidate is None:
                return None
            token = uuid.uuid4()
            won = OutboxMessage.objects.filter(pk=candidate, status=OutboxStatus.PENDING).update(
                status=OutboxStatus.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        # Losing means another run claimed the row between the read and the update. The next
        # read no longer matches that row and moves on to the next due message.
        if won:
            return OutboxMessage.objects.get(pk=candidate)


def flag_stuck(now: datetime.datetime) -> int:
    """Flag messages claimed more than SENDING_TIMEOUT ago for a person; return how many."""
    stale = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        needs_check_at__isnull=True,
        claimed_at__lte=now - SENDING_TIMEOUT,
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    flagged = stale.filter(pk__in=ids).update(
        needs_check_at=now,
        last_error=(
            "Stuck in sending: the sending worker stopped during the provider call. The message "
            "may have been sent; check at the provider."
        ),
    )
    logger.error(
        "sms %s: stuck in sending for more than %s; not resent automatically. Check each at the "
        "SMS provider, then confirm it delivered or not delivered in the admin.",
        ids,
        SENDING_TIMEOUT,
    )
    return flagged


def _send_claimed(message: OutboxMessage, provider, clock: _RunClock, templates: dict) -> str:
    """Send one claimed message and record the outcome; return the SendResult field to count."""
    try:
        request = _build_request(message, provider, templates)
        provider_message_id = provider.send(request)
    except ProviderError as error:
        return _record_failure(message, error, clock.now())
    except Exception as error:
        # A bug or an unexpected library error: whether the request went out is unknown.
        logger.exception("sms %s: unexpected error while sending", message.pk)
        return _record_failure(
            message, ProviderError(f"unexpected error: {error!r}", Outcome.UNKNOWN), clock.now()
        )
    sent_at = clock.now()
    _record(
        message,
        "sent",
        status=OutboxStatus.SENT,
        provider_message_id=provider_message_id[:128],
        sent_at=sent_at,
        next_attempt_at=None,
        last_error="",
    )
    logger.info(
        "sms %s sent to %s (template %s, order %s, provider id %s, attempt %d)",
        message.pk,
        mask_phone(message.phone),
        message.template_code,
        message.order_id,
        provider_message_id,
        message.attempts,
    )
    return "sent"


def _build_request(message: OutboxMessage, provider, templates: dict) -> SmsRequest:
    """Return the provider request for `message`; raise ProviderError if it cannot be built."""
    if message.template_code not in templates:
        templates[message.template_code] = MessageTemplate.objects.filter(
            code=message.template_code
        ).first()
    template = templates[message.template_code]
    if template is None:
        raise ProviderError(
            f"the message template {message.template_code} no longer exists", Outcome.REJECTED
        )
    provider_template_id = template.provider_template_id(provider.name)
    if provider.needs_template_id and not provider_template_id:
        raise ProviderError(
            f"the message template {template.code} has no {provider.name} template set; enter "
            "the approved template in the admin and requeue the message",
            Outcome.REJECTED,
        )
    try:
        names = placeholders(template.text, template_code=template.code)
    except TemplateError as error:
        raise ProviderError(str(error), Outcome.REJECTED) from error
    missing = [name for name in names if name not in message.params]
    if missing:
        raise ProviderError(
            f"the message template {template.code} now uses {{{missing[0]}}}, which this "
            "message has no value for",
            Outcome.REJECTED,
        )
    return SmsRequest(
        message_id=message.pk,
        phone=message.phone,
        text=message.text,
        template_code=message.template_code,
        provider_template_id=provider_template_id,
        params=tuple((name, str(message.params[name])) for name in names),
    )


def _record_failure(message: OutboxMessage, error: ProviderError, now: datetime.datetime) -> str:
    if error.outcome is Outcome.UNKNOWN:
        _record(message, "unknown outcome", needs_check_at=now, last_error=str(error))
        logger.error(
            "sms %s (order %s): %s. Not resent automatically; check at the SMS provider, then "
            "confirm it delivered or not delivered in the admin.",
            message.pk,
            message.order_id,
            error,
        )
        return "unconfirmed"
    if error.outcome is Outcome.REJECTED or message.attempts >= MAX_ATTEMPTS:
        _record(
            message,
            "failed",
            status=OutboxStatus.FAILED,
            next_attempt_at=None,
            last_error=str(error),
        )
        logger.error(
            "sms %s (order %s) failed after %d attempt(s): %s. Fix the cause, then requeue it "
            "in the admin.",
            message.pk,
            message.order_id,
            message.attempts,
            error,
        )
        return "failed"
    retry_at = now + backoff_delay(message.attempts)
    _record(
        message,
        "retry",
        status=OutboxStatus.PENDING,
        next_attempt_at=retry_at,
        last_error=str(error),
    )
    logger.warning(
        "sms %s (order %s): attempt %d of %d failed, retrying at %s: %s",
        message.pk,
        message.order_id,
        message.attempts,
        MAX_ATTEMPTS,
        retry_at.isoformat(),
        error,
    )
    return "retrying"


def _record(message: OutboxMessage, outcome: str, **fields) -> None:
    """Save the outcome only if the message is still in sending under this run's claim."""
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claim_token=message.claim_token
    ).update(**fields)
    if not updated:
        logger.warning(
            "sms %s: outcome %r not recorded because a person resolved the message meanwhile (%s)",
            message.pk,
            outcome,
            fields.get("provider_message_id") or fields.get("last_error") or "",
        )
