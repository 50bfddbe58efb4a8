"""Celery tasks of the SMS outbox: thin wrappers that read the clock and call the sender."""

from celery import shared_task
from django.utils import timezone

from .sending import send_pending


@shared_task(name="notifications.send_pending")
def send_pending_task(message_ids: list[int] | None = None) -> dict:
    """Send due messages (all, or only `message_ids`); Celery beat runs it every 30 s."""
    return send_pending(timezone.now(), message_ids=message_ids).as_dict()
