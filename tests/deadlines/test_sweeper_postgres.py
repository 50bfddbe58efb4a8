"""Concurrent sweeps on PostgreSQL: several passes at once still record each breach once."""

import datetime
import threading

import pytest
from django.db import connection

from tests.conftest import at, make_user, order_data
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.orders.models import OrderEvent
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_sweeps_record_each_breach_once():
    assert connection.vendor == "postgresql"
    load_preset()
    dispatcher = make_user("dispatcher", [Role.DISPATCHER])
    created = at("2026-12-04 10:00:00")
    orders = [actions.create_order(dispatcher, order_data(), now=created)[0] for _ in range(30)]
    barrier = threading.Barrier(4)
    results = []

    def run_sweep():
        try:
            barrier.wait()
            results.append(sweep(created + datetime.timedelta(minutes=5)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run_sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result.breached for result in results) == 30
    assert OrderEvent.objects.filter(action="breach").count() == 30
    for order in orders:
        assert OrderEvent.objects.filter(order=order, action="breach").count() == 1
