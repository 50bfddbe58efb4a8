from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from waterdesk.deadlines.recompute import RECOMPUTABLE_CLOCKS, recompute_open_clocks
from waterdesk.organization.models import User


class Command(BaseCommand):
    help = (
        "Move the due time of running clocks to what the current policy gives. Each moved clock "
        "is recorded on its order. Without this command a policy change affects new clocks only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clock",
            action="append",
            choices=RECOMPUTABLE_CLOCKS,
            help="only this clock (repeatable)",
        )
        parser.add_argument("--operator", help="user name recorded as the actor of the events")

    def handle(self, *args, **options):
        operator = None
        if options["operator"]:
            operator = User.objects.filter(username=options["operator"]).first()
            if operator is None:
                raise CommandError(f"no user is named {options['operator']}")
        moved = recompute_open_clocks(
            operator, timezone.now(), tuple(options["clock"] or RECOMPUTABLE_CLOCKS)
        )
        self.stdout.write(f"{moved} running clocks moved to the current policy")
