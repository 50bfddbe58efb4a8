"""Celery tasks of the monthly assessment: a thin wrapper around the facts refresh."""

from celery import shared_task
from django.utils import timezone

from .facts import refresh_stale_facts


@shared_task(name="reports.refresh_facts")
def refresh_facts_task() -> int:
    return refresh_stale_facts(timezone.now())
