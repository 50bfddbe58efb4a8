"""Concurrent decisions on PostgreSQL: one wins, the other gets 409, history stays single."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import make_user, order_data
from tests.orders.test_concurrency_postgres import run_at_once
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.orders.errors import ActionError
from waterdesk.orders.models import OrderEvent, OrderRequest, WorkOrder
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accepted():
    assert connection.vendor == "postgresql"
    load_preset()
    dispatcher = make_user("dispatcher", [Role.DISPATCHER])
    handler = make_user("handler", [Role.HANDLER], "supply_1")
    data = order_data(time_limit_hours=48, channel="upper_hotline", external_id="12345-PG-1")
    order, _ = actions.create_order(dispatcher, data)
    return actions.accept_order(handler, order), handler


def test_two_department_heads_approving_one_return_at_once(accepted):
    order, handler = accepted
    heads = [make_user(f"head{index}", [Role.DEPARTMENT_HEAD], "supply_1") for index in range(2)]
    requests.request_return(
        handler,
        order,
        {"reason": "非我公司职责", "basis": "《办法》第八条", "target_unit": "市政处"},
    )
    results = run_at_once(
        2, lambda index: requests.decide_return(heads[index], order.number, {"decision": "approve"})
    )
    assert sum(isinstance(item, WorkOrder) for item in results) == 1
    failures = [item for item in results if isinstance(item, ActionError)]
    assert len(failures) == 1
    assert failures[0].http_status == 409
    assert OrderEvent.objects.filter(order=order, action="return_decision").count() == 1
    assert OrderRequest.objects.get(order=order).status == "awaiting_center"


def test_extension_requested_twice_at_once_makes_one_request(accepted):
    order, handler = accepted
    body = {
        "reason": "材料未到",
        "measures": "临时供水",
        "expected_done_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        "citizen_agreed": True,
    }
    results = run_at_once(2, lambda index: requests.request_extension(handler, order.number, body))
    assert sum(isinstance(item, WorkOrder) for item in results) == 1
    assert all(item.http_status == 409 for item in results if isinstance(item, ActionError))
    assert OrderRequest.objects.filter(order=order, kind="extension").count() == 1
