"""Concurrent changes on PostgreSQL: row locks and unique constraints decide, exactly once."""

import threading

import pytest
from django.db import connection

from tests.conftest import make_user, order_data
from waterdesk.orders import actions
from waterdesk.orders.errors import ActionError
from waterdesk.orders.models import OrderEvent, WorkOrder
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(count: int, work) -> list:
    """Run `work(index)` in `count` threads released together; return each result or error."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def setup_users():
    assert connection.vendor == "postgresql"
    load_preset()
    dispatcher = make_user("dispatcher", [Role.DISPATCHER])
    handlers = [make_user(f"h{index}", [Role.HANDLER], "supply_1") for index in range(2)]
    return dispatcher, handlers


def test_two_handlers_accepting_at_once_one_wins(setup_users):
    dispatcher, handlers = setup_users
    order, _ = actions.create_order(dispatcher, order_data())
    results = run_at_once(2, lambda index: actions.accept_order(handlers[index], order.number))
    successes = [item for item in results if isinstance(item, WorkOrder)]
    failures = [item for item in results if isinstance(item, ActionError)]
    assert len(successes) == 1
    assert len(failures) == 1
    assert failures[0].http_status == 409
    assert OrderEvent.objects.filter(order=order, action="accept").count() == 1


def test_concurrent_creates_with_same_external_id_make_one_order(setup_users):
    dispatcher, _handlers = setup_users
    data = order_data(channel="upper_hotline", external_id="12345-RACE-1")
    results = run_at_once(8, lambda index: actions.create_order(dispatcher, data))
    assert all(isinstance(item, tuple) for item in results), results
    assert len({order.pk for order, _created in results}) == 1
    assert sum(created for _order, created in results) == 1
    assert WorkOrder.objects.filter(external_id="12345-RACE-1").count() == 1


def test_concurrent_creates_get_distinct_numbers(setup_users):
    dispatcher, _handlers = setup_users
    results = run_at_once(8, lambda index: actions.create_order(dispatcher, order_data())[0].number)
    assert all(isinstance(item, str) for item in results), results
    assert len(set(results)) == 8
