"""Periodic work in a daemon thread, for the embedded default where no Celery beat runs."""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def start_periodic(name: str, interval_seconds: float, work: Callable) -> threading.Event:
    """Call `work(now)` every `interval_seconds` in a daemon thread; set the event to stop it.

    A failing pass is logged and the next pass runs as usual, so one error never stops the
    thread. Each pass closes its database connection, as a request would.
    """
    stop = threading.Event()

    def loop() -> None:
        logger.info("%s started in-process, every %s s", name, interval_seconds)
        while not stop.wait(interval_seconds):
            try:
                work(timezone.now())
            except Exception:
                logger.exception("%s pass failed", name)
            finally:
                close_old_connections()

    threading.Thread(target=loop, name=name, daemon=True).start()
    return stop
