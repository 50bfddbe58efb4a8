"""Several sending runs at once on PostgreSQL: every message is claimed and sent exactly once."""

import threading

import pytest
from django.db import connection

from tests.conftest import make_user
from waterdesk.notifications.models import OutboxMessage, OutboxStatus
from waterdesk.notifications.sending import send_pending
from waterdesk.organization.models import Role

from .conftest import NOW, enqueue, with_phone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MESSAGES = 30
RUNS = 4


def test_concurrent_runs_send_each_message_once(use_aliyun, preset):
    heads = [
        with_phone(
            make_user(f"head_{number}", [Role.DEPARTMENT_HEAD], "supply_1"), f"1380000{number:04d}"
        )
        for number in range(MESSAGES)
    ]
    enqueue(heads)
    start = threading.Barrier(RUNS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            send_pending(NOW)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == MESSAGES
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    sent_ids = [request["OutId"] for request in use_aliyun.accepted]
    assert len(sent_ids) == MESSAGES
    assert len(set(sent_ids)) == MESSAGES
