"""The enqueue API of the SMS outbox, and the operations a person runs on its messages.

Other apps call `notify` inside the transaction that records the event, so the event and its
messages commit together or not at all. Sending starts after the commit.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import User

from .config import read_sms_config
from .limits import HeldCount, LimitCheck, counts_for_phones, held_reason, held_report
from .models import MessageTemplate, OutboxMessage, OutboxStatus
from .phones import mask_phone, normalize_mobile
from .recipients import center_heads, department_heads, handlers_of
from .rendering import TemplateError, format_value, render
from .sending import stuck_in_sending

__all__ = [
    "HeldCount",
    "TemplateError",
    "center_heads",
    "department_heads",
    "handlers_of",
    "held_report",
    "Notice",
    "notify",
    "notify_many",
    "requeue",
    "resolve_unconfirmed",
]

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 200
# First key of the PostgreSQL advisory locks that serialize notifications to one phone, so two
# transactions cannot both pass the rate limit with the same count. Any constant works as long
# as no other code uses it for its own advisory locks.
PHONE_LOCK_CLASS = 0x534D53  # "SMS"


@dataclass(frozen=True)
class Notice:
    """One event to notify: its deduplication key, template values, recipients and order."""

    key: str
    context: dict
    recipients: tuple[User, ...]
    order: WorkOrder | None = None


def notify(
    *,
    key: str,
    template: str,
    context: dict,
    recipients: Iterable[User],
    order: WorkOrder | None = None,
    now: datetime.datetime,
) -> list[OutboxMessage]:
    """Write one outbox message per recipient phone and send them after the commit.

    The single-event form of `notify_many`; see there for the steps and the rules.
    """
    notice = Notice(key=key, context=context, recipients=tuple(recipients), order=order)
    return notify_many(template=template, notices=[notice], now=now)


def notify_many(
    *, template: str, notices: Iterable[Notice], now: datetime.datetime
) -> list[OutboxMessage]:
    """Write the outbox messages of many events of one template, in a few queries.

    1. Render the template for each notice; a placeholder without a value raises TemplateError
       here, naming the template and the placeholder, so the caller's transaction rolls back.
    2. Skip recipients without a mobile number (logged) and phones that already have a message
       with the notice's key (the event was notified before).
    3. Hold messages over the per-phone rate limit or daily cap (status held, logged), counting
       the messages of this call in order.
    4. Start sending the pending ones with `transaction.on_commit`.

    Must run inside the caller's transaction. Returns the rows written, held ones included.
    """
    if not connection.in_atomic_block:
        raise RuntimeError(
            "notify() must run inside the transaction that records the event, so that the "
            "event and its messages commit together. Wrap the call in transaction.atomic()."
        )
    notices = list(notices)
    for notice in notices:
        if not notice.key or len(notice.key) > MAX_KEY_LENGTH:
            raise ValueError(
                f"The deduplication key must have 1 to {MAX_KEY_LENGTH} characters: {notice.key!r}"
            )
    if not notices:
        return []

    message_template = MessageTemplate.objects.filter(code=template).first()
    if message_template is None:
        raise TemplateError(
            _(
                "No message template has the code %(template)s. The preset templates are "
                "written by the database migrations: run manage.py migrate."
            )
            % {"template": template}
        )
    planned = []
    for notice in notices:
        params = {str(name): format_value(value) for name, value in notice.context.items()}
        text = render(message_template.text, params, template_code=template)
        for phone, user in _phones_of(notice.recipients, key=notice.key, template=template).items():
            planned.append((notice, params, text, phone, user))
    if not message_template.is_active:
        logger.info(
            "sms %s: template is inactive, nothing written for %d event(s)", template, len(notices)
        )
        return []
    if not planned:
        return []

    phones = sorted({phone for *_rest, phone, _user in planned})
    _lock_phones(phones)
    already_notified = set(
        OutboxMessage.objects.filter(
            dedup_key__in={notice.key for notice in notices}, phone__in=phones
        ).values_list("dedup_key", "phone")
    )
    limits = read_sms_config().limits
    counts = counts_for_phones(phones, now, limits)
    written: list[OutboxMessage] = []
    held_messages: list[tuple[OutboxMessage, LimitCheck]] = []
    for notice, params, text, phone, user in planned:
        if (notice.key, phone) in already_notified:
            logger.info(
                "sms %s (key %s): %s already notified", template, notice.key, mask_phone(phone)
            )
            continue
        already_notified.add((notice.key, phone))
        in_window, today = counts.get(phone, (0, 0))
        reason = held_reason(in_window, today, limits)
        if not reason:
            counts[phone] = (in_window + 1, today + 1)
        message = OutboxMessage(
            dedup_key=notice.key,
            template_code=template,
            params=params,
            text=text,
            recipient=user,
            phone=phone,
            order=notice.order,
            status=OutboxStatus.HELD if reason else OutboxStatus.PENDING,
            held_reason=reason,
            next_attempt_at=None if reason else now,
            created_at=now,
        )
        written.append(message)
        if reason:
            held_messages.append((message, LimitCheck(reason, in_window, today)))
    # The phone locks above serialise writers of the same phone, so no concurrent transaction
    # can insert the same key and phone between the check and this insert.
    OutboxMessage.objects.bulk_create(written)

    if held_messages:
        _log_held(
            held_messages, template=template, key=held_messages[0][0].dedup_key, limits=limits
        )
    pending_ids = [message.pk for message in written if message.status == OutboxStatus.PENDING]
    if pending_ids:
        schedule_sending(pending_ids)
    return written


def _phones_of(recipients: Iterable[User], *, key: str, template: str) -> dict[str, User]:
    """Map each recipient's mobile number to the recipient, skipping (and logging) the rest."""
    targets: dict[str, User] = {}
    for user in recipients:
        phone = normalize_mobile(user.phone)
        if phone is None:
            logger.warning(
                "sms %s (key %s): user %s (%s) has no valid mobile number and is not notified. "
                "Enter one in the admin.",
                template,
                key,
                user.pk,
                user.username,
            )
            continue
        targets.setdefault(phone, user)
    return targets


def _lock_phones(phones: list[str]) -> None:
    """Serialize notifications to these phones until the transaction ends (PostgreSQL only).

    SQLite needs no lock: the project opens its write transactions IMMEDIATE, so they already
    run one at a time. Sorted order keeps two transactions from waiting on each other.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            # unnest returns the sorted list in its order, so the locks are taken in that order.
            "SELECT pg_advisory_xact_lock(%s, hashtext(phone)) FROM unnest(%s::text[]) AS phone",
            [PHONE_LOCK_CLASS, phones],
        )


def _log_held(held_messages, *, template: str, key: str, limits) -> None:
    details = "; ".join(
        f"message {message.pk} to user {message.recipient_id} {mask_phone(message.phone)}: "
        f"{message.held_reason}, {check.in_window} in the last "
        f"{int(limits.rate_window.total_seconds() // 60)} min (max {limits.rate_limit}), "
        f"{check.today} today (max {limits.daily_cap})"
        for message, check in held_messages
    )
    logger.warning(
        "sms %s (key %s): %d message(s) held by the rate limits, requeue them in the admin: %s",
        template,
        key,
        len(held_messages),
        details,
    )


def schedule_sending(message_ids: list[int]) -> None:
    """Start the sending task for these messages once the current transaction commits."""

    def start() -> None:
        from .tasks import send_pending_task

        try:
            send_pending_task.apply_async(
                kwargs={"message_ids": message_ids}, queue=settings.WATERDESK_SMS_QUEUE
            )
        except Exception:
            # The event is committed; the periodic retry sends the messages later. In the
            # embedded default the task runs here, and its failure must not fail the request.
            logger.exception(
                "sms %s: could not start sending, the periodic retry will send them", message_ids
            )

    transaction.on_commit(start)


def requeue(message_ids: Iterable[int], *, now: datetime.datetime) -> int:
    """Put failed and held messages back in the queue, due now; return how many.

    A requeued message gets a fresh attempt budget and is not checked against the rate limits
    again, because a person chose to send it. Its `held_reason` stays as the record.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(message_ids), status__in=[OutboxStatus.FAILED, OutboxStatus.HELD])
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, claim_token=None
        )
        logger.info("sms %s: requeued by a person", ids)
        schedule_sending(ids)
    return len(ids)


def resolve_unconfirmed(
    message_ids: Iterable[int], *, delivered: bool, now: datetime.datetime
) -> int:
    """Record what a person found at the provider for messages stuck in sending; return how many.

    `delivered` True marks them sent; False puts them back in the queue, due now. Only messages
    stuck in sending change: a message whose provider call may still be running does not.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(stuck_in_sending(now), pk__in=list(message_ids))
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        stuck = OutboxMessage.objects.filter(pk__in=ids)
        if delivered:
            # The provider call started when the message was claimed.
            stuck.update(
                status=OutboxStatus.SENT,
                sent_at=F("claimed_at"),
                needs_check_at=None,
                claim_token=None,
            )
            logger.info("sms %s: confirmed delivered by a person", ids)
        else:
            stuck.update(
                status=OutboxStatus.PENDING,
                next_attempt_at=now,
                needs_check_at=None,
                claim_token=None,
            )
            logger.info("sms %s: confirmed not delivered by a person, requeued", ids)
            schedule_sending(ids)
    return len(ids)
