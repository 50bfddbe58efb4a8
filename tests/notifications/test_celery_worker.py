"""A real Celery worker on Redis sends a committed outbox message through the provider mock."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from waterdesk.notifications.models import OutboxMessage, OutboxStatus
from waterdesk.notifications.tasks import send_pending_task

from .conftest import ALIYUN_KEY_ID, ALIYUN_SECRET, enqueue

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sms_queue(settings):
    """A queue of this test's own, so that no other worker on the same Redis takes its tasks."""
    name = f"waterdesk-sms-test-{uuid.uuid4().hex[:12]}"
    settings.WATERDESK_SMS_QUEUE = name
    yield name
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(name, f"_kombu.binding.{name}")
    client.close()


@pytest.fixture
def worker(sms_queue, use_aliyun, tmp_path):
    """Start `celery worker` on the test's queue, pointed at pytest's test database and the mock."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "WATERDESK_SMS_PROVIDER": "aliyun",
        "WATERDESK_ALIYUN_SMS_ACCESS_KEY_ID": ALIYUN_KEY_ID,
        "WATERDESK_ALIYUN_SMS_ACCESS_KEY_SECRET": ALIYUN_SECRET,
        "WATERDESK_ALIYUN_SMS_SIGN_NAME": "确山水务",
        "WATERDESK_ALIYUN_SMS_ENDPOINT": use_aliyun.url,
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
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
                sms_queue,
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        process.log_path = log_path
        process.mock = use_aliyun
        yield process
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_sent(message: OutboxMessage, worker, seconds: float = 60) -> OutboxMessage:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status != OutboxStatus.PENDING:
            return message
        time.sleep(0.3)
    tail = worker.log_path.read_text()[-3000:]
    raise AssertionError(f"the worker did not send message {message.pk} in {seconds} s:\n{tail}")


def test_worker_sends_committed_message_once(worker, head, settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    # enqueue commits (no test transaction here), so on_commit queues the task on Redis.
    [message] = enqueue([head], key="worker:first", now=timezone.now())

    message = wait_until_sent(message, worker)

    assert message.status == OutboxStatus.SENT
    assert message.provider_message_id == "000001^0"
    assert len(worker.mock.accepted) == 1


def test_repeated_task_does_not_send_again(worker, head, sms_queue):
    [first] = enqueue([head], key="worker:first", now=timezone.now())
    wait_until_sent(first, worker)

    # A redelivered task for the sent message, then a new message: the solo worker runs the
    # tasks in order, so once the second message is sent the repeated task has run too.
    send_pending_task.apply_async(kwargs={"message_ids": [first.pk]}, queue=sms_queue)
    [second] = enqueue([head], key="worker:second", now=timezone.now())
    wait_until_sent(second, worker)

    sent_ids = [request["OutId"] for request in worker.mock.accepted]
    assert sent_ids == [str(first.pk), str(second.pk)]
