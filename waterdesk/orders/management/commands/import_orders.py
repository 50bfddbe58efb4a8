import json
import logging

from django.core.management.base import BaseCommand, CommandError

from waterdesk.orders.actions import create_order
from waterdesk.orders.errors import ActionError

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Create orders from a JSON Lines file in the create-order shape of the API. Each invalid "
        "line is reported with its line number, field and reason, and creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="path of the .jsonl file, one create-order object per line"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        created = existing = failed = 0
        with handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    failed += 1
                    self.stderr.write(f"line {line_number}: body: not valid JSON ({error.msg})")
                    continue
                try:
                    order, was_created = create_order(None, data)
                except ActionError as error:
                    failed += 1
                    for detail in error.details or [{"field": "-", "message": error.message}]:
                        self.stderr.write(
                            f"line {line_number}: {detail['field']}: {detail['message']}"
                        )
                    continue
                if was_created:
                    created += 1
                else:
                    existing += 1
                self.stdout.write(f"line {line_number}: {order.number}")
        self.stdout.write(
            f"{created} orders created, {existing} already present, {failed} lines rejected"
        )
        if failed:
            raise CommandError(f"{failed} lines were rejected; see the messages above")
