"""Dispatcher console: the new-order form, the caller's history, the live list, dispatching."""

from waterdesk.orders.models import WorkOrder
from waterdesk.orders.statuses import Status

from .conftest import (
    client_for,
    create_dispatched_order,
    create_new_order,
    text_of,
    visible_text,
)

NEW_ORDER = {
    "phone": "13800001234",
    "address": "确山县建设路与人民路交叉口",
    "content": "路口人行道下往外冒水。",
    "category": "pipe_leak",
    "department": "",
    "time_limit_hours": "",
    "reporter": "张先生",
    "channel": "hotline",
    "order_type": "general",
    "callback_required": "on",
    "dispatch": "on",
}


def test_console_form_starts_on_phone(dispatcher):
    html = client_for(dispatcher).get("/dispatch/").content.decode()
    phone_input = html.split('id="id_phone"')[0].rsplit("<input", 1)[1]
    assert "autofocus" in phone_input
    assert 'id="category-defaults"' in html
    assert '"pipe_leak": {"department": "supply_1", "hours": 24}' in html


def test_console_creates_and_dispatches_order(dispatcher):
    response = client_for(dispatcher).post("/dispatch/", NEW_ORDER)
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dispatch/?created={order.number}"
    assert order.status == Status.DISPATCHED
    assert order.department.code == "supply_1"
    assert order.time_limit_hours == 24
    assert order.created_by == dispatcher


def test_console_names_created_order(dispatcher):
    client = client_for(dispatcher)
    client.post("/dispatch/", NEW_ORDER)
    number = WorkOrder.objects.get().number
    html = client.get(f"/dispatch/?created={number}").content.decode()
    assert f"工单 {number} 已创建" in visible_text(html)


def test_console_keeps_order_undispatched_on_request(dispatcher):
    data = {key: value for key, value in NEW_ORDER.items() if key != "dispatch"}
    client_for(dispatcher).post("/dispatch/", data)
    assert WorkOrder.objects.get().status == Status.NEW


def test_missing_address_shown_next_to_field(dispatcher):
    response = client_for(dispatcher).post("/dispatch/", {**NEW_ORDER, "address": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "地址（address）不能为空" in text_of(html, "id_address-errors")
    assert WorkOrder.objects.count() == 0


def test_invalid_phone_shown_next_to_field(dispatcher):
    response = client_for(dispatcher).post("/dispatch/", {**NEW_ORDER, "phone": "12345"})
    errors = text_of(response.content.decode(), "id_phone-errors")
    assert "13800001234" in errors
    assert 'value="12345"' in response.content.decode()


def test_bad_time_limit_shown_next_to_field(dispatcher):
    response = client_for(dispatcher).post("/dispatch/", {**NEW_ORDER, "time_limit_hours": "-3"})
    assert text_of(response.content.decode(), "id_time_limit_hours-errors")


def test_handler_cannot_open_console(handler):
    response = client_for(handler).get("/dispatch/")
    assert response.status_code == 403
    assert "您的角色无权打开此页面" in visible_text(response.content.decode())


def test_history_lists_earlier_orders_of_phone(dispatcher):
    earlier = create_new_order(dispatcher)
    html = client_for(dispatcher).get("/dispatch/history/", {"phone": "138 0000 1234"})
    assert earlier.number in html.content.decode()


def test_history_lists_earlier_orders_of_address_part(dispatcher):
    earlier = create_new_order(dispatcher, phone=None)
    response = client_for(dispatcher).get("/dispatch/history/", {"address": "建设路与人民路"})
    assert earlier.number in response.content.decode()


def test_history_ignores_short_input(dispatcher):
    create_new_order(dispatcher)
    response = client_for(dispatcher).get("/dispatch/history/", {"phone": "13", "address": "确"})
    assert "输入电话或地址" in visible_text(response.content.decode())


def test_live_list_shows_new_and_unaccepted_orders(dispatcher, handler):
    waiting = create_new_order(dispatcher)
    unaccepted = create_dispatched_order(dispatcher)
    html = client_for(dispatcher).get("/dispatch/live/").content.decode()
    assert waiting.number in html
    assert unaccepted.number in html
    assert 'class="countdown" data-seconds="' in html


def test_live_list_drops_accepted_orders(dispatcher, handler):
    from waterdesk.orders import actions

    order = create_dispatched_order(dispatcher)
    actions.accept_order(handler, order)
    html = client_for(dispatcher).get("/dispatch/live/").content.decode()
    assert order.number not in html


def test_dispatch_from_live_list(dispatcher):
    order = create_new_order(dispatcher)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/dispatch/",
        {"department": "supply_2", "version": order.version, "next": "/dispatch/"},
    )
    order.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/dispatch/"
    assert order.status == Status.DISPATCHED
    assert order.department.code == "supply_2"


def test_dispatch_with_stale_version_is_conflict(dispatcher):
    order = create_new_order(dispatcher)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/dispatch/", {"department": "supply_2", "version": 99}
    )
    assert response.status_code == 409
    assert "已被他人修改" in visible_text(response.content.decode())


def test_address_maxlength_is_policy_limit(dispatcher):
    html = client_for(dispatcher).get("/dispatch/").content.decode()
    address_input = html.split('id="id_address"')[0].rsplit("<input", 1)[1]
    assert 'maxlength="200"' in address_input


def test_too_long_address_shown_next_to_field(dispatcher):
    response = client_for(dispatcher).post("/dispatch/", {**NEW_ORDER, "address": "路" * 201})
    assert response.status_code == 400
    assert "200" in text_of(response.content.decode(), "id_address-errors")
    assert WorkOrder.objects.count() == 0
