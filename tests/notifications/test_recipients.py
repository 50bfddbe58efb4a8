"""Recipient helpers: heads by department, center heads, and the handlers of an order."""

import pytest

from tests.conftest import make_user
from waterdesk.notifications.outbox import center_heads, department_heads, handlers_of
from waterdesk.orders import actions
from waterdesk.organization.models import Department, Role

pytestmark = pytest.mark.django_db


def test_department_heads_are_the_departments_own(department_head, preset):
    make_user("supply_2_head", [Role.DEPARTMENT_HEAD], "supply_2")
    make_user("supply_1_clerk", [Role.HANDLER], "supply_1")

    heads = department_heads(Department.objects.get(code="supply_1"))

    assert heads == [department_head]


def test_inactive_head_is_left_out(department_head):
    department_head.is_active = False
    department_head.save(update_fields=["is_active"])

    assert department_heads(department_head.department) == []


def test_center_heads_include_heads_with_other_roles(center_head, dispatcher):
    both = make_user("head_and_dispatcher", [Role.DISPATCHER, Role.CENTER_HEAD])

    assert center_heads() == [center_head, both]


def test_handlers_of_accepted_order_is_its_handler(order, handler, other_handler, preset):
    make_user("supply_1_second_handler", [Role.HANDLER], "supply_1")
    actions.accept_order(handler, order)
    order.refresh_from_db()

    assert handlers_of(order) == [handler]


def test_handlers_of_unaccepted_order_are_the_departments(order, handler, other_handler, preset):
    second = make_user("supply_1_second_handler", [Role.HANDLER], "supply_1")

    assert handlers_of(order) == [handler, second]
