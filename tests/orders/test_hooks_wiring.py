"""Order actions write the outbox rows of other apps: 12345 messages and SMS reminders."""

import pytest

from tests.conftest import GOOD_REPLY, make_user
from tests.hotline12345.conftest import make_platform, push_body, send_push
from waterdesk.hotline12345.models import OutboundMessage
from waterdesk.notifications.models import OutboxMessage
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import Role


@pytest.fixture
def pushed(preset, dispatcher):
    make_platform()
    response = send_push(push_body())
    assert response.status_code == 201, response.content
    order = WorkOrder.objects.get(number=response.json()["order_number"])
    # Whatever department the category mapping chose, the handler fixture works in supply_1.
    return actions.dispatch_order(dispatcher, order, "supply_1")


def test_approved_reply_of_pushed_order_goes_to_12345_outbox(pushed, dispatcher, handler):
    actions.accept_order(handler, pushed)
    actions.submit_reply(handler, pushed, GOOD_REPLY)
    actions.review_reply(dispatcher, pushed, {"decision": "approve"})
    assert OutboundMessage.objects.filter(order=pushed).count() == 1


def test_approved_return_of_pushed_order_goes_to_12345_outbox(pushed, handler, preset):
    actions.accept_order(handler, pushed)
    requests.request_return(
        handler,
        pushed,
        {"reason": "非我公司职责", "basis": "《办法》第八条", "target_unit": "市政处"},
    )
    requests.decide_return(
        make_user("h1", [Role.DEPARTMENT_HEAD], "supply_1"), pushed, {"decision": "approve"}
    )
    requests.decide_return(make_user("c1", [Role.CENTER_HEAD]), pushed, {"decision": "approve"})
    message = OutboundMessage.objects.get(order=pushed)
    assert "市政处" in str(message.payload)


def test_redo_order_texts_department_and_center_heads(preset, dispatcher):
    from tests.conftest import order_data

    head = make_user("supply_1_head", [Role.DEPARTMENT_HEAD], "supply_1")
    head.phone = "13700000001"
    head.save()
    center = make_user("center_head", [Role.CENTER_HEAD])
    center.phone = "13700000002"
    center.save()
    order, _ = actions.create_order(
        dispatcher, order_data(order_type="redo", redo_reasons="仍未修复")
    )
    phones = set(
        OutboxMessage.objects.filter(order=order, template_code="redo_created").values_list(
            "phone", flat=True
        )
    )
    assert phones == {"13700000001", "13700000002"}


def test_rejected_reply_texts_the_handler(preset, dispatcher, handler):
    from tests.conftest import order_data

    handler.phone = "13700000003"
    handler.save()
    order, _ = actions.create_order(dispatcher, order_data())
    actions.accept_order(handler, order)
    actions.submit_reply(handler, order, GOOD_REPLY)
    actions.review_reply(dispatcher, order, {"decision": "reject", "comment": "未写原因"})
    assert OutboxMessage.objects.filter(
        order=order, template_code="reply_rejected", phone="13700000003"
    ).exists()
