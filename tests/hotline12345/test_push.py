"""Pushed orders: field and category mapping, redo links, idempotence and bad input."""

import datetime

from django.utils import timezone

from waterdesk.hotline12345.models import CategoryMapping, PushedOrder
from waterdesk.orders.models import Category, OrderEvent, WorkOrder
from waterdesk.organization.models import Department

from .conftest import encode, push_body, send_push


def invalid_fields(response) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["message"]
    return {item["field"]: item for item in error["details"]}


def test_push_creates_upper_hotline_order(platform):
    response = send_push(push_body())
    assert response.status_code == 201, response.content
    body = response.json()
    order = WorkOrder.objects.get(number=body["order_number"])
    assert body["created"] is True
    assert body["hotline_id"] == "12345-20261204-0001"
    assert order.channel == "upper_hotline"
    assert order.external_id == "12345-20261204-0001"
    assert order.category.code == "pipe_leak"
    assert order.department.code == "supply_1"
    assert order.phone == "13800001234"
    assert order.reporter == "张先生"
    assert order.time_limit_hours == 24
    assert order.upstream_received_at is not None
    assert order.created_by is None
    assert PushedOrder.objects.get(order=order).platform == platform


def test_push_waits_for_dispatcher_by_default(platform):
    response = send_push(push_body())
    assert response.json()["status"] == "new"


def test_push_dispatches_at_once_when_configured(platform):
    platform.dispatch_at_once = True
    platform.save()
    response = send_push(push_body())
    assert response.json()["status"] == "dispatched"


def test_same_push_twice_returns_first_order(platform):
    first = send_push(push_body())
    second = send_push(push_body())
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["created"] is False
    assert second.json()["order_number"] == first.json()["order_number"]
    assert WorkOrder.objects.count() == 1
    assert OrderEvent.objects.filter(action="create").count() == 1


def test_mapping_department_overrides_category_default(platform):
    mapping = CategoryMapping.objects.get(upstream_category="供水-管道漏水")
    mapping.department = Department.objects.get(code="supply_3")
    mapping.save()
    response = send_push(push_body())
    order = WorkOrder.objects.get(number=response.json()["order_number"])
    assert order.department.code == "supply_3"


def test_redo_links_original_order(platform):
    original = send_push(push_body(hotline_id="12345-A")).json()["order_number"]
    response = send_push(
        push_body(
            hotline_id="12345-A-R1",
            is_redo=True,
            original_hotline_id="12345-A",
            redo_reasons="用户反映问题仍未解决，请重新核实。",
        )
    )
    assert response.status_code == 201, response.content
    redo = WorkOrder.objects.get(number=response.json()["order_number"])
    assert redo.order_type == "redo"
    assert redo.redo_of.number == original
    assert redo.redo_reasons == "用户反映问题仍未解决，请重新核实。"
    assert response.json()["redo_of"] == original


def test_redo_of_unknown_original_is_created_unlinked(platform):
    response = send_push(
        push_body(
            hotline_id="12345-B-R1",
            is_redo="1",
            original_hotline_id="12345-B",
            redo_reasons="请重新处理。",
        )
    )
    assert response.status_code == 201, response.content
    redo = WorkOrder.objects.get(external_id="12345-B-R1")
    assert redo.order_type == "redo"
    assert redo.redo_of is None


def test_redo_without_original_id_is_rejected(platform):
    response = send_push(push_body(is_redo=True, redo_reasons="请重新处理。"))
    assert "original_hotline_id" in invalid_fields(response)
    assert not WorkOrder.objects.exists()


def test_redo_without_reasons_is_rejected(platform):
    response = send_push(push_body(is_redo=True, original_hotline_id="12345-X"))
    assert "redo_reasons" in invalid_fields(response)


def test_redo_reusing_its_original_id_is_rejected(platform):
    response = send_push(
        push_body(is_redo=True, original_hotline_id="12345-20261204-0001", redo_reasons="重办")
    )
    assert invalid_fields(response)["original_hotline_id"]["code"] == "invalid"


def test_redo_flag_other_than_boolean_is_rejected(platform):
    response = send_push(push_body(is_redo="maybe"))
    assert invalid_fields(response)["is_redo"]["code"] == "invalid"


def test_urgent_flag_makes_urgent_order(platform):
    response = send_push(push_body(is_urgent=1))
    assert WorkOrder.objects.get(number=response.json()["order_number"]).order_type == "urgent"


def test_unknown_category_is_rejected(platform):
    response = send_push(push_body(category="供水-水费争议"))
    problem = invalid_fields(response)["category"]
    assert problem["code"] == "unknown"
    assert "供水-水费争议" in problem["message"]
    assert not WorkOrder.objects.exists()


def test_category_of_other_platform_is_unknown(platform):
    from .conftest import make_platform

    other = make_platform(name="省平台", key="province-12345")
    CategoryMapping.objects.create(
        platform=other,
        upstream_category="水质",
        category=Category.objects.get(code="water_quality"),
    )
    response = send_push(push_body(category="水质"))
    assert invalid_fields(response)["category"]["code"] == "unknown"


def test_received_time_without_offset_is_rejected(platform):
    response = send_push(push_body(received_at="2026-12-04 09:30:00"))
    problem = invalid_fields(response)["received_at"]
    assert problem["code"] == "invalid"
    assert problem["order_field"] == "upstream_received_at"
    assert not WorkOrder.objects.exists()


def test_missing_received_time_is_rejected(platform):
    body = push_body()
    del body["received_at"]
    assert invalid_fields(send_push(body))["received_at"]["code"] == "missing"


def test_received_time_slightly_ahead_is_dated_now(platform):
    ahead = timezone.now() + datetime.timedelta(seconds=60)
    response = send_push(push_body(received_at=ahead.isoformat()))
    assert response.status_code == 201, response.content
    order = WorkOrder.objects.get(number=response.json()["order_number"])
    assert order.upstream_received_at <= order.created_at


def test_received_time_far_ahead_is_rejected(platform):
    ahead = timezone.now() + datetime.timedelta(hours=2)
    response = send_push(push_body(received_at=ahead.isoformat()))
    assert invalid_fields(response)["received_at"]["code"] == "out_of_range"


def test_missing_address_is_reported_under_platform_key(platform):
    body = push_body()
    del body["address"]
    problem = invalid_fields(send_push(body))["address"]
    assert problem["code"] == "missing"
    assert problem["order_field"] == "address"


def test_missing_hotline_id_is_rejected(platform):
    body = push_body()
    del body["hotline_id"]
    assert invalid_fields(send_push(body))["hotline_id"]["code"] == "missing"


def test_invalid_phone_is_rejected(platform):
    response = send_push(push_body(phone="12345"))
    assert invalid_fields(response)["phone"]["code"] == "invalid"
    assert not WorkOrder.objects.exists()


def test_empty_phone_means_no_contact(platform):
    response = send_push(push_body(phone=""))
    assert response.status_code == 201
    assert WorkOrder.objects.get().phone is None


def test_malformed_json_is_rejected(platform):
    response = send_push(b"{not json")
    assert invalid_fields(response)["body"]["code"] == "invalid"


def test_json_array_is_rejected(platform):
    response = send_push(encode([push_body()]))
    assert "body" in invalid_fields(response)


def test_numeric_hotline_id_becomes_text(platform):
    response = send_push(push_body(hotline_id=202612040001))
    assert response.status_code == 201
    assert WorkOrder.objects.get().external_id == "202612040001"


def test_field_mapping_reads_flat_platform_keys(platform):
    platform.field_mapping = {
        "external_id": "gdbh",
        "upstream_received_at": "slsj",
        "category": "wtfl",
        "address": "fsdz",
        "content": "fynr",
    }
    platform.save()
    body = {
        "gdbh": "HN-1",
        "slsj": push_body()["received_at"],
        "wtfl": "供水-停水",
        "fsdz": "人民路8号",
        "fynr": "停水两天了",
    }
    response = send_push(body)
    assert response.status_code == 201, response.content
    order = WorkOrder.objects.get(external_id="HN-1")
    assert order.address == "人民路8号"
    assert order.content == "停水两天了"
    assert order.category.code == "no_water"


def test_field_mapping_reads_nested_keys(platform):
    platform.field_mapping = {
        "address": "location.address",
        "upstream_received_at": "case.accepted_time",
    }
    platform.save()
    body = push_body()
    body["location"] = {"address": "人民路8号"}
    body["case"] = {"accepted_time": body.pop("received_at")}
    del body["address"]
    response = send_push(body)
    assert response.status_code == 201, response.content
    assert WorkOrder.objects.get().address == "人民路8号"


def test_field_mapping_names_its_key_in_errors(platform):
    platform.field_mapping = {"address": "fsdz"}
    platform.save()
    body = push_body()
    del body["address"]
    problem = invalid_fields(send_push(body))["fsdz"]
    assert problem["order_field"] == "address"
