"""The in-process sweeper of the embedded default, where no Celery worker or beat runs."""

import threading

from waterdesk.periodic import start_periodic

from .sweeper import sweep


def start_background_sweeper(interval_seconds: float) -> threading.Event:
    """Run a sweep every `interval_seconds` in a daemon thread; set the returned event to stop."""
    return start_periodic("deadline-sweeper", interval_seconds, sweep)
