"""The callback desk: queue order, window state, script fields, center queue and statistics."""

import datetime
import io

import openpyxl
import pytest
import time_machine

from tests.conftest import GOOD_REPLY, ApiClient, at, order_data
from waterdesk.callbacks.actions import record_callback
from waterdesk.callbacks.models import CallbackAttempt
from waterdesk.orders import actions
from waterdesk.orders.errors import InvalidInput

REPLIED_AT = at("2026-12-04 08:00:00")


def approved_order(dispatcher, handler, **overrides):
    order, _ = actions.create_order(dispatcher, order_data(**overrides), now=REPLIED_AT)
    actions.accept_order(handler, order, now=REPLIED_AT)
    actions.submit_reply(handler, order, GOOD_REPLY, now=REPLIED_AT)
    return actions.review_reply(dispatcher, order, {"decision": "approve"}, now=REPLIED_AT)


@pytest.fixture
def agent_client(callback_agent):
    return ApiClient(callback_agent)


def test_queue_lists_orders_by_callback_deadline(dispatcher, handler, agent_client):
    first = approved_order(dispatcher, handler)
    second = approved_order(dispatcher, handler)
    with time_machine.travel(at("2026-12-04 09:00:00"), tick=False):
        body = agent_client.get("/api/v1/callbacks/queue").json()
    assert [item["number"] for item in body["results"]] == [first.number, second.number]
    assert body["results"][0]["reply"] == GOOD_REPLY
    assert body["results"][0]["phone"] == "13800001234"
    assert body["window"]["open"] is True
    assert body["window"]["lines"] == ["7033818", "7033110"]


def test_queue_outside_windows_says_when_next_opens(dispatcher, handler, agent_client):
    approved_order(dispatcher, handler)
    with time_machine.travel(at("2026-12-04 12:30:00"), tick=False):
        body = agent_client.get("/api/v1/callbacks/queue").json()
    assert body["window"]["open"] is False
    assert body["window"]["next_window_at"] == "2026-12-04T13:30:00+08:00"


def test_failed_attempt_plans_the_next_slot(dispatcher, handler, callback_agent, agent_client):
    order = approved_order(dispatcher, handler)
    record_callback(
        callback_agent,
        order,
        {"kind": "result", "outcome": "unreachable"},
        now=at("2026-12-04 09:00:00"),
    )
    with time_machine.travel(at("2026-12-04 09:05:00"), tick=False):
        [item] = agent_client.get("/api/v1/callbacks/queue").json()["results"]
    assert item["failed_attempts"] == ["2026-12-04T09:00:00+08:00"]
    assert item["next_attempt_from"] == "2026-12-04T13:30:00+08:00"


def test_reached_unsatisfied_order_moves_to_center_queue(
    dispatcher, handler, callback_agent, agent_client
):
    order = approved_order(dispatcher, handler)
    record_callback(
        callback_agent,
        order,
        {"kind": "result", "outcome": "unsatisfied", "reply_truthful": False},
        now=at("2026-12-04 09:00:00"),
    )
    with time_machine.travel(at("2026-12-04 09:05:00"), tick=False):
        assert agent_client.get("/api/v1/callbacks/queue").json()["results"] == []
        center = ApiClient(dispatcher).get("/api/v1/callbacks/center-queue").json()
    assert [item["number"] for item in center] == [order.number]


def test_script_steps_and_inquiry_are_stored(dispatcher, handler, callback_agent):
    order = approved_order(dispatcher, handler)
    record_callback(
        callback_agent,
        order,
        {
            "kind": "result",
            "outcome": "satisfied",
            "reply_truthful": True,
            "script_steps": ["greeting", "introduction", "inquiry", "thanks", "record"],
            "staff_contacted": True,
            "work_done": "更换了阀门",
            "problem_solved": True,
        },
        now=at("2026-12-04 09:00:00"),
    )
    attempt = CallbackAttempt.objects.get(order=order)
    assert attempt.script_steps[-1] == "statistics"
    assert attempt.work_done == "更换了阀门"
    assert attempt.problem_solved is True


def test_unknown_script_step_is_invalid_input(dispatcher, handler, callback_agent):
    order = approved_order(dispatcher, handler)
    with pytest.raises(InvalidInput) as raised:
        record_callback(
            callback_agent,
            order,
            {"kind": "result", "outcome": "unreachable", "script_steps": ["shout"]},
            now=at("2026-12-04 09:00:00"),
        )
    assert raised.value.details[0]["field"] == "script_steps"


def test_statistics_count_due_made_reached_by_agent(
    dispatcher, handler, callback_agent, agent_client
):
    first = approved_order(dispatcher, handler)
    second = approved_order(dispatcher, handler)
    record_callback(
        callback_agent,
        first,
        {"kind": "result", "outcome": "unreachable"},
        now=at("2026-12-04 09:00:00"),
    )
    record_callback(
        callback_agent,
        second,
        {"kind": "result", "outcome": "satisfied", "reply_truthful": True},
        now=at("2026-12-04 09:10:00"),
    )
    rows = agent_client.get(
        "/api/v1/callbacks/statistics", {"from": "2026-12-04", "to": "2026-12-05"}
    ).json()
    by_key = {(row["day"], row["agent"]): row for row in rows}
    agent_row = by_key[("2026-12-04", "callback_agent")]
    assert (
        agent_row["made"],
        agent_row["reached"],
        agent_row["satisfied"],
        agent_row["unreachable"],
    ) == (2, 1, 1, 1)
    # Both callback clocks started at 08:00 on the 4th and are due 24 hours later.
    assert by_key[("2026-12-05", None)]["due"] == 2


def test_statistics_spreadsheet_has_chinese_headers(
    dispatcher, handler, callback_agent, agent_client
):
    approved_order(dispatcher, handler)
    response = agent_client.get(
        "/api/v1/callbacks/statistics.xlsx", {"from": "2026-12-04", "to": "2026-12-05"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "日期"
    assert sheet["C2"].value == "应回访数"


def test_statistics_period_must_be_ordered(agent_client):
    response = agent_client.get(
        "/api/v1/callbacks/statistics", {"from": "2026-12-05", "to": "2026-12-01"}
    )
    assert response.status_code == 400


def test_handler_cannot_open_the_callback_queue(handler):
    assert ApiClient(handler).get("/api/v1/callbacks/queue").status_code == 403


def test_queue_includes_process_callback_after_extension(dispatcher, handler, agent_client):
    from waterdesk.orders import request_actions

    order, _ = actions.create_order(dispatcher, order_data(time_limit_hours=72), now=REPLIED_AT)
    actions.accept_order(handler, order, now=REPLIED_AT)
    due = REPLIED_AT + datetime.timedelta(hours=72, days=2)
    request_actions.request_extension(
        handler,
        order,
        {
            "reason": "材料未到",
            "measures": "临时供水",
            "expected_done_at": due.isoformat(),
            "citizen_agreed": True,
        },
        now=REPLIED_AT,
    )
    request_actions.decide_extension(dispatcher, order, {"decision": "approve"}, now=REPLIED_AT)
    with time_machine.travel(at("2026-12-04 09:00:00"), tick=False):
        [item] = agent_client.get("/api/v1/callbacks/queue").json()["results"]
    assert item["callback_kind"] == "process"
