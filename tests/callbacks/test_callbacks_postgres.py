"""Two callback agents recording on one order at once, on PostgreSQL: the row lock decides."""

import pytest
from django.db import connection

from tests.conftest import GOOD_REPLY, at, make_user, order_data
from tests.orders.test_concurrency_postgres import run_at_once
from waterdesk.callbacks.actions import record_callback
from waterdesk.callbacks.models import CallbackAttempt
from waterdesk.orders import actions
from waterdesk.orders.errors import ActionError
from waterdesk.orders.models import OrderEvent, WorkOrder
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
START = at("2026-12-04 08:00:00")


@pytest.fixture
def awaiting_callback():
    assert connection.vendor == "postgresql"
    load_preset()
    dispatcher = make_user("dispatcher", [Role.DISPATCHER])
    handler = make_user("handler", [Role.HANDLER], "supply_1")
    order, _ = actions.create_order(dispatcher, order_data(), now=START)
    actions.accept_order(handler, order, now=START)
    actions.submit_reply(handler, order, GOOD_REPLY, now=START)
    actions.review_reply(dispatcher, order, {"decision": "approve"}, now=START)
    agents = [make_user(f"agent{index}", [Role.CALLBACK_AGENT]) for index in range(2)]
    return order, agents


def test_two_failed_attempts_at_once_in_one_slot_record_one(awaiting_callback):
    order, agents = awaiting_callback
    body = {"kind": "result", "outcome": "unreachable"}
    results = run_at_once(
        2,
        lambda index: record_callback(
            agents[index], order.number, body, now=at("2026-12-04 09:00:00")
        ),
    )
    assert sum(isinstance(item, WorkOrder) for item in results) == 1
    [failure] = [item for item in results if isinstance(item, ActionError)]
    assert failure.details[0]["code"] == "same_slot"
    assert CallbackAttempt.objects.filter(order=order).count() == 1


def test_two_satisfied_callbacks_at_once_close_once(awaiting_callback):
    order, agents = awaiting_callback
    body = {"kind": "result", "outcome": "satisfied", "reply_truthful": True}
    results = run_at_once(
        2,
        lambda index: record_callback(
            agents[index], order.number, body, now=at("2026-12-04 09:00:00")
        ),
    )
    assert sum(isinstance(item, WorkOrder) for item in results) == 1
    assert all(item.http_status == 409 for item in results if isinstance(item, ActionError))
    assert OrderEvent.objects.filter(order=order, action="callback").count() == 1
