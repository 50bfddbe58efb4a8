"""Department inbox, center queues, callback desk, dashboard and search."""

import datetime

import time_machine
from django.utils import timezone

from tests.conftest import GOOD_REPLY, order_data
from waterdesk.callbacks.models import CallbackAttempt
from waterdesk.orders import actions
from waterdesk.orders.statuses import Status

from .conftest import (
    client_for,
    create_accepted_order,
    create_callback_order,
    create_dispatched_order,
    create_replied_order,
    local_today_at,
    text_of,
    visible_text,
)

SATISFIED_CALLBACK = {
    "kind": "result",
    "script_steps": ["greeting", "introduction", "inquiry", "thanks", "record", "statistics"],
    "staff_contacted": "yes",
    "work_done": "更换了管道接口",
    "problem_solved": "yes",
    "reply_truthful": "yes",
    "outcome": "satisfied",
    "note": "",
}


# --- Department inbox ----------------------------------------------------------------------------


def test_inbox_sections_of_own_department(dispatcher, handler):
    to_accept = create_dispatched_order(dispatcher)
    in_progress = create_accepted_order(dispatcher, handler)
    elsewhere = create_dispatched_order(dispatcher, department="supply_2")
    html = client_for(handler).get("/inbox/").content.decode()
    accept_section = html.split("待接单")[1].split("处理中")[0]
    assert to_accept.number in accept_section
    assert in_progress.number in html.split("处理中")[1]
    assert elsewhere.number not in html


def test_inbox_lists_reply_rejected_at_review(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    actions.review_reply(dispatcher, order, {"decision": "reject", "comment": "未写明原因"})
    text = visible_text(client_for(handler).get("/inbox/").content.decode())
    rejected = text.split("审核退回")[1]
    assert order.number in rejected
    assert "未写明原因" in rejected


def test_inbox_accept_button_for_handler_only(dispatcher, handler, department_head):
    create_dispatched_order(dispatcher)
    assert "/accept/" in client_for(handler).get("/inbox/").content.decode()
    assert "/accept/" not in client_for(department_head).get("/inbox/").content.decode()


def test_inbox_clock_turns_red_when_breached(dispatcher, handler):
    past = timezone.now() - datetime.timedelta(hours=1)
    order, _ = actions.create_order(dispatcher, order_data(), now=past)
    html = client_for(handler).get("/inbox/live/").content.decode()
    assert order.number in html
    assert 'class="clock breached"' in html
    assert "超时" in visible_text(html)


def test_inbox_clock_amber_in_warning_lead(dispatcher, handler):
    # The accept clock runs 5 minutes and warns in its last 20 % (one minute).
    started = timezone.now() - datetime.timedelta(minutes=4, seconds=30)
    actions.create_order(dispatcher, order_data(), now=started)
    html = client_for(handler).get("/inbox/live/").content.decode()
    assert 'class="clock warning"' in html


def test_dispatcher_cannot_open_inbox(dispatcher):
    assert client_for(dispatcher).get("/inbox/").status_code == 403


# --- Center queues -------------------------------------------------------------------------------


def test_center_lists_reply_to_review(dispatcher, center_head, handler):
    order = create_replied_order(dispatcher, handler)
    html = client_for(center_head).get("/center/").content.decode()
    review = html.split('id="review-title"')[1]
    assert order.number in review
    assert "接单后工作人员" in review


def test_center_approves_from_queue(dispatcher, center_head, handler):
    order = create_replied_order(dispatcher, handler)
    response = client_for(center_head).post(
        f"/orders/{order.number}/review/",
        {"decision": "approve", "version": order.version, "next": "/center/"},
    )
    order.refresh_from_db()
    assert response["Location"] == "/center/"
    assert order.status == Status.CALLBACK_PENDING


def test_center_lists_overdue_and_near_due(dispatcher, center_head):
    late, _ = actions.create_order(
        dispatcher, order_data(), now=timezone.now() - datetime.timedelta(hours=1)
    )
    near, _ = actions.create_order(
        dispatcher,
        order_data(department="supply_3"),
        now=timezone.now() - datetime.timedelta(minutes=4, seconds=30),
    )
    html = client_for(center_head).get("/center/live/").content.decode()
    assert late.number in html.split('id="overdue-title"')[1].split('id="near-title"')[0]
    assert near.number in html.split('id="near-title"')[1]


def test_viewer_cannot_open_center(viewer):
    response = client_for(viewer).get("/center/")
    assert response.status_code == 403
    assert "无权" in visible_text(response.content.decode())


# --- Callback desk -------------------------------------------------------------------------------


def test_callback_desk_shows_phone_and_lines(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    html = client_for(callback_agent).get("/callbacks/").content.decode()
    assert order.number in html
    assert "13800001234" in html
    assert "接单后工作人员" in html
    assert "7033818" in html
    assert "7033110" in html


def test_callback_desk_masks_phone_for_dispatcher(dispatcher, handler):
    create_callback_order(dispatcher, handler)
    html = client_for(dispatcher).get("/callbacks/").content.decode()
    assert "138****1234" in html
    assert "13800001234" not in html


def test_callback_desk_orders_by_callback_due(dispatcher, handler, callback_agent):
    first = create_callback_order(dispatcher, handler)
    second = create_callback_order(
        dispatcher, handler, phone="13900005678", address="确山县朗陵街道文化路12号院"
    )
    html = client_for(callback_agent).get("/callbacks/").content.decode()
    assert html.index(first.number) < html.index(second.number)


def test_desk_names_next_window(dispatcher, handler, callback_agent):
    create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(12, 10), tick=False):
        text = visible_text(client_for(callback_agent).get("/callbacks/").content.decode())
    assert "下一个回访时段于" in text
    assert "13:30" in text


def test_record_disabled_outside_windows(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(20, 0), tick=False):
        html = client_for(callback_agent).get(f"/callbacks/{order.number}/").content.decode()
    assert "08:30" in visible_text(html)
    assert "disabled" in html.split('id="action-callback"')[1].split("</form>")[0]


def test_callback_page_shows_script_and_questions(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    text = visible_text(
        client_for(callback_agent).get(f"/callbacks/{order.number}/").content.decode()
    )
    for step in ("问候用户", "自我介绍", "询问办理情况", "致谢", "记录回访", "填写回访统计表"):
        assert step in text
    for question in ("是否联系或上门", "具体做了什么", "问题是否解决", "是否属实"):
        assert question in text


def test_satisfied_callback_closes_order(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/", {**SATISFIED_CALLBACK, "next": "/callbacks/"}
        )
    order.refresh_from_db()
    callback = CallbackAttempt.objects.get(order=order)
    assert response.status_code == 302
    assert order.status == Status.CLOSED
    assert callback.reply_truthful is True
    assert callback.staff_contacted is True
    assert callback.problem_solved is True
    assert callback.work_done == "更换了管道接口"
    assert callback.script_steps == SATISFIED_CALLBACK["script_steps"]
    assert callback.note == ""


def test_callback_without_script_steps_is_refused(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/",
            {**SATISFIED_CALLBACK, "script_steps": ["greeting"]},
        )
    order.refresh_from_db()
    assert response.status_code == 400
    assert "尚未勾选" in visible_text(response.content.decode())
    assert order.status == Status.CALLBACK_PENDING


def test_missing_truth_answer_next_to_field(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/", {**SATISFIED_CALLBACK, "reply_truthful": ""}
        )
    assert text_of(response.content.decode(), "id_reply_truthful-errors")


def test_callback_outside_window_is_refused_by_action(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(12, 30), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/", SATISFIED_CALLBACK
        )
    order.refresh_from_db()
    assert response.status_code == 409
    assert "13:30" in visible_text(response.content.decode())
    assert order.status == Status.CALLBACK_PENDING


def test_unreachable_callback_needs_no_script(dispatcher, handler, callback_agent):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(9, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/",
            {"kind": "result", "outcome": "unreachable"},
        )
    assert response.status_code == 302
    assert CallbackAttempt.objects.get(order=order).outcome == "unreachable"


def test_dispatcher_cannot_record_callback(dispatcher, handler):
    order = create_callback_order(dispatcher, handler)
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(dispatcher).post(
            f"/orders/{order.number}/callback/", SATISFIED_CALLBACK
        )
    assert response.status_code == 403


# --- Dashboard -----------------------------------------------------------------------------------


def test_dashboard_counts_by_department_and_status(dispatcher, viewer, handler):
    create_dispatched_order(dispatcher)
    create_dispatched_order(dispatcher)
    create_accepted_order(dispatcher, handler, department="supply_1")
    html = client_for(viewer).get("/dashboard/").content.decode()
    row = html.split("供水一部</a></th>")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]
    assert cells[:3] == ["0", "2", "1"]
    assert 'id="dashboard-chart-data"' in html
    assert "vendor/echarts.common.min.js" in html


def test_dashboard_counts_breaches_today_and_due_soon(dispatcher, viewer):
    actions.create_order(
        dispatcher, order_data(), now=timezone.now() - datetime.timedelta(minutes=10)
    )
    from waterdesk.deadlines.sweeper import sweep

    sweep(timezone.now())
    html = client_for(viewer).get("/dashboard/live/").content.decode()
    text = visible_text(html)
    breaches = text.split("今日超时")[1].split("一小时内到期")[0]
    assert breaches.strip().startswith("1")


def test_dashboard_of_handler_counts_own_department(dispatcher, handler):
    create_dispatched_order(dispatcher, department="supply_2")
    html = client_for(handler).get("/dashboard/").content.decode()
    assert "供水二部" not in html


def test_process_callback_offered_after_extension(dispatcher, handler, callback_agent):
    from waterdesk.orders import request_actions

    order = create_accepted_order(dispatcher, handler)
    request_actions.request_extension(
        handler,
        order,
        {
            "reason": "需更换整段管道",
            "measures": "已临时止水",
            "expected_done_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            "citizen_agreed": True,
        },
    )
    request_actions.decide_extension(dispatcher, order, {"decision": "approve"})
    desk = client_for(callback_agent).get("/callbacks/").content.decode()
    assert order.number in desk
    page = client_for(callback_agent).get(f"/callbacks/{order.number}/").content.decode()
    assert "过程满意度" in visible_text(page)
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/",
            {**SATISFIED_CALLBACK, "kind": "process", "staff_contacted": "", "problem_solved": ""},
        )
    order.refresh_from_db()
    assert response.status_code == 302
    assert order.process_callback_pending is False
    assert order.status == Status.ACCEPTED


def test_desk_drops_order_closed_by_callback(dispatcher, handler, callback_agent):
    from waterdesk.orders import request_actions

    order = create_accepted_order(dispatcher, handler)
    request_actions.request_extension(
        handler,
        order,
        {
            "reason": "需更换整段管道",
            "measures": "已临时止水",
            "expected_done_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            "citizen_agreed": True,
        },
    )
    request_actions.decide_extension(dispatcher, order, {"decision": "approve"})
    actions.submit_reply(handler, order.number, GOOD_REPLY)
    actions.review_reply(dispatcher, order.number, {"decision": "approve"})
    with time_machine.travel(local_today_at(10, 0), tick=False):
        response = client_for(callback_agent).post(
            f"/orders/{order.number}/callback/", SATISFIED_CALLBACK
        )
    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == Status.CLOSED

    # The extension's process callback was never made, so its pending flag is still set.
    desk = client_for(callback_agent).get("/callbacks/").content.decode()
    assert order.number not in desk
    page = client_for(callback_agent).get(f"/orders/{order.number}/").content.decode()
    assert f"/callbacks/{order.number}/" not in page


def test_no_callback_button_without_extension(dispatcher, handler, callback_agent):
    order = create_accepted_order(dispatcher, handler)
    html = client_for(callback_agent).get(f"/orders/{order.number}/").content.decode()
    assert f"/callbacks/{order.number}/" not in html
