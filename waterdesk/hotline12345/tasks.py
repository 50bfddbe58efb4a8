"""Celery tasks of the 12345 adapter: thin wrappers that read the clock and call delivery."""

from celery import shared_task
from django.utils import timezone

from . import delivery

# A retry task fires this long after the message's next attempt time, so that the compare-and-set
# claim, which requires the message to be due, never misses by a clock tick.
RETRY_MARGIN_SECONDS = 1


@shared_task(name="hotline12345.deliver", bind=True, max_retries=None, acks_late=True)
def deliver_message_task(self, message_pk: int) -> str | None:
    """Send one outbox message; after a failure that may pass, retry with exponential backoff.

    The attempt count and the next attempt time live on the message row, so the periodic task
    below delivers the message even if this retry is lost. Run eagerly (no broker), the task does
    not retry in-process: the periodic pass or `manage.py deliver_hotline_messages` does.
    """
    now = timezone.now()
    result = delivery.deliver_message(message_pk, now)
    if result is None:
        return None
    if result.retry_at is not None and not self.request.is_eager:
        countdown = (result.retry_at - now).total_seconds() + RETRY_MARGIN_SECONDS
        raise self.retry(countdown=countdown)
    return result.outcome


@shared_task(name="hotline12345.deliver_due")
def deliver_due_messages_task() -> dict:
    """Flag stuck sends and deliver every due message: the safety net behind the retries."""
    return delivery.deliver_due_messages(timezone.now())
