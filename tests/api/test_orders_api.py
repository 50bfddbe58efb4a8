"""Orders through the HTTP API: create, list, detail and actions, with the contract's errors."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import GOOD_REPLY, ApiClient, order_data


@pytest.fixture
def as_dispatcher(dispatcher):
    return ApiClient(dispatcher)


@pytest.fixture
def as_handler(handler):
    return ApiClient(handler)


def create(client, **overrides):
    response = client.post("/api/v1/orders", order_data(**overrides))
    assert response.status_code == 201, response.content
    return response.json()


def test_create_returns_201_with_detail(as_dispatcher):
    body = create(as_dispatcher)
    assert body["number"].startswith("GD")
    assert body["status"] == "dispatched"
    assert body["created_at"].endswith("+08:00")
    assert [item["action"] for item in body["timeline"]] == ["create", "dispatch"]
    assert {item["clock"] for item in body["deadlines"]} == {"dispatch", "accept", "resolution"}


@pytest.mark.parametrize(
    "overrides",
    [{}, {"dispatch": False}, {"due_at": datetime.timedelta(days=3)}, {"order_type": "urgent"}],
)
def test_create_response_matches_the_order_read_back(as_dispatcher, overrides):
    # The create response is built from what the action wrote, not read back; it must show
    # exactly what a later read of the order shows.
    now = timezone.now()
    overrides = dict(overrides)
    if "due_at" in overrides:
        overrides["due_at"] = (now + overrides["due_at"]).isoformat()
    with time_machine.travel(now, tick=False):
        body = create(as_dispatcher, **overrides)
        body.pop("likely_duplicates")
        assert as_dispatcher.get(f"/api/v1/orders/{body['number']}").json() == body


def test_create_request_query_count(as_dispatcher, django_assert_max_num_queries):
    # Token, number, order, events, clocks and the likely duplicates, with the transaction's
    # BEGIN and COMMIT where the backend logs them. More means a lookup crept back in.
    create(as_dispatcher)
    with django_assert_max_num_queries(8):
        create(as_dispatcher, phone="13800004321")


def test_create_same_external_id_returns_200_and_first_order(as_dispatcher):
    data = order_data(channel="upper_hotline", external_id="12345-X-1")
    first = as_dispatcher.post("/api/v1/orders", data)
    second = as_dispatcher.post("/api/v1/orders", data)
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["number"] == first.json()["number"]


def test_create_with_bad_fields_returns_invalid_input(as_dispatcher):
    response = as_dispatcher.post("/api/v1/orders", order_data(phone="12", department="x"))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert {item["field"] for item in error["details"]} == {"phone", "department"}
    assert all(item["message"] for item in error["details"])


def test_malformed_json_is_invalid_input(as_dispatcher):
    response = as_dispatcher.post("/api/v1/orders", "{not json")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "body"


def test_json_array_body_is_invalid_input(as_dispatcher):
    response = as_dispatcher.post("/api/v1/orders", "[1, 2]")
    assert response.status_code == 400


def test_handler_cannot_create_orders(as_handler):
    response = as_handler.post("/api/v1/orders", order_data())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_unknown_order_is_not_found(as_dispatcher):
    response = as_dispatcher.get("/api/v1/orders/GD000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_handler_cannot_see_other_department_order(as_dispatcher, other_handler):
    number = create(as_dispatcher)["number"]
    response = ApiClient(other_handler).get(f"/api/v1/orders/{number}")
    assert response.status_code == 403


def test_handler_lists_only_own_department(as_dispatcher, as_handler):
    create(as_dispatcher, department="supply_1")
    create(as_dispatcher, department="supply_2")
    results = as_handler.get("/api/v1/orders").json()["results"]
    assert [item["department"] for item in results] == ["supply_1"]


def test_action_in_wrong_state_is_invalid_transition(as_dispatcher, as_handler):
    number = create(as_dispatcher)["number"]
    as_handler.post(f"/api/v1/orders/{number}/accept")
    response = as_handler.post(f"/api/v1/orders/{number}/accept")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_stale_version_is_conflict(as_dispatcher, as_handler):
    body = create(as_dispatcher)
    response = as_handler.post(
        f"/api/v1/orders/{body['number']}/accept", {"version": body["version"] - 1}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_other_department_handler_action_is_forbidden(as_dispatcher, other_handler):
    number = create(as_dispatcher)["number"]
    response = ApiClient(other_handler).post(f"/api/v1/orders/{number}/accept")
    assert response.status_code == 403


def test_full_flow_to_closed(as_dispatcher, as_handler, callback_agent):
    number = create(as_dispatcher)["number"]
    assert as_handler.post(f"/api/v1/orders/{number}/accept").json()["status"] == "accepted"
    response = as_handler.post(
        f"/api/v1/orders/{number}/contact-attempts",
        {"at": timezone.now().isoformat(), "outcome": "reached", "note": "已约定上门"},
    )
    assert response.status_code == 200
    response = as_handler.post(f"/api/v1/orders/{number}/reply", {"content": GOOD_REPLY})
    assert response.json()["status"] == "replied"
    response = as_dispatcher.post(f"/api/v1/orders/{number}/review", {"decision": "approve"})
    assert response.json()["status"] == "callback_pending"
    detail = as_dispatcher.get(f"/api/v1/orders/{number}").json()
    assert detail["reply"]["content"] == GOOD_REPLY
    actions = [item["action"] for item in detail["timeline"]]
    assert actions == ["create", "dispatch", "accept", "contact_attempt", "reply", "review"]


def test_reply_with_errors_returns_422_with_violations(as_dispatcher, as_handler):
    number = create(as_dispatcher)["number"]
    as_handler.post(f"/api/v1/orders/{number}/accept")
    response = as_handler.post(f"/api/v1/orders/{number}/reply", {"content": "已处理完毕"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "reply_rejected"
    assert {"rule", "severity", "message", "start", "end"} <= set(error["details"][0])


def test_reply_check_endpoint_saves_nothing(as_dispatcher, as_handler):
    number = create(as_dispatcher)["number"]
    response = as_handler.post("/api/v1/replies/check", {"content": "已处理完毕", "order": number})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert any(item["rule"] == "vague_only" for item in body["violations"])


def test_list_filters_by_status_and_department(as_dispatcher):
    create(as_dispatcher, department="supply_1")
    create(as_dispatcher, department="supply_2", dispatch=False)
    body = as_dispatcher.get("/api/v1/orders", {"status": "new"}).json()
    assert [item["department"] for item in body["results"]] == ["supply_2"]
    body = as_dispatcher.get("/api/v1/orders", {"department": "supply_1"}).json()
    assert [item["status"] for item in body["results"]] == ["dispatched"]


def test_list_searches_text(as_dispatcher):
    create(as_dispatcher, address="确山县幸福小区")
    create(as_dispatcher, address="确山县人民路", phone="13900009999")
    assert len(as_dispatcher.get("/api/v1/orders", {"q": "幸福"}).json()["results"]) == 1
    assert len(as_dispatcher.get("/api/v1/orders", {"q": "13900009999"}).json()["results"]) == 1


def test_list_cursor_pages_through_every_order(as_dispatcher):
    numbers = {create(as_dispatcher)["number"] for _ in range(5)}
    seen = []
    params = {"limit": 2}
    while True:
        body = as_dispatcher.get("/api/v1/orders", params).json()
        seen.extend(item["number"] for item in body["results"])
        if not body["next_cursor"]:
            break
        params = {"limit": 2, "cursor": body["next_cursor"]}
    assert len(seen) == 5
    assert set(seen) == numbers


def test_list_with_bad_cursor_is_invalid_input(as_dispatcher):
    response = as_dispatcher.get("/api/v1/orders", {"cursor": "@@@"})
    assert response.status_code == 400


def test_list_with_bad_status_is_invalid_input(as_dispatcher):
    response = as_dispatcher.get("/api/v1/orders", {"status": "lost"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_overdue_filter_finds_orders_past_a_deadline(as_dispatcher, dispatcher):
    from waterdesk.orders.actions import create_order

    old = timezone.now() - datetime.timedelta(hours=1)
    late, _ = create_order(dispatcher, order_data(), now=old)
    create(as_dispatcher)
    body = as_dispatcher.get("/api/v1/orders", {"overdue": "true"}).json()
    assert [item["number"] for item in body["results"]] == [late.number]


def test_viewer_sees_masked_phone(as_dispatcher, viewer):
    number = create(as_dispatcher, phone="13800001234", reporter="张先生")["number"]
    body = ApiClient(viewer).get(f"/api/v1/orders/{number}").json()
    assert body["phone"] == "138****1234"
    assert body["reporter"] == "张**"


def test_viewer_cannot_act(as_dispatcher, viewer):
    number = create(as_dispatcher, dispatch=False)["number"]
    response = ApiClient(viewer).post(
        f"/api/v1/orders/{number}/dispatch", {"department": "supply_1"}
    )
    assert response.status_code == 403


def test_list_sorts_by_nearest_due_time(as_dispatcher, dispatcher, handler):
    from waterdesk.orders.actions import accept_order, create_order

    three_days, _ = create_order(dispatcher, order_data(time_limit_hours=72))
    one_day, _ = create_order(dispatcher, order_data(time_limit_hours=24))
    awaiting_dispatch, _ = create_order(dispatcher, order_data(dispatch=False))
    # Accepting meets the 5-minute accept clock; the nearest running clock is then the
    # resolution clock (no phone, so no contact clock).
    for order in (three_days, one_day):
        order.phone = None
        order.save(update_fields=["phone"])
        accept_order(handler, order)
    body = as_dispatcher.get("/api/v1/orders", {"sort": "due_at"}).json()
    numbers = [item["number"] for item in body["results"]]
    assert numbers == [awaiting_dispatch.number, one_day.number, three_days.number]


def test_due_sort_pages_through_every_order(as_dispatcher):
    numbers = {create(as_dispatcher)["number"] for _ in range(5)}
    seen = []
    params = {"limit": 2, "sort": "due_at"}
    while True:
        body = as_dispatcher.get("/api/v1/orders", params).json()
        seen.extend(item["number"] for item in body["results"])
        if not body["next_cursor"]:
            break
        params = {"limit": 2, "sort": "due_at", "cursor": body["next_cursor"]}
    assert sorted(seen) == sorted(numbers)


def test_detail_lists_the_actions_the_user_may_take(as_dispatcher, as_handler, other_handler):
    number = create(as_dispatcher)["number"]
    assert as_handler.get(f"/api/v1/orders/{number}").json()["available_actions"] == ["accept"]
    assert "accept" not in as_dispatcher.get(f"/api/v1/orders/{number}").json()["available_actions"]
    as_handler.post(f"/api/v1/orders/{number}/accept")
    assert as_handler.get(f"/api/v1/orders/{number}").json()["available_actions"] == [
        "contact_attempt",
        "reply",
        "transfer_request",
        "extension_request",
        "report",
    ]


def test_reply_check_offers_earliest_order_of_a_repeat(as_dispatcher, as_handler):
    first = create(as_dispatcher, address="确山县幸福小区5号楼", phone=None)["number"]
    repeat = create(as_dispatcher, address="确山县 幸福小区５号楼", phone=None)["number"]
    body = as_handler.post(
        "/api/v1/replies/check", {"content": "已处理完毕", "order": repeat}
    ).json()
    assert body["earliest_order_number"] == first


def test_reply_check_offers_corrected_exemption_prefix(as_handler):
    content = "[用户诉求已通过信访途径处理,建议不计入考核]经了解，该诉求已由县信访局受理。"
    body = as_handler.post("/api/v1/replies/check", {"content": content}).json()
    assert any(item["rule"] == "bad_exemption_prefix" for item in body["violations"])
    assert body["suggested_prefix"] == "【用户诉求已通过信访途径处理，建议不计入考核】"
