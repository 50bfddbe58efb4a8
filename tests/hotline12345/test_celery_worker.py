"""A real Celery worker on Redis delivers a queued reply, retrying once after the platform fails."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from tests.conftest import make_user
from waterdesk.hotline12345.actions import enqueue_reply
from waterdesk.hotline12345.models import MessageStatus, OutboundMessage
from waterdesk.orders.models import Reply, ReplyStatus, WorkOrder
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

from .conftest import make_platform, push_body, send_push
from .test_outbox import NOW

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


@pytest.fixture
def worker():
    """Start `celery worker` on the configured Redis, pointed at pytest's test database.

    The worker's retry base is 1 s, so that the retry after the mock platform's failure comes
    within the test's wait.
    """
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "WATERDESK_HOTLINE12345_RETRY_BASE_SECONDS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "waterdesk",
            "worker",
            "-P",
            "solo",
            "--loglevel",
            "INFO",
            "-Q",
            "celery",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_delivers_reply_once_after_a_failure(worker, mock_platform, settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    load_preset()
    platform = make_platform(outbound_url=mock_platform.url)
    mock_platform.fail_times = 1
    order = WorkOrder.objects.get(number=send_push(push_body()).json()["order_number"])
    author = make_user("handler", [Role.HANDLER], order.department.code)

    with transaction.atomic():
        reply = Reply.objects.create(
            order=order,
            dispatch_round=1,
            content="已处理。",
            author=author,
            submitted_at=NOW,
            policy_version=1,
            status=ReplyStatus.APPROVED,
            reviewed_at=NOW,
        )
        message = enqueue_reply(order, reply, NOW)

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == MessageStatus.DELIVERED:
            break
        time.sleep(0.5)
    assert message.status == MessageStatus.DELIVERED, (
        f"not delivered within {WAIT_SECONDS} s: {message.status}, {message.last_error}"
    )
    assert message.attempts == 2
    assert len(mock_platform.accepted) == 1
    assert mock_platform.accepted[0]["message_id"] == str(message.message_id)
    assert platform.pk == OutboundMessage.objects.get().platform_id
