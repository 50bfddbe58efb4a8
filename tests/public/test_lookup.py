"""Looking up progress by number and the phone's last four digits, without internal data."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import order_data
from waterdesk.orders.actions import create_order
from waterdesk.orders.models import OrderEvent, Reply, ReplyStatus, WorkOrder
from waterdesk.public.models import CitizenPhoto

from .conftest import JPEG_BYTES, LOOKUP_URL, SUBMIT_URL, request_form, upload

APPROVED_TEXT = (
    "经现场查看，系小区门口供水管道接口老化漏水。已更换接口，恢复正常供水，用户表示满意。"
)
INTERNAL_COMMENT = "内部意见：下次回复写清楚维修人员姓名"


@pytest.fixture
def order(dispatcher) -> WorkOrder:
    order, _created = create_order(dispatcher, order_data())
    return order


def add_reply(order, handler, status, content, comment=""):
    return Reply.objects.create(
        order=order,
        dispatch_round=1,
        content=content,
        author=handler,
        submitted_at=timezone.now(),
        policy_version=1,
        status=status,
        reviewed_at=timezone.now() if status == ReplyStatus.APPROVED else None,
        review_comment=comment,
    )


def look_up(client, number, digits):
    return client.post(LOOKUP_URL, {"number": number, "phone_last_four": digits})


def test_lookup_page_is_chinese(client, preset):
    page = client.get(LOOKUP_URL).content.decode()
    assert "进度查询" in page
    assert "联系电话后四位" in page


def test_right_digits_show_status(client, order):
    response = look_up(client, order.number, "1234")
    page = response.content.decode()
    assert response.status_code == 200
    assert order.number in page
    assert "已受理" in page
    assert "管道漏水/爆管" in page
    assert "暂无回复" in page


def test_lowercase_number_is_found(client, order):
    assert look_up(client, order.number.lower(), "1234").status_code == 200


def test_approved_reply_is_shown(client, order, handler):
    add_reply(order, handler, ReplyStatus.APPROVED, APPROVED_TEXT)
    page = look_up(client, order.number, "1234").content.decode()
    assert APPROVED_TEXT in page


def test_reply_awaiting_review_is_not_shown(client, order, handler):
    add_reply(order, handler, ReplyStatus.SUBMITTED, "草稿：尚未审核的回复")
    page = look_up(client, order.number, "1234").content.decode()
    assert "尚未审核的回复" not in page
    assert "暂无回复" in page


def test_internal_data_is_never_shown(client, order, handler):
    add_reply(order, handler, ReplyStatus.APPROVED, APPROVED_TEXT, comment=INTERNAL_COMMENT)
    OrderEvent.objects.create(
        order=order, at=timezone.now(), actor=handler, action="contact_attempt", data={}
    )
    page = look_up(client, order.number, "1234").content.decode()
    assert INTERNAL_COMMENT not in page
    assert handler.username not in page
    assert handler.name not in page
    assert "dispatcher" not in page
    assert order.department.name not in page
    assert "contact_attempt" not in page
    assert "13800001234" not in page


def test_wrong_digits_are_rejected(client, order):
    response = look_up(client, order.number, "0000")
    assert response.status_code == 404
    assert "没有与该工单号和电话后四位相符的诉求" in response.content.decode()
    assert order.content not in response.content.decode()


def test_unknown_number_gets_same_message_as_wrong_digits(client, order):
    wrong_digits = look_up(client, order.number, "0000").content.decode()
    unknown = look_up(client, "GD209901010001", "1234").content.decode()
    assert "没有与该工单号和电话后四位相符的诉求" in unknown
    assert "没有与该工单号和电话后四位相符的诉求" in wrong_digits


def test_malformed_digits_are_rejected(client, order):
    response = look_up(client, order.number, "12a4")
    assert response.status_code == 400
    assert "请填写四位数字" in response.content.decode()


def test_order_without_phone_cannot_be_looked_up(client, dispatcher):
    order, _created = create_order(dispatcher, order_data(phone=None))
    assert look_up(client, order.number, "0000").status_code == 404


def test_landline_matches_its_last_digits(client, dispatcher):
    order, _created = create_order(dispatcher, order_data(phone="0396-7033818"))
    assert look_up(client, order.number, "3818").status_code == 200


def test_returned_order_explains_why(client, order):
    WorkOrder.objects.filter(pk=order.pk).update(status="returned")
    page = look_up(client, order.number, "1234").content.decode()
    assert "已退回12345热线" in page
    assert "不属于供水单位职责" in page


def test_closed_order_shows_completion_time(client, order):
    closed_at = timezone.now() - datetime.timedelta(hours=1)
    WorkOrder.objects.filter(pk=order.pk).update(status="closed", closed_at=closed_at)
    page = look_up(client, order.number, "1234").content.decode()
    assert "已办结" in page


def test_guessing_digits_stops_after_five_failures(client, order):
    for digits in ("0000", "1111", "2222", "3333", "4444"):
        assert look_up(client, order.number, digits).status_code == 404
    response = look_up(client, order.number, "1234")
    assert response.status_code == 429
    assert "输错次数过多" in response.content.decode()


def test_lookups_from_one_client_are_throttled(order):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        assert look_up(client, order.number, "1234").status_code == 200
    assert look_up(client, order.number, "1234").status_code == 429
    assert look_up(Client(REMOTE_ADDR="203.0.113.10"), order.number, "1234").status_code == 200


def test_lookup_without_csrf_token_is_forbidden(order):
    client = Client(enforce_csrf_checks=True)
    assert look_up(client, order.number, "1234").status_code == 403


def test_submitted_request_can_be_looked_up(client, preset):
    client.post(SUBMIT_URL, request_form(phone="13912345678"))
    order = WorkOrder.objects.get()
    page = look_up(client, order.number, "5678").content.decode()
    assert "已受理" in page


def test_staff_of_the_department_see_the_photo(client, preset, handler, other_handler):
    client.post(SUBMIT_URL, {**request_form(), "photo": upload("leak.jpg", JPEG_BYTES)})
    photo = CitizenPhoto.objects.get()
    url = f"/public/photos/{photo.pk}/"
    assert Client().get(url).status_code == 302
    own = Client()
    own.force_login(handler)
    response = own.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG_BYTES
    other = Client()
    other.force_login(other_handler)
    assert other.get(url).status_code == 404
