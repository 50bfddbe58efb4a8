"""Celery tasks of the deadline engine: thin wrappers that read the clock and call the sweeper."""

from celery import shared_task
from django.utils import timezone

from .sweeper import sweep


@shared_task(name="deadlines.sweep")
def sweep_deadlines_task() -> dict:
    result = sweep(timezone.now())
    return {"warned": result.warned, "breached": result.breached}
