"""No page shows an untranslated English string in zh-hans.

Every main page is opened as each role, with orders in every state, and the visible text
(including titles and labels of controls) is searched for Latin words. User names, order numbers
and a short allow-list of names and key caps are removed first.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import order_data
from waterdesk.deadlines.sweeper import sweep
from waterdesk.orders import actions
from waterdesk.organization.models import User

from .conftest import (
    client_for,
    create_accepted_order,
    create_callback_order,
    create_dispatched_order,
    create_new_order,
    create_replied_order,
    local_today_at,
    visible_text,
)

# Words that are Latin on purpose: the product's name, the keys named in the console's hint
# and the file formats and size unit of the attachment form.
ALLOWED_WORDS = {"waterdesk", "Tab", "Enter", "Shift", "JPEG", "PNG", "PDF", "MB"}
ORDER_NUMBER = re.compile(r"\bGD\d+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_'-]*[A-Za-z]")


def untranslated_words(html: str) -> set[str]:
    text = visible_text(html)
    for username in User.objects.values_list("username", flat=True):
        text = text.replace(username, " ")
    text = ORDER_NUMBER.sub(" ", text)
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED_WORDS}


@pytest.fixture
def orders_in_every_state(dispatcher, center_head, handler, callback_agent):
    past = timezone.now() - datetime.timedelta(hours=30)
    overdue, _ = actions.create_order(
        dispatcher, order_data(address="建设路1号", phone="13800001201"), now=past
    )
    sweep(timezone.now())
    rejected = create_replied_order(dispatcher, handler, address="建设路2号", phone="13800001202")
    actions.review_reply(center_head, rejected, {"decision": "reject", "comment": "未写明原因"})
    called_back = create_callback_order(
        dispatcher, handler, address="建设路3号", phone="13800001203"
    )
    with time_machine.travel(local_today_at(10, 0), tick=False):
        from waterdesk.callbacks.actions import record_callback

        record_callback(
            callback_agent,
            called_back,
            {"kind": "result", "outcome": "unreachable"},
        )
    contacted = create_accepted_order(dispatcher, handler, address="建设路4号", phone="13800001204")
    actions.record_contact_attempt(
        handler,
        contacted,
        {"at": timezone.now().isoformat(), "outcome": "no_answer", "note": "无人接听"},
    )
    return {
        "new": create_new_order(dispatcher, address="建设路5号", phone="13800001205"),
        "dispatched": create_dispatched_order(dispatcher, address="建设路6号", phone="13800001206"),
        "overdue": overdue,
        "accepted": contacted,
        "replied": create_replied_order(
            dispatcher, handler, address="建设路7号", phone="13800001207"
        ),
        "rejected": rejected,
        "callback": called_back,
    }


def _pages_of_orders(orders: dict) -> list[str]:
    pages = []
    for order in orders.values():
        pages += [f"/orders/{order.number}/", f"/orders/{order.number}/print/"]
    return pages


def _assert_translated(client, paths: list[str], role: str) -> None:
    problems = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 403, 404), (role, path, response.status_code)
        words = untranslated_words(response.content.decode())
        if words:
            problems[path] = sorted(words)
    assert not problems, f"untranslated English on the pages of {role}: {problems}"


def test_dispatcher_pages_are_translated(dispatcher, orders_in_every_state):
    paths = [
        "/dispatch/",
        "/dispatch/live/",
        "/dispatch/history/?phone=13800001234",
        "/center/",
        "/callbacks/",
        "/dashboard/",
        "/search/?q=建设路",
        "/orders/GD0/",
        *_pages_of_orders(orders_in_every_state),
    ]
    _assert_translated(client_for(dispatcher), paths, "dispatcher")


def test_center_head_pages_are_translated(center_head, orders_in_every_state):
    paths = ["/center/", "/center/live/", "/dashboard/live/"]
    _assert_translated(client_for(center_head), paths, "center_head")


def test_handler_pages_are_translated(handler, other_handler, orders_in_every_state):
    accepted = orders_in_every_state["accepted"]
    paths = ["/inbox/", "/inbox/live/", "/search/", *_pages_of_orders(orders_in_every_state)]
    _assert_translated(client_for(handler), paths, "handler")
    _assert_translated(
        client_for(other_handler), [f"/orders/{accepted.number}/"], "another department"
    )
    check = client_for(handler).post(
        f"/orders/{accepted.number}/reply/check/", {"content": "已处理完毕"}
    )
    assert not untranslated_words(check.content.decode())


def test_callback_agent_pages_are_translated(callback_agent, orders_in_every_state):
    number = orders_in_every_state["callback"].number
    for hour in (10, 12):
        with time_machine.travel(local_today_at(hour, 15), tick=False):
            _assert_translated(
                client_for(callback_agent),
                ["/callbacks/", f"/callbacks/{number}/"],
                "callback_agent",
            )


def test_viewer_pages_are_translated(viewer, orders_in_every_state):
    paths = ["/dashboard/", "/search/?status=accepted", "/center/"]
    _assert_translated(
        client_for(viewer), [*paths, *_pages_of_orders(orders_in_every_state)], "viewer"
    )


def test_login_and_error_pages_are_translated(db):
    from django.test import Client

    client = Client()
    _assert_translated(client, ["/login/"], "anonymous")
    response = client.post("/login/", {"username": "nobody", "password": "wrong"})
    assert not untranslated_words(response.content.decode())


def test_check_flags_english_but_not_codes(db):
    html = (
        '<p title="Due soon">Order GD202612040001 was created</p>'
        "<script>var ignored = 'script text';</script><p>waterdesk 工单</p>"
    )
    assert untranslated_words(html) == {"Due", "soon", "Order", "was", "created"}


@pytest.fixture
def orders_with_requests(dispatcher, handler):
    """Orders with every kind of open request, a redo reply and a proposed exemption."""
    from waterdesk.orders import request_actions

    from .test_request_pages import EXEMPTION_REPLY, REDO_REPLY, REPORT, RETURN, TRANSFER

    hotline = order_data(
        channel="upper_hotline", external_id="12345-0001", address="建设路8号", phone="13800001308"
    )
    requested, _ = actions.create_order(dispatcher, hotline)
    actions.accept_order(handler, requested)
    request_actions.request_transfer(handler, requested, TRANSFER)
    request_actions.request_return(handler, requested, RETURN)
    request_actions.request_extension(
        handler,
        requested,
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            "citizen_agreed": True,
        },
    )
    reported = create_accepted_order(dispatcher, handler, address="建设路9号", phone="13800001309")
    request_actions.submit_report(handler, reported, REPORT)
    exempted = create_accepted_order(dispatcher, handler, address="建设路10号", phone="13800001310")
    actions.submit_reply(handler, exempted, EXEMPTION_REPLY)
    original = create_dispatched_order(dispatcher, address="建设路11号")
    redo, _ = actions.create_order(
        dispatcher,
        order_data(
            order_type="redo",
            redo_of=original.number,
            redo_reasons="用户反映水压仍然偏低",
            address="建设路11号",
        ),
    )
    actions.accept_order(handler, redo)
    actions.submit_reply(handler, redo, REDO_REPLY)
    duplicate = create_dispatched_order(dispatcher, address="建设路11号")
    return {
        "requested": requested,
        "reported": reported,
        "exempted": exempted,
        "redo": redo,
        "duplicate": duplicate,
    }


def test_request_pages_are_translated(
    dispatcher, center_head, handler, department_head, orders_with_requests
):
    order_pages = [f"/orders/{order.number}/" for order in orders_with_requests.values()]
    for user in (dispatcher, center_head, department_head):
        _assert_translated(client_for(user), ["/approvals/", *order_pages], user.username)
    _assert_translated(client_for(handler), order_pages, handler.username)
    inbox = client_for(department_head).get("/inbox/").content.decode()
    assert not untranslated_words(inbox)
