"""Deadline warnings and breaches reach the right people through the SMS outbox, within its caps."""

import datetime

import pytest
from django.test import override_settings

from tests.conftest import at, make_user, order_data
from waterdesk.deadlines.sweeper import sweep
from waterdesk.notifications.limits import held_report
from waterdesk.notifications.models import OutboxMessage
from waterdesk.orders import actions
from waterdesk.organization.models import Role

CREATED = at("2026-12-04 10:00:00")


@pytest.fixture
def heads(preset):
    department_head = make_user("supply_1_head", [Role.DEPARTMENT_HEAD], "supply_1")
    department_head.phone = "13700000001"
    department_head.save()
    center_head = make_user("center_head", [Role.CENTER_HEAD])
    center_head.phone = "13700000002"
    center_head.save()
    return department_head, center_head


@pytest.fixture
def phoned_handler(handler):
    handler.phone = "13700000003"
    handler.save()
    return handler


def test_warning_goes_to_handlers_and_department_head(dispatcher, phoned_handler, heads):
    actions.create_order(dispatcher, order_data(), now=CREATED)
    sweep(CREATED + datetime.timedelta(minutes=4))
    phones = set(
        OutboxMessage.objects.filter(template_code="deadline_warning").values_list(
            "phone", flat=True
        )
    )
    assert phones == {"13700000003", "13700000001"}


def test_breach_goes_to_department_head_and_center_head(dispatcher, phoned_handler, heads):
    order, _ = actions.create_order(dispatcher, order_data(), now=CREATED)
    sweep(CREATED + datetime.timedelta(minutes=5))
    messages = OutboxMessage.objects.filter(template_code="deadline_breach")
    assert set(messages.values_list("phone", flat=True)) == {"13700000001", "13700000002"}
    assert order.number in messages.first().text


def test_second_sweep_sends_nothing_again(dispatcher, phoned_handler, heads):
    actions.create_order(dispatcher, order_data(), now=CREATED)
    sweep(CREATED + datetime.timedelta(minutes=5))
    count = OutboxMessage.objects.count()
    sweep(CREATED + datetime.timedelta(minutes=6))
    assert OutboxMessage.objects.count() == count


@override_settings(WATERDESK_SMS_DAILY_CAP=50, WATERDESK_SMS_RATE_LIMIT=1000)
def test_hundred_breaches_to_one_head_respect_the_daily_cap(dispatcher, heads):
    # An order every two minutes, each swept exactly at its 5-minute due time: every pass
    # breaches one clock and no pass reaches a warning time, so each breach is its own message.
    minute = datetime.timedelta(minutes=1)
    for index in range(100):
        actions.create_order(dispatcher, order_data(), now=CREATED + 2 * index * minute)
    breached = sum(sweep(CREATED + (2 * index + 5) * minute).breached for index in range(100))
    assert breached == 100
    to_head = OutboxMessage.objects.filter(phone="13700000001", template_code="deadline_breach")
    assert to_head.count() == 100
    assert to_head.exclude(status="held").count() == 50
    report = {row.recipient_id: row for row in held_report(CREATED.date())}
    assert report[heads[0].pk].still_held_count == 50


def test_many_breaches_in_one_pass_send_one_summary(dispatcher, heads):
    orders = [actions.create_order(dispatcher, order_data(), now=CREATED)[0] for _ in range(5)]
    result = sweep(CREATED + datetime.timedelta(minutes=5))
    assert result.breached == 5
    to_head = OutboxMessage.objects.filter(phone="13700000001")
    assert to_head.count() == 1
    summary = to_head.get()
    assert summary.template_code == "deadline_breach_summary"
    assert "5张工单" in summary.text
    assert orders[0].number in summary.text
    assert summary.text.count("GD") == 3
    assert "等" in summary.text


def test_two_breaches_in_one_pass_stay_separate(dispatcher, heads):
    for _ in range(2):
        actions.create_order(dispatcher, order_data(), now=CREATED)
    sweep(CREATED + datetime.timedelta(minutes=5))
    to_head = OutboxMessage.objects.filter(phone="13700000001")
    assert list(to_head.values_list("template_code", flat=True)) == ["deadline_breach"] * 2


def test_summary_is_not_sent_twice(dispatcher, heads):
    for _ in range(4):
        actions.create_order(dispatcher, order_data(), now=CREATED)
    sweep(CREATED + datetime.timedelta(minutes=5))
    sweep(CREATED + datetime.timedelta(minutes=6))
    assert OutboxMessage.objects.filter(template_code="deadline_breach_summary").count() == 2
