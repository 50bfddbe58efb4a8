import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from waterdesk.deadlines.sweeper import sweep


class Command(BaseCommand):
    help = "Run one pass of the deadline sweeper: record due warnings and breaches once each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="sweep as if it were this time, ISO 8601 with offset: 2026-12-04T09:30+08:00",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now is not an ISO 8601 time: {options['now']}") from None
            if now.tzinfo is None:
                raise CommandError("--now needs its UTC offset, e.g. 2026-12-04T09:30:00+08:00")
        result = sweep(now)
        self.stdout.write(f"{result.warned} warnings and {result.breached} breaches recorded")
