"""The admin: templates editable and checked, the outbox read-only with filters and actions."""

import datetime

import pytest
from django.contrib import messages
from django.test import Client
from django.utils import timezone

from waterdesk.notifications.models import MessageTemplate, OutboxMessage, OutboxStatus
from waterdesk.notifications.sending import claim_next
from waterdesk.organization.models import User

from .conftest import enqueue

pytestmark = pytest.mark.django_db

OUTBOX_URL = "/admin/notifications/outboxmessage/"


@pytest.fixture
def admin_client_zh(preset):
    User.objects.create_superuser("root", password="test-password-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.login(username="root", password="test-password-1")
    return client


@pytest.fixture
def an_hour_ago():
    """A time safely older than the stuck-in-sending timeout, by the real clock the admin reads."""
    return timezone.now() - datetime.timedelta(hours=1)


def listed_ids(response) -> set[int]:
    return {message.pk for message in response.context["cl"].result_list}


def test_stuck_filter_lists_only_stuck_messages(
    admin_client_zh, head, center_head_with_phone, an_hour_ago
):
    stuck, _pending = enqueue([head, center_head_with_phone], now=an_hour_ago)
    claim_next(an_hour_ago)  # claimed by a worker that died before recording the outcome

    response = admin_client_zh.get(OUTBOX_URL, {"state": "needs_check"})

    assert response.status_code == 200
    assert listed_ids(response) == {stuck.pk}


def test_changelist_warns_about_stuck_messages(admin_client_zh, head, an_hour_ago):
    enqueue([head], now=an_hour_ago)
    claim_next(an_hour_ago)

    response = admin_client_zh.get(OUTBOX_URL)

    warnings = [
        str(message)
        for message in response.context["messages"]
        if message.level == messages.WARNING
    ]
    assert len(warnings) == 1
    assert warnings[0].startswith("1 ")


def test_held_filter_lists_held_messages(admin_client_zh, head, settings):
    settings.WATERDESK_SMS_RATE_LIMIT = 1
    first = enqueue([head], key="first")[0]
    held_message = enqueue([head], key="second")[0]

    response = admin_client_zh.get(OUTBOX_URL, {"state": "held"})

    assert listed_ids(response) == {held_message.pk}
    assert first.status == OutboxStatus.PENDING


def test_requeue_action_releases_held_message(admin_client_zh, head, settings):
    settings.WATERDESK_SMS_RATE_LIMIT = 1
    enqueue([head], key="first")
    held_message = enqueue([head], key="second")[0]

    response = admin_client_zh.post(
        OUTBOX_URL, {"action": "requeue_messages", "_selected_action": [held_message.pk]}
    )

    held_message.refresh_from_db()
    assert response.status_code == 302
    assert held_message.status == OutboxStatus.PENDING


def test_outbox_rows_cannot_be_edited(admin_client_zh, head):
    [message] = enqueue([head])

    admin_client_zh.post(f"{OUTBOX_URL}{message.pk}/change/", {"status": OutboxStatus.SENT})

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert OutboxMessage.objects.count() == 1


def test_template_edit_is_saved(admin_client_zh):
    template = MessageTemplate.objects.get(code="reply_rejected")
    text = "工单{number}的回复被退回，请于{due}前重新回复。"

    response = admin_client_zh.post(
        f"/admin/notifications/messagetemplate/{template.pk}/change/",
        {"name": template.name, "text": text, "is_active": "on"},
    )

    template.refresh_from_db()
    assert response.status_code == 302
    assert template.text == text


def test_template_edit_with_unknown_placeholder_is_rejected(admin_client_zh):
    template = MessageTemplate.objects.get(code="reply_rejected")

    response = admin_client_zh.post(
        f"/admin/notifications/messagetemplate/{template.pk}/change/",
        {"name": template.name, "text": "工单{number}请联系{reviewer}。", "is_active": "on"},
    )

    template.refresh_from_db()
    assert response.status_code == 200
    assert "{reviewer}" in response.content.decode()
    assert "{reviewer}" not in template.text
