"""Queueing replies, returns and redo replies: one outbox row in the caller's transaction."""

import datetime

import pytest
from django.db import transaction

from tests.conftest import GOOD_REPLY, make_user, order_data
from waterdesk.hotline12345.actions import enqueue_redo_reply, enqueue_reply, enqueue_return
from waterdesk.hotline12345.models import MessageKind, MessageStatus, OutboundMessage
from waterdesk.orders.actions import create_order
from waterdesk.orders.models import Reply, ReplyStatus, WorkOrder
from waterdesk.organization.models import Role

from .conftest import push_body, send_push

NOW = datetime.datetime(2026, 12, 4, 3, 0, tzinfo=datetime.UTC)


def pushed_order(**overrides) -> WorkOrder:
    response = send_push(push_body(**overrides))
    assert response.status_code == 201, response.content
    return WorkOrder.objects.get(number=response.json()["order_number"])


def approved_reply(order: WorkOrder) -> Reply:
    author = make_user(f"handler-{order.pk}", [Role.HANDLER], order.department.code)
    return Reply.objects.create(
        order=order,
        dispatch_round=1,
        content=GOOD_REPLY,
        author=author,
        submitted_at=NOW - datetime.timedelta(hours=1),
        policy_version=1,
        status=ReplyStatus.APPROVED,
        reviewed_at=NOW,
    )


def return_data(**overrides) -> dict:
    data = {
        "id": 7,
        "reason": "经现场核实，漏水点位于小区物业自建管网，不属于供水公司维护范围。",
        "basis": "《城市供水条例》第三十条",
        "evidence": ["现场照片两张"],
        "target_unit": "小区物业服务中心",
        "department_head_comment": "同意退回。",
        "center_head_comment": "同意。",
        "approved_at": NOW,
    }
    data.update(overrides)
    return data


@pytest.fixture
def order(platform):
    return pushed_order()


def test_reply_message_carries_hotline_id_and_reply(order):
    reply = approved_reply(order)
    message = enqueue_reply(order, reply, NOW)
    assert message.kind == MessageKind.REPLY
    assert message.status == MessageStatus.PENDING
    assert message.next_attempt_at == NOW
    assert message.payload["type"] == "reply"
    assert message.payload["hotline_id"] == "12345-20261204-0001"
    assert message.payload["order_number"] == order.number
    assert message.payload["message_id"] == str(message.message_id)
    assert message.payload["reply"]["content"] == GOOD_REPLY
    assert message.payload["reply"]["approved_at"] == "2026-12-04T11:00:00+08:00"


def test_reply_message_is_rolled_back_with_caller(order):
    reply = approved_reply(order)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_reply(order, reply, NOW)
        raise RuntimeError("the review failed after queueing")
    assert not OutboundMessage.objects.exists()


def test_send_starts_only_after_commit(order, django_capture_on_commit_callbacks):
    reply = approved_reply(order)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_reply(order, reply, NOW)
    assert len(callbacks) == 1


def test_same_reply_queued_twice_makes_one_message(order):
    reply = approved_reply(order)
    first = enqueue_reply(order, reply, NOW)
    second = enqueue_reply(order, reply, NOW + datetime.timedelta(minutes=1))
    assert first.pk == second.pk
    assert OutboundMessage.objects.count() == 1


def test_order_not_pushed_by_platform_queues_nothing(platform, dispatcher):
    order, _created = create_order(dispatcher, order_data())
    assert enqueue_reply(order, approved_reply(order), NOW) is None
    assert not OutboundMessage.objects.exists()


def test_reply_of_other_order_raises(order):
    other = pushed_order(hotline_id="12345-OTHER")
    with pytest.raises(ValueError, match="another order"):
        enqueue_reply(order, approved_reply(other), NOW)


def test_reply_of_redo_order_needs_redo_function(platform):
    pushed_order(hotline_id="12345-A")
    redo = pushed_order(
        hotline_id="12345-A-R1", is_redo=True, original_hotline_id="12345-A", redo_reasons="重办"
    )
    with pytest.raises(ValueError, match="enqueue_redo_reply"):
        enqueue_reply(redo, approved_reply(redo), NOW)


def test_redo_reply_carries_original_id_and_reasons(platform):
    pushed_order(hotline_id="12345-A")
    redo = pushed_order(
        hotline_id="12345-A-R1",
        is_redo=True,
        original_hotline_id="12345-A",
        redo_reasons="用户反映仍未修好。",
    )
    message = enqueue_redo_reply(redo, approved_reply(redo), NOW)
    assert message.kind == MessageKind.REDO_REPLY
    assert message.payload["type"] == "redo_reply"
    assert message.payload["hotline_id"] == "12345-A-R1"
    assert message.payload["original_hotline_id"] == "12345-A"
    assert message.payload["redo_reasons"] == "用户反映仍未修好。"


def test_redo_reply_of_general_order_raises(order):
    with pytest.raises(ValueError, match="not a redo order"):
        enqueue_redo_reply(order, approved_reply(order), NOW)


def test_return_message_carries_reason_and_target(order):
    message = enqueue_return(order, return_data(), NOW)
    assert message.kind == MessageKind.RETURN
    returned = message.payload["return"]
    assert returned["reason"].startswith("经现场核实")
    assert returned["target_unit"] == "小区物业服务中心"
    assert returned["basis"] == "《城市供水条例》第三十条"
    assert returned["evidence"] == ["现场照片两张"]
    assert returned["approved_at"] == "2026-12-04T11:00:00+08:00"


def test_same_return_request_queued_twice_makes_one_message(order):
    first = enqueue_return(order, return_data(), NOW)
    second = enqueue_return(order, return_data(), NOW)
    assert first.pk == second.pk


def test_return_without_id_is_deduplicated_by_content(order):
    first = enqueue_return(order, return_data(id=None), NOW)
    second = enqueue_return(order, return_data(id=None), NOW)
    third = enqueue_return(order, return_data(id=None, reason="另一原因"), NOW)
    assert first.pk == second.pk
    assert third.pk != first.pk


@pytest.mark.parametrize("missing", ["reason", "target_unit"])
def test_return_without_required_text_raises(order, missing):
    with pytest.raises(ValueError, match=missing):
        enqueue_return(order, return_data(**{missing: ""}), NOW)


def test_return_with_naive_approval_time_raises(order):
    with pytest.raises(ValueError, match="approved_at"):
        enqueue_return(order, return_data(approved_at=datetime.datetime(2026, 12, 4, 9)), NOW)


def test_return_of_redo_order_raises(platform):
    pushed_order(hotline_id="12345-A")
    redo = pushed_order(
        hotline_id="12345-A-R1", is_redo=True, original_hotline_id="12345-A", redo_reasons="重办"
    )
    with pytest.raises(ValueError, match="cannot be returned"):
        enqueue_return(redo, return_data(), NOW)
    assert not OutboundMessage.objects.exists()
