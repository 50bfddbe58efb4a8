"""POST requests.json: form-encoded, api_key required, duplicates within ten minutes rejected."""

import datetime

import pytest
import time_machine
from django.test import Client

from waterdesk.open311.models import ApiKey, SubmittedRequest
from waterdesk.orders.models import WorkOrder

from .conftest import assert_valid, make_key, parse_xml, request_form

URL = "/open311/v2/requests.json"
NOW = datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC)


def error_descriptions(response, status: int) -> list[str]:
    assert response.status_code == status, response.content
    errors = response.json()
    assert all(item["code"] == status for item in errors)
    return [item["description"] for item in errors]


def test_post_creates_web_order(client, api_key, schemas):
    response = client.post(URL, request_form(api_key))
    assert response.status_code == 201, response.content
    assert_valid(schemas, "RequestResponse", response.json())
    answer = response.json()[0]
    order = WorkOrder.objects.get(number=answer["service_request_id"])
    assert order.channel == "web"
    assert order.status == "new"
    assert order.category.code == "pipe_leak"
    assert order.address == "确山县建设路18号"
    assert order.content == "小区门口水管破裂，水流到马路上。"
    assert order.phone == "13800001234"
    assert order.reporter == "张三"
    assert answer["token"]
    assert "供水一部" in answer["service_notice"]


def test_coordinates_are_kept_in_content(client, api_key):
    response = client.post(URL, request_form(api_key, lat="32.802", long="114.026"))
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    assert "32.802000, 114.026000" in order.content
    assert "WGS84" in order.content
    submitted = SubmittedRequest.objects.get(order=order)
    assert float(submitted.lat) == pytest.approx(32.802)


def test_media_url_is_kept_in_content(client, api_key):
    url = "https://example.org/photo/1.jpg"
    response = client.post(URL, request_form(api_key, media_url=url))
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    assert url in order.content


def test_post_without_phone_is_order_without_contact(client, api_key):
    response = client.post(URL, request_form(api_key, phone=None))
    assert response.status_code == 201
    assert WorkOrder.objects.get().phone is None


def test_post_xml_answers_in_xml(client, api_key):
    response = client.post("/open311/v2/requests.xml", request_form(api_key))
    root = parse_xml(response)
    assert response.status_code == 201
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.startswith("GD")


def test_post_needs_no_csrf_token(api_key):
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, request_form(api_key)).status_code == 201


def test_token_resolves_to_request_id(client, api_key, schemas):
    answer = client.post(URL, request_form(api_key)).json()[0]
    response = client.get(f"/open311/v2/tokens/{answer['token']}.json")
    assert response.status_code == 200
    assert_valid(schemas, "TokenResponse", response.json())
    assert response.json()[0]["service_request_id"] == answer["service_request_id"]


def test_unknown_token_is_not_found(client, preset):
    assert client.get("/open311/v2/tokens/nothing.json").status_code == 404


def test_post_without_api_key_is_rejected(client, api_key):
    response = client.post(URL, request_form(api_key, api_key=None))
    assert "api_key" in error_descriptions(response, 403)[0]
    assert not WorkOrder.objects.exists()


def test_post_with_wrong_api_key_is_rejected(client, api_key):
    response = client.post(URL, request_form("wrong-key"))
    error_descriptions(response, 403)
    assert not WorkOrder.objects.exists()


def test_post_with_inactive_api_key_is_rejected(client, api_key):
    ApiKey.objects.update(is_active=False)
    error_descriptions(client.post(URL, request_form(api_key)), 403)


def test_same_post_within_ten_minutes_is_duplicate(client, api_key):
    with time_machine.travel(NOW, tick=False):
        first = client.post(URL, request_form(api_key))
    with time_machine.travel(NOW + datetime.timedelta(minutes=9, seconds=59), tick=False):
        second = client.post(URL, request_form(api_key))
    number = first.json()[0]["service_request_id"]
    assert number in error_descriptions(second, 409)[0]
    assert WorkOrder.objects.count() == 1


def test_same_post_after_ten_minutes_is_accepted(client, api_key):
    with time_machine.travel(NOW, tick=False):
        client.post(URL, request_form(api_key))
    with time_machine.travel(NOW + datetime.timedelta(minutes=10), tick=False):
        second = client.post(URL, request_form(api_key))
    assert second.status_code == 201
    assert WorkOrder.objects.count() == 2


def test_duplicate_check_ignores_whitespace(client, api_key):
    client.post(URL, request_form(api_key))
    second = client.post(URL, request_form(api_key, address_string=" 确山县建设路18号  "))
    error_descriptions(second, 409)


@pytest.mark.parametrize(
    "change",
    [
        {"description": "另一处漏水。"},
        {"address_string": "确山县建设路20号"},
        {"phone": "13900001234"},
        {"service_code": "no_water"},
    ],
    ids=["description", "address", "phone", "service"],
)
def test_post_differing_in_one_field_is_not_duplicate(client, api_key, change):
    client.post(URL, request_form(api_key))
    assert client.post(URL, request_form(api_key, **change)).status_code == 201


def test_same_post_from_other_key_is_not_duplicate(client, api_key):
    client.post(URL, request_form(api_key))
    _row, other_key = make_key("另一个客户端")
    assert client.post(URL, request_form(other_key)).status_code == 201


def test_unknown_service_code_is_rejected(client, api_key):
    response = client.post(URL, request_form(api_key, service_code="potholes"))
    assert "potholes" in error_descriptions(response, 400)[0]
    assert not WorkOrder.objects.exists()


def test_missing_address_is_rejected(client, api_key):
    response = client.post(URL, request_form(api_key, address_string=None, lat="32.8", long="114"))
    assert "address_string" in error_descriptions(response, 400)[0]


def test_missing_description_is_rejected(client, api_key):
    response = client.post(URL, request_form(api_key, description=" "))
    assert "description" in error_descriptions(response, 400)[0]


@pytest.mark.parametrize("value", ["91", "north", "nan"])
def test_bad_latitude_is_rejected(client, api_key, value):
    response = client.post(URL, request_form(api_key, lat=value, long="114"))
    assert "lat" in error_descriptions(response, 400)[0]


def test_latitude_without_longitude_is_rejected(client, api_key):
    error_descriptions(client.post(URL, request_form(api_key, lat="32.8")), 400)


def test_media_url_other_than_http_is_rejected(client, api_key):
    response = client.post(URL, request_form(api_key, media_url="javascript:alert(1)"))
    assert "media_url" in error_descriptions(response, 400)[0]


def test_invalid_phone_is_rejected_in_chinese(client, api_key):
    response = client.post(URL, request_form(api_key, phone="12345"))
    description = error_descriptions(response, 400)[0]
    assert "电话" in description
    assert not WorkOrder.objects.exists()


def test_every_problem_is_listed(client, api_key):
    response = client.post(
        URL, request_form(api_key, service_code="x", address_string=None, description=None)
    )
    assert len(error_descriptions(response, 400)) == 3


def test_put_is_not_allowed(client, preset):
    assert client.put(URL).status_code == 405
