"""Per-order assessment facts: marked stale by events, derived again, equal to the definitions."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from tests.conftest import GOOD_REPLY, at
from tests.reports.conftest import HOUR, MINUTE, callback, create, reply_and_approve
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.transitions import lock_order
from waterdesk.reports.facts import FACT_CONDITIONS, refresh_stale_facts
from waterdesk.reports.figures import compute_month
from waterdesk.reports.models import OrderFacts

ZONE = "Asia/Shanghai"


def supply_1(figure: str, month: str = "2026-11") -> int:
    rows = compute_month(month, ZONE)["departments"]
    return next(row[figure] for row in rows if row["department"] == "supply_1")


def test_every_fact_equals_its_definition(november):
    refresh_stale_facts()
    assert OrderFacts.objects.count() == WorkOrder.objects.count()
    mismatches = []
    for facts in OrderFacts.objects.all():
        for name, condition in FACT_CONDITIONS.items():
            defined = WorkOrder.objects.filter(pk=facts.order_id).filter(condition).exists()
            if getattr(facts, name) != defined:
                mismatches.append((facts.order_id, name, defined))
    assert mismatches == []
    # The month has at least one order with each fact true, so the comparison above is not empty.
    for name in FACT_CONDITIONS:
        if name != "excluded":
            assert OrderFacts.objects.filter(**{name: True}).exists(), name


def test_refresh_clears_stale_mark_of_event(people):
    day = at("2026-11-02 09:00:00")
    order = create(people, day)
    assert WorkOrder.objects.get(pk=order.pk).assessment_stale is True

    assert refresh_stale_facts() == 1
    assert WorkOrder.objects.get(pk=order.pk).assessment_stale is False
    assert OrderFacts.objects.get(order=order).accepted_on_time is False

    actions.accept_order(people["h1"], order, now=day + MINUTE)
    assert WorkOrder.objects.get(pk=order.pk).assessment_stale is True
    refresh_stale_facts()
    assert OrderFacts.objects.get(order=order).accepted_on_time is True


def test_report_derives_stale_orders_first(people):
    day = at("2026-11-02 09:00:00")
    order = create(people, day)
    actions.accept_order(people["h1"], order, now=day + MINUTE)
    reply_and_approve(people, order, "h1", day + HOUR)
    refresh_stale_facts()
    assert supply_1("closed") == 0

    callback(people, order, "satisfied", day + 2 * HOUR)
    assert supply_1("closed") == 1


def test_sweeper_later_round_breach_marks_stale(people):
    day = at("2026-11-02 09:00:00")
    order = create(people, day)
    actions.accept_order(people["h1"], order, now=day + MINUTE)
    actions.submit_reply(people["h1"], order, GOOD_REPLY, now=day + HOUR)
    actions.review_reply(
        people["dispatcher"], order, {"decision": "reject", "comment": "未写明原因"}, now=day + HOUR
    )
    refresh_stale_facts()
    assert OrderFacts.objects.get(order=order).accepted_on_time is True

    second_round = Clock.objects.get(order=order, clock=ClockName.ACCEPT, dispatch_round=2)
    sweep(second_round.due_at)

    assert WorkOrder.objects.get(pk=order.pk).assessment_stale is True
    assert supply_1("accepted_on_time") == 0


def test_sweeper_first_round_breach_keeps_facts(people):
    day = at("2026-11-02 09:00:00")
    order = create(people, day)
    refresh_stale_facts()

    sweep(day + datetime.timedelta(days=3))

    assert Clock.objects.filter(order=order, breached_at__isnull=False).exists()
    assert WorkOrder.objects.get(pk=order.pk).assessment_stale is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_refresh_skips_order_locked_by_action(people):
    assert connection.vendor == "postgresql"
    day = at("2026-11-02 09:00:00")
    locked_order, free = create(people, day), create(people, day)
    locked, release = threading.Event(), threading.Event()

    def hold_order():
        try:
            with transaction.atomic():
                lock_order(locked_order.number)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_order)
    thread.start()
    try:
        assert locked.wait(10)
        assert refresh_stale_facts() == 1
    finally:
        release.set()
        thread.join()

    assert WorkOrder.objects.get(pk=locked_order.pk).assessment_stale is True
    assert WorkOrder.objects.get(pk=free.pk).assessment_stale is False
    assert refresh_stale_facts() == 1
