"""The in-process sender of the embedded default, where no Celery worker or beat runs.

Tasks run in-process there, so each message is sent right after its commit; this thread only
retries messages whose first attempt failed. `manage.py serve` starts it.
"""

import threading

from waterdesk.periodic import start_periodic

from .sending import send_pending


def start_background_sender(interval_seconds: float) -> threading.Event:
    """Send due messages every `interval_seconds` in a daemon thread; set the event to stop."""
    return start_periodic("sms-sender", interval_seconds, send_pending)
