import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from waterdesk.hotline12345.delivery import deliver_due_messages


class Command(BaseCommand):
    help = (
        "Send the due messages of the 12345 outbox once, or every --every seconds. Needed where "
        "no Celery beat runs the periodic task hotline12345.deliver_due (the embedded default)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="repeat every this many seconds until stopped (default: run once)",
        )

    def handle(self, *args, **options):
        interval = options["every"]
        if interval is not None and interval <= 0:
            raise CommandError(f"--every must be a positive number of seconds, got {interval}")
        while True:
            counts = deliver_due_messages(timezone.now())
            self.stdout.write(" ".join(f"{key}={value}" for key, value in sorted(counts.items())))
            if interval is None:
                return
            close_old_connections()
            time.sleep(interval)
