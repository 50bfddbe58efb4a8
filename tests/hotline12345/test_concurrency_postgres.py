"""Concurrent pushes and deliveries on PostgreSQL: one order, one delivery, whatever the race."""

import threading

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import make_user
from waterdesk.hotline12345 import actions, delivery
from waterdesk.hotline12345.actions import enqueue_reply
from waterdesk.hotline12345.models import MessageStatus, OutboundMessage, PushedOrder
from waterdesk.orders.models import OrderEvent, Reply, ReplyStatus, WorkOrder
from waterdesk.organization.models import Role
from waterdesk.policy.loading import load_preset

from .conftest import PUSH_URL, encode, make_platform, push_body, send_push, sign_headers
from .test_outbox import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PUSHES = 100
# Requests served at the same time, like the workers of an application server. PostgreSQL's
# default max_connections is 100, shared with the test's own connection and other clients, so
# 100 requests cannot each hold a connection at once.
SERVER_SLOTS = 40


def run_at_once(count: int, work, slots: int = SERVER_SLOTS) -> list:
    """Release `count` threads together; each runs `work(index)` once a server slot is free."""
    barrier = threading.Barrier(count)
    server = threading.BoundedSemaphore(slots)
    results: list = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            with server:
                try:
                    results[index] = work(index)
                finally:
                    connection.close()
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results[index] = error

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def platform():
    assert connection.vendor == "postgresql"
    load_preset()
    return make_platform()


def test_concurrent_identical_pushes_make_one_order(platform):
    body = push_body(hotline_id="12345-RACE")
    results = run_at_once(PUSHES, lambda index: send_push(body, Client()))

    statuses = [getattr(item, "status_code", item) for item in results]
    assert statuses.count(201) == 1, statuses
    assert statuses.count(200) == PUSHES - 1, statuses
    numbers = {item.json()["order_number"] for item in results}
    assert len(numbers) == 1
    assert WorkOrder.objects.filter(external_id="12345-RACE").count() == 1
    assert OrderEvent.objects.filter(action="create").count() == 1
    assert PushedOrder.objects.count() == 1


def test_replayed_signed_push_creates_once(platform):
    raw = encode(push_body(hotline_id="12345-REPLAY"))
    headers = sign_headers(raw)

    def send(index):
        return Client().post(PUSH_URL, raw, content_type="application/json", **headers)

    results = run_at_once(PUSHES, send)
    statuses = [getattr(item, "status_code", item) for item in results]
    assert statuses.count(201) == 1, statuses
    assert statuses.count(401) == PUSHES - 1, statuses
    assert WorkOrder.objects.filter(external_id="12345-REPLAY").count() == 1


def test_concurrent_deliveries_send_once(platform, mock_platform, monkeypatch):
    # The racing threads below make the first attempt, so the send that follows the commit is
    # left out; with a broker it would otherwise stay queued after the test.
    monkeypatch.setattr(actions, "send_soon", lambda message_pk: None)
    order = WorkOrder.objects.get(number=send_push(push_body()).json()["order_number"])
    author = make_user("handler", [Role.HANDLER], order.department.code)
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
    platform.outbound_url = mock_platform.url
    platform.save()

    results = run_at_once(8, lambda index: delivery.deliver_message(message.pk, NOW))
    sent = [item for item in results if item is not None]
    assert len(sent) == 1, results
    assert sent[0].outcome == "delivered"
    assert len(mock_platform.accepted) == 1
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.DELIVERED
