"""The in-process sweeper of the embedded default, where no Celery worker or beat runs."""

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone

from .sweeper import sweep

logger = logging.getLogger(__name__)


def start_background_sweeper(interval_seconds: float) -> threading.Event:
    """Run a sweep every `interval_seconds` in a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        logger.info("in-process deadline sweeper started, every %s s", interval_seconds)
        while not stop.wait(interval_seconds):
            try:
                sweep(timezone.now())
            except Exception:
                # The next pass retries; a failing pass must not stop the sweeper thread.
                logger.exception("deadline sweep failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="deadline-sweeper", daemon=True).start()
    return stop
