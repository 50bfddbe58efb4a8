from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from waterdesk.orders.demo import create_demo_accounts, create_demo_orders


class Command(BaseCommand):
    help = "Create the demo accounts and demo orders (demo mode only; existing data is kept)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("demo data is loaded only in demo mode: set WATERDESK_DEMO=1")
        accounts = create_demo_accounts()
        orders = create_demo_orders()
        self.stdout.write(f"demo data: {accounts} accounts and {orders} orders created")
