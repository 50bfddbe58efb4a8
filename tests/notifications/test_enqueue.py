"""notify(): one row per recipient phone, written in the caller's transaction, sent after commit."""

import logging

import pytest
from django.db import transaction

from tests.conftest import make_user
from waterdesk.celery import app as celery_app
from waterdesk.notifications.models import MessageTemplate, OutboxMessage, OutboxStatus
from waterdesk.notifications.outbox import notify
from waterdesk.notifications.rendering import TemplateError
from waterdesk.organization.models import Role

from .conftest import CENTER_HEAD_PHONE, HEAD_PHONE, NOW, WARNING_CONTEXT, enqueue, with_phone

pytestmark = pytest.mark.django_db


def test_one_row_per_recipient_with_phone(head, center_head_with_phone):
    written = enqueue([head, center_head_with_phone])

    assert [message.phone for message in written] == [HEAD_PHONE, CENTER_HEAD_PHONE]
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2


def test_row_carries_rendered_text_and_ids(head, order):
    [message] = enqueue([head], order=order)

    message.refresh_from_db()
    assert message.text == (
        "时限预警：工单QS20261204001的接单时限将于12月4日 10:00到期，请尽快登录工单系统办理。"
    )
    assert message.recipient == head
    assert message.order == order
    assert message.template_code == "deadline_warning"
    assert message.next_attempt_at == NOW
    assert message.params["due"] == "12月4日 10:00"


def test_recipient_without_phone_is_skipped_and_logged(head, center_head, caplog):
    with caplog.at_level(logging.WARNING, logger="waterdesk.notifications.outbox"):
        written = enqueue([head, center_head])

    assert [message.recipient for message in written] == [head]
    assert (
        f"user {center_head.pk} (center_head) has no valid mobile number and is not notified"
        in caplog.text
    )


def test_landline_counts_as_no_phone(head):
    with_phone(head, "0396-7033818")

    assert enqueue([head]) == []


def test_duplicate_key_writes_no_second_row(head):
    enqueue([head], key="redo_created:7")
    second = enqueue([head], key="redo_created:7")

    assert second == []
    assert OutboxMessage.objects.filter(dedup_key="redo_created:7").count() == 1


def test_same_key_reaches_a_new_recipient(head, center_head_with_phone):
    enqueue([head], key="redo_created:7")
    second = enqueue([head, center_head_with_phone], key="redo_created:7")

    assert [message.phone for message in second] == [CENTER_HEAD_PHONE]


def test_two_users_sharing_a_phone_get_one_message(head, preset):
    deputy = with_phone(make_user("deputy", [Role.DEPARTMENT_HEAD], "supply_1"), HEAD_PHONE)

    written = enqueue([head, deputy])

    assert len(written) == 1


def test_unknown_placeholder_fails_at_enqueue(head):
    MessageTemplate.objects.filter(code="deadline_warning").update(
        text="工单{number}的{deadline}时限将于{due}到期，请联系{supervisor}。"
    )

    with pytest.raises(TemplateError) as raised:
        enqueue([head])

    assert "deadline_warning" in str(raised.value)
    assert "{supervisor}" in str(raised.value)
    assert not OutboxMessage.objects.exists()


def test_unknown_template_code_fails_at_enqueue(head):
    with pytest.raises(TemplateError, match="no_such_template"):
        enqueue([head], template="no_such_template")


def test_inactive_template_writes_nothing(head):
    MessageTemplate.objects.filter(code="deadline_warning").update(is_active=False)

    assert enqueue([head]) == []


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_is_rejected(head):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notify(
            key="k",
            template="deadline_warning",
            context=WARNING_CONTEXT,
            recipients=[head],
            now=NOW,
        )


@pytest.fixture
def embedded_default():
    """Run tasks in-process, as without REDIS_URL, also when the tests run with Redis."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_embedded_default_sends_right_after_commit(
    head, embedded_default, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [message] = enqueue([head])
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING

    message.refresh_from_db()
    assert len(callbacks) == 1
    assert message.status == OutboxStatus.SENT
    assert message.provider_message_id == f"console-{message.pk}"


def test_rolled_back_event_leaves_no_message(
    head, embedded_default, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="the event failed"),
        transaction.atomic(),
    ):
        enqueue([head])
        raise RuntimeError("the event failed after notify")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
