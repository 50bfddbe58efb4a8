"""Searching orders with the filters of the API's order list."""

from waterdesk.web.views import search as search_view

from .conftest import client_for, create_accepted_order, create_dispatched_order, visible_text


def _result_numbers(html: str) -> list[str]:
    results = html.split("查询结果")[1] if "查询结果" in html else ""
    return [part.split("/")[0] for part in results.split('href="/orders/')[1:]]


def test_search_by_phone(dispatcher):
    match = create_dispatched_order(dispatcher)
    other = create_dispatched_order(dispatcher, phone="13900005678", address="文化路12号院")
    html = client_for(dispatcher).get("/search/", {"q": "13800001234"}).content.decode()
    assert _result_numbers(html) == [match.number]
    assert other.number not in html


def test_search_by_number_part(dispatcher):
    order = create_dispatched_order(dispatcher)
    html = client_for(dispatcher).get("/search/", {"q": order.number[-4:]}).content.decode()
    assert order.number in _result_numbers(html)


def test_search_by_address_text(dispatcher):
    order = create_dispatched_order(dispatcher, address="确山县朗陵街道文化路12号院")
    create_dispatched_order(dispatcher, phone="13900005678")
    html = client_for(dispatcher).get("/search/", {"q": "文化路"}).content.decode()
    assert _result_numbers(html) == [order.number]


def test_search_filters_status_and_department(dispatcher, handler):
    accepted = create_accepted_order(dispatcher, handler)
    create_dispatched_order(dispatcher, phone="13900005678", address="文化路12号院")
    create_dispatched_order(
        dispatcher, department="supply_2", phone="13700009876", address="金山小区北区"
    )
    response = client_for(dispatcher).get(
        "/search/", {"status": "accepted", "department": "supply_1"}
    )
    assert _result_numbers(response.content.decode()) == [accepted.number]


def test_search_by_handler_sees_own_department_only(dispatcher, handler):
    create_dispatched_order(dispatcher, department="supply_2")
    html = client_for(handler).get("/search/", {"q": "13800001234"}).content.decode()
    assert "没有符合条件的工单" in visible_text(html)


def test_search_pages_with_cursor(dispatcher, monkeypatch):
    monkeypatch.setattr(search_view, "PAGE_SIZE", 2)
    orders = [
        create_dispatched_order(dispatcher, phone=phone, address=f"建设路{index}号")
        for index, phone in enumerate(["13800001234", "13900005678", "13700009876"])
    ]
    client = client_for(dispatcher)
    first = client.get("/search/", {"q": "建设路"}).content.decode()
    assert _result_numbers(first) == [orders[2].number, orders[1].number]
    next_link = first.split('class="button secondary" href="')[1].split('"')[0]
    second = client.get("/search/" + next_link.replace("&amp;", "&")).content.decode()
    assert _result_numbers(second) == [orders[0].number]
    assert "下一页" not in visible_text(second)


def test_search_with_bad_cursor_explains(dispatcher):
    response = client_for(dispatcher).get("/search/", {"q": "建设路", "cursor": "!!!"})
    assert response.status_code == 400
    assert "cursor" in visible_text(response.content.decode())


def test_search_form_autofocus(viewer):
    html = client_for(viewer).get("/search/").content.decode()
    assert "autofocus" in html.split('name="q"')[1].split(">")[0]
