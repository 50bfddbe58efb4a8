"""insert_rows: new rows of one model in one statement, as the create action writes them."""

import pytest
from django.db.models.functions import Now
from django.utils import timezone

from waterdesk.orders.inserts import insert_rows
from waterdesk.orders.models import Category, OrderEvent, WorkOrder
from waterdesk.organization.models import Department


def new_order(**overrides) -> WorkOrder:
    now = timezone.now()
    fields = {
        "number": "GD202612059999",
        "channel": "hotline",
        "category": Category.objects.get(code="pipe_leak"),
        "address": "确山县建设路",
        "content": "路口冒水。",
        "department": Department.objects.get(code="supply_1"),
        "time_limit_hours": 24,
        "created_at": now,
        "updated_at": now,
        "assessment_stale": True,
    }
    fields.update(overrides)
    return WorkOrder(**fields)


def test_insert_rows_saves_rows_and_sets_keys(preset):
    order = new_order()
    events = [
        OrderEvent(order=order, at=order.created_at, action="create", data={"channel": "hotline"}),
        OrderEvent(order=order, at=order.created_at, action="dispatch", data={"round": 1}),
    ]

    insert_rows([order])
    insert_rows(events)

    saved = WorkOrder.objects.get(pk=order.pk)
    assert saved.number == "GD202612059999"
    assert saved.assessment_stale is True
    assert [event.pk for event in events] == list(
        saved.events.order_by("id").values_list("pk", flat=True)
    )
    assert saved.events.order_by("id").first().data == {"channel": "hotline"}


def test_insert_rows_rejects_an_expression_value(preset):
    # Database defaults and expressions are not sent through the plain statement.
    order = new_order(updated_at=Now())

    with pytest.raises(ValueError, match="WorkOrder.updated_at"):
        insert_rows([order])
    assert not WorkOrder.objects.filter(number="GD202612059999").exists()
