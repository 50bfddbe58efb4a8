"""A real Celery worker on Redis runs the sweep task against the test database."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import make_user, order_data
from waterdesk.deadlines.tasks import sweep_deadlines_task
from waterdesk.orders import actions
from waterdesk.orders.models import OrderEvent
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    """Start `celery worker` on the configured Redis, pointed at pytest's test database."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL}
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_records_breaches_from_the_queue(worker, settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    load_preset()
    dispatcher = make_user("dispatcher", [Role.DISPATCHER])
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    order, _ = actions.create_order(dispatcher, order_data(), now=long_ago)

    sweep_deadlines_task.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if OrderEvent.objects.filter(order=order, action="breach").exists():
            break
        time.sleep(0.5)
    breaches = OrderEvent.objects.filter(order=order, action="breach")
    assert breaches.count() == 1, "the worker did not record the breach within 60 s"
    assert breaches.get().data["clock"] == "accept"
