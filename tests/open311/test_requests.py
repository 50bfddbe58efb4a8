"""GET requests.json and requests/{id}: filters, limits, status mapping and privacy."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import order_data
from waterdesk.open311 import views
from waterdesk.orders.actions import create_order
from waterdesk.orders.models import OrderEvent, WorkOrder

from .conftest import (
    assert_times_have_offsets,
    assert_valid,
    make_key,
    parse_xml,
    request_form,
)

LIST_URL = "/open311/v2/requests.json"


def make_order(dispatcher, now=None, **overrides) -> WorkOrder:
    order, _created = create_order(dispatcher, order_data(**overrides), now=now)
    return order


def listed(client, **params) -> list[dict]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(requests: list[dict]) -> list[str]:
    return [item["service_request_id"] for item in requests]


def test_request_list_matches_schema(client, dispatcher, schemas):
    make_order(dispatcher)
    make_order(dispatcher, category="meter")
    requests = listed(client)
    assert len(requests) == 2
    assert_valid(schemas, "requests.json", requests)
    for request in requests:
        assert_valid(schemas, "request.json", request)
        assert_times_have_offsets(request)
        assert request["requested_datetime"].endswith("+08:00")


def test_open_order_has_expected_time(client, dispatcher):
    order = make_order(dispatcher)
    request = listed(client)[0]
    assert request["status"] == "open"
    assert request["status_notes"] == "已受理"
    assert request["expected_datetime"] is not None
    assert request["agency_responsible"] == order.department.name


@pytest.mark.parametrize(
    ("status", "expected", "note_part"),
    [
        ("closed", "closed", "已办结"),
        ("returned", "closed", "12345"),
        ("merged", "closed", "合并"),
        ("reported", "open", "书面报告"),
    ],
)
def test_statuses_map_to_open_or_closed_with_notes(
    client, dispatcher, schemas, status, expected, note_part
):
    order = make_order(dispatcher)
    WorkOrder.objects.filter(pk=order.pk).update(status=status)
    request = listed(client)[0]
    assert_valid(schemas, "request.json", request)
    assert request["status"] == expected
    assert note_part in request["status_notes"]
    if expected == "closed":
        assert request["expected_datetime"] is None


def test_approved_extension_is_in_status_notes(client, dispatcher):
    order = make_order(dispatcher)
    OrderEvent.objects.create(
        order=order, at=timezone.now(), action="extension_decision", data={"decision": "approve"}
    )
    assert "延期" in listed(client)[0]["status_notes"]


def test_rejected_extension_is_not_in_status_notes(client, dispatcher):
    order = make_order(dispatcher)
    OrderEvent.objects.create(
        order=order, at=timezone.now(), action="extension_decision", data={"decision": "reject"}
    )
    assert "延期" not in listed(client)[0]["status_notes"]


def test_personal_data_is_hidden_without_key(client, dispatcher):
    make_order(dispatcher)
    request = listed(client)[0]
    assert request["description"] is None
    assert request["address"] is None
    assert "13800001234" not in str(request)
    assert "张先生" not in str(request)


def test_submitting_key_sees_its_own_request(client, api_key):
    client.post(LIST_URL, request_form(api_key, lat="32.80", long="114.02"))
    request = listed(client, api_key=api_key)[0]
    assert request["address"] == "确山县建设路18号"
    assert request["description"].startswith("小区门口水管破裂")
    assert request["lat"] == pytest.approx(32.8)
    assert request["long"] == pytest.approx(114.02)


def test_other_key_does_not_see_personal_data(client, api_key):
    client.post(LIST_URL, request_form(api_key))
    _row, other_key = make_key("另一个客户端")
    request = listed(client, api_key=other_key)[0]
    assert request["address"] is None
    assert request["description"] is None


def test_invalid_key_on_search_is_rejected(client, preset):
    response = client.get(LIST_URL, {"api_key": "not-a-key"})
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403


def test_service_request_id_list_overrides_other_filters(client, dispatcher):
    first = make_order(dispatcher)
    second = make_order(dispatcher, category="meter")
    make_order(dispatcher)
    requests = listed(
        client,
        service_request_id=f"{first.number}, {second.number}",
        service_code="billing",
        status="closed",
    )
    assert sorted(ids(requests)) == sorted([first.number, second.number])


def test_service_code_filter(client, dispatcher):
    make_order(dispatcher)
    meter = make_order(dispatcher, category="meter")
    assert ids(listed(client, service_code="meter")) == [meter.number]


def test_status_filter(client, dispatcher):
    open_order = make_order(dispatcher)
    closed_order = make_order(dispatcher)
    WorkOrder.objects.filter(pk=closed_order.pk).update(status="closed")
    assert ids(listed(client, status="open")) == [open_order.number]
    assert ids(listed(client, status="closed")) == [closed_order.number]
    assert len(listed(client, status="open,closed")) == 2


def test_unknown_status_is_rejected(client, preset):
    response = client.get(LIST_URL, {"status": "pending"})
    assert response.status_code == 400
    assert "pending" in response.json()[0]["description"]


def test_default_window_is_ninety_days(client, dispatcher):
    now = timezone.now()
    recent = make_order(dispatcher, now=now - datetime.timedelta(days=89))
    make_order(dispatcher, now=now - datetime.timedelta(days=91))
    assert ids(listed(client)) == [recent.number]


def test_date_range_filters_requested_time(client, dispatcher):
    now = timezone.now()
    make_order(dispatcher, now=now - datetime.timedelta(days=10))
    middle = make_order(dispatcher, now=now - datetime.timedelta(days=5))
    make_order(dispatcher, now=now - datetime.timedelta(days=1))
    requests = listed(
        client,
        start_date=(now - datetime.timedelta(days=6)).isoformat(),
        end_date=(now - datetime.timedelta(days=4)).isoformat(),
    )
    assert ids(requests) == [middle.number]


def test_start_date_alone_covers_ninety_days(client, dispatcher):
    now = timezone.now()
    old = make_order(dispatcher, now=now - datetime.timedelta(days=120))
    make_order(dispatcher, now=now - datetime.timedelta(days=20))
    start = now - datetime.timedelta(days=121)
    assert ids(listed(client, start_date=start.isoformat())) == [old.number]


def test_span_over_ninety_days_is_rejected(client, preset):
    response = client.get(
        LIST_URL,
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-04-02T00:00:00+08:00"},
    )
    assert response.status_code == 400
    assert "90" in response.json()[0]["description"]


def test_date_without_offset_is_rejected(client, preset):
    response = client.get(LIST_URL, {"start_date": "2026-12-01T00:00:00"})
    assert response.status_code == 400
    assert "start_date" in response.json()[0]["description"]


def test_results_stop_at_the_maximum(client, dispatcher, monkeypatch):
    monkeypatch.setattr(views, "MAX_RESULTS", 2)
    orders = [make_order(dispatcher) for _ in range(3)]
    assert ids(listed(client)) == [orders[2].number, orders[1].number]


def test_request_detail_matches_schema(client, dispatcher, schemas):
    order = make_order(dispatcher)
    response = client.get(f"/open311/v2/requests/{order.number}.json")
    assert response.status_code == 200
    assert_valid(schemas, "requests.json", response.json())
    assert response.json()[0]["service_request_id"] == order.number


def test_request_detail_xml(client, dispatcher):
    order = make_order(dispatcher)
    root = parse_xml(client.get(f"/open311/v2/requests/{order.number}.xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.find("service_request_id").text == order.number
    assert request.find("status").text == "open"
    assert request.find("description").text is None


def test_request_list_xml(client, dispatcher):
    make_order(dispatcher)
    make_order(dispatcher)
    root = parse_xml(client.get("/open311/v2/requests.xml"))
    assert len(root.findall("request")) == 2


def test_unknown_request_is_not_found(client, preset):
    response = client.get("/open311/v2/requests/GD000.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
