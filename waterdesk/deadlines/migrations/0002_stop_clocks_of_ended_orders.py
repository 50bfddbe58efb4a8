"""Stop the clocks that kept running after their order ended (closed, returned or merged).

Before this release, closing an order stopped only some of its clocks, so a contact clock of a
later round could still warn and breach on a closed order. Each is stopped at its order's
closing time, which is when it should have stopped.
"""

from django.db import migrations
from django.db.models import F

ENDED_STATUSES = ("closed", "returned", "merged")


def stop_clocks_of_ended_orders(apps, schema_editor):
    Clock = apps.get_model("deadlines", "Clock")
    running = Clock.objects.filter(
        met_at__isnull=True,
        stopped_at__isnull=True,
        order__status__in=ENDED_STATUSES,
        order__closed_at__isnull=False,
    )
    # Updates cannot join, so the order's closing time is read per clock.
    for clock in running.annotate(order_closed_at=F("order__closed_at")).iterator():
        Clock.objects.filter(pk=clock.pk).update(stopped_at=clock.order_closed_at)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("orders", "0005_add_assessment_stale"),
    ]

    operations = [
        migrations.RunPython(stop_clocks_of_ended_orders, migrations.RunPython.noop),
    ]
