from django.core.management.base import BaseCommand

from waterdesk.policy.loading import load_preset


class Command(BaseCommand):
    help = "Create the regulation's departments, fault categories and policy where missing."

    def handle(self, *args, **options):
        created = load_preset()
        self.stdout.write(
            f"preset loaded: {created['departments']} departments and "
            f"{created['categories']} categories and {created['calendar_days']} holiday calendar "
            "days created"
        )
