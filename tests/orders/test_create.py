"""Creating orders through the create action: the eight elements, defaults and bad input."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import order_data
from waterdesk.deadlines.models import Clock
from waterdesk.orders.actions import create_order
from waterdesk.orders.errors import Forbidden, InvalidInput
from waterdesk.orders.models import OrderEvent, WorkOrder


def problem_fields(error: InvalidInput) -> set[str]:
    return {detail["field"] for detail in error.details}


def test_create_dispatches_at_once_by_default(dispatcher):
    order, created = create_order(dispatcher, order_data())
    assert created
    assert order.status == "dispatched"
    assert order.department.code == "supply_1"
    assert list(order.events.values_list("action", flat=True)) == ["create", "dispatch"]


def test_create_without_dispatch_stays_new(dispatcher):
    order, _ = create_order(dispatcher, order_data(dispatch=False))
    assert order.status == "new"
    assert order.events.count() == 1


def test_create_takes_department_and_time_limit_from_category(dispatcher):
    data = order_data(category="water_quality")
    del data["department"]
    order, _ = create_order(dispatcher, data)
    assert order.department.code == "waterworks"
    assert order.time_limit_hours == Decimal(72)


def test_create_starts_dispatch_accept_and_resolution_clocks(dispatcher):
    now = timezone.now()
    order, _ = create_order(dispatcher, order_data(time_limit_hours=24), now=now)
    clocks = {clock.clock: clock for clock in Clock.objects.filter(order=order)}
    assert clocks["dispatch"].met_at == now
    assert clocks["accept"].due_at == now + datetime.timedelta(minutes=5)
    assert clocks["resolution"].due_at == now + datetime.timedelta(hours=24)


def test_order_number_is_gd_date_sequence(dispatcher):
    first, _ = create_order(dispatcher, order_data())
    second, _ = create_order(dispatcher, order_data())
    local_day = timezone.localtime(first.created_at).strftime("%Y%m%d")
    assert first.number == f"GD{local_day}0001"
    assert second.number == f"GD{local_day}0002"


def test_order_numbers_are_not_reused_after_delete(dispatcher):
    first, _ = create_order(dispatcher, order_data())
    number = first.number
    OrderEvent.objects.filter(
        order=first
    ).delete()  # events refuse row deletes, queryset bulk deletes
    first.clocks.all().delete()
    WorkOrder.objects.filter(pk=first.pk).delete()
    second, _ = create_order(dispatcher, order_data())
    assert second.number != number


def test_upper_hotline_order_with_same_external_id_returns_first(dispatcher):
    data = order_data(channel="upper_hotline", external_id="12345-2026-0001")
    first, created_first = create_order(dispatcher, data)
    second, created_second = create_order(dispatcher, data)
    assert created_first and not created_second
    assert second.pk == first.pk
    assert WorkOrder.objects.count() == 1


def test_upper_hotline_order_requires_external_id(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(channel="upper_hotline"))
    assert problem_fields(raised.value) == {"external_id"}


@pytest.mark.parametrize("field", ["address", "content", "category", "channel"])
def test_missing_element_is_rejected(dispatcher, field):
    data = order_data()
    del data[field]
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, data)
    assert field in problem_fields(raised.value)
    assert WorkOrder.objects.count() == 0


def test_empty_address_is_rejected(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(address="   "))
    assert raised.value.details[0]["code"] == "missing"


def test_unknown_department_is_rejected(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(department="no_such_department"))
    assert raised.value.details[0] == {
        "field": "department",
        "code": "unknown",
        "message": raised.value.details[0]["message"],
    }
    assert "no_such_department" in raised.value.details[0]["message"]


def test_unknown_category_is_rejected(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(category="volcano"))
    assert problem_fields(raised.value) == {"category"}


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13800001234", "13800001234"),
        ("0396-7033818", "0396-7033818"),
        ("03967033818", "0396-7033818"),
        ("+86 138 0000 1234", "13800001234"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_valid_phone_is_stored_in_canonical_form(dispatcher, raw, stored):
    order, _ = create_order(dispatcher, order_data(phone=raw))
    assert order.phone == stored


@pytest.mark.parametrize("raw", ["12345", "7033818", "1380000123", "phone", "0396-70"])
def test_malformed_phone_is_rejected(dispatcher, raw):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(phone=raw))
    assert problem_fields(raised.value) == {"phone"}
    assert "0396-7033818" in raised.value.details[0]["message"]


def test_no_phone_means_no_contact(dispatcher):
    order, _ = create_order(dispatcher, order_data(phone=None, reporter=None))
    assert order.phone is None


def test_over_long_content_is_rejected_with_the_limit(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(content="漏" * 2001))
    detail = raised.value.details[0]
    assert detail["field"] == "content"
    assert detail["code"] == "too_long"
    assert "2000" in detail["message"]


def test_due_at_in_the_past_is_rejected(dispatcher):
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(due_at=past))
    assert raised.value.details[0]["field"] == "due_at"
    assert raised.value.details[0]["code"] == "out_of_range"


def test_due_at_without_offset_is_rejected(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(due_at="2099-01-01T10:00:00"))
    assert problem_fields(raised.value) == {"due_at"}


def test_due_at_sets_the_resolution_clock(dispatcher):
    now = timezone.now()
    due = now + datetime.timedelta(hours=10)
    order, _ = create_order(dispatcher, order_data(due_at=due.isoformat()), now=now)
    resolution = Clock.objects.get(order=order, clock="resolution")
    assert resolution.due_at == due.replace(microsecond=due.microsecond)


def test_time_limit_must_be_positive(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(time_limit_hours=0))
    assert problem_fields(raised.value) == {"time_limit_hours"}


def test_boolean_fields_must_be_booleans(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(callback_required="yes"))
    assert problem_fields(raised.value) == {"callback_required"}


def test_several_problems_are_reported_together(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(address="", phone="123", category="volcano"))
    assert problem_fields(raised.value) == {"address", "phone", "category"}


def test_error_messages_are_chinese(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(address=""))
    assert "地址" in raised.value.details[0]["message"]
    assert "地址" in raised.value.message


def test_handler_may_not_create_orders(handler):
    with pytest.raises(Forbidden):
        create_order(handler, order_data())


def test_redo_fields_need_redo_type(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(redo_reasons="用户反映未解决"))
    assert problem_fields(raised.value) == {"order_type"}


def test_redo_order_links_its_original(dispatcher):
    original, _ = create_order(dispatcher, order_data())
    redo, _ = create_order(
        dispatcher,
        order_data(order_type="redo", redo_of=original.number, redo_reasons="用户反映仍未来水"),
    )
    assert redo.redo_of == original


def test_given_time_limit_overrides_category_default(dispatcher):
    order, _ = create_order(dispatcher, order_data(category="pipe_leak", time_limit_hours=72))
    assert order.time_limit_hours == Decimal(72)
    resolution = Clock.objects.get(order=order, clock="resolution")
    assert resolution.due_at - resolution.started_at == datetime.timedelta(hours=72)


def test_address_with_nul_character_is_invalid(dispatcher):
    with pytest.raises(InvalidInput) as raised:
        create_order(dispatcher, order_data(address="建设路\x0012号"))
    assert raised.value.details[0]["field"] == "address"
    assert raised.value.details[0]["code"] == "invalid"
    assert not WorkOrder.objects.exists()


def test_content_keeps_line_breaks_and_tabs(dispatcher):
    order, _ = create_order(dispatcher, order_data(content="停水。\n\t请尽快处理。"))
    assert "\n\t" in order.content
