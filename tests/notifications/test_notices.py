"""The redo-order reminder goes to the department's heads and the center heads, once."""

import pytest
from django.db import transaction

from waterdesk.notifications.models import OutboxMessage
from waterdesk.notifications.notices import notify_redo_created

from .conftest import CENTER_HEAD_PHONE, HEAD_PHONE, NOW

pytestmark = pytest.mark.django_db


def redo_reminder(order):
    with transaction.atomic():
        return notify_redo_created(order, now=NOW)


def test_redo_reminder_reaches_both_heads(order, head, center_head_with_phone):
    written = redo_reminder(order)

    assert sorted(message.phone for message in written) == [HEAD_PHONE, CENTER_HEAD_PHONE]


def test_redo_reminder_names_order_and_department(order, head):
    [message] = redo_reminder(order)

    assert order.number in message.text
    assert "供水一部" in message.text
    assert "处理时限24小时" in message.text


def test_redo_reminder_is_written_once_per_order(order, head):
    redo_reminder(order)
    redo_reminder(order)

    assert OutboxMessage.objects.count() == 1
