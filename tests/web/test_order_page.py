"""The order page: who may open it, masking, the buttons offered, actions and their errors."""

import datetime

from django.utils import timezone

from tests.conftest import GOOD_REPLY
from waterdesk.orders import actions
from waterdesk.orders.models import ReplyStatus
from waterdesk.orders.statuses import Status

from .conftest import (
    client_for,
    create_accepted_order,
    create_dispatched_order,
    create_new_order,
    create_replied_order,
    text_of,
    visible_text,
)


def test_handler_cannot_open_other_department_order(dispatcher, other_handler):
    order = create_dispatched_order(dispatcher)
    response = client_for(other_handler).get(f"/orders/{order.number}/")
    text = visible_text(response.content.decode())
    assert response.status_code == 403
    assert f"工单 {order.number} 属于其他部门，您只能查看本部门的工单。" in text
    assert "13800001234" not in text


def test_handler_cannot_act_on_other_department_order(dispatcher, other_handler):
    order = create_dispatched_order(dispatcher)
    response = client_for(other_handler).post(f"/orders/{order.number}/accept/")
    order.refresh_from_db()
    assert response.status_code == 403
    assert order.status == Status.DISPATCHED


def test_unknown_order_is_404_in_chinese(dispatcher):
    response = client_for(dispatcher).get("/orders/GD000000000000/")
    assert response.status_code == 404
    assert "工单不存在" in visible_text(response.content.decode())


def test_order_page_shows_eight_elements(dispatcher):
    order = create_dispatched_order(dispatcher)
    text = visible_text(client_for(dispatcher).get(f"/orders/{order.number}/").content.decode())
    for label in ("信息来源", "地址", "联系电话", "反映人", "反映内容", "故障类别", "责任单位"):
        assert label in text
    assert "处理时限" in text
    assert "热线接听" in text
    assert "13800001234" in text
    assert "张先生" in text
    assert "供水一部" in text


def test_viewer_sees_masked_phone_and_name(dispatcher, viewer):
    order = create_dispatched_order(dispatcher)
    html = client_for(viewer).get(f"/orders/{order.number}/").content.decode()
    assert "138****1234" in html
    assert "张**" in html
    assert "13800001234" not in html
    assert "张先生" not in html


def test_viewer_print_view_is_masked(dispatcher, viewer):
    order = create_dispatched_order(dispatcher)
    html = client_for(viewer).get(f"/orders/{order.number}/print/").content.decode()
    assert "138****1234" in html
    assert "13800001234" not in html


def test_viewer_is_offered_no_action(dispatcher, viewer):
    order = create_dispatched_order(dispatcher)
    text = visible_text(client_for(viewer).get(f"/orders/{order.number}/").content.decode())
    assert "此工单当前没有需要您办理的事项" in text


def test_handler_is_offered_accept_only(dispatcher, handler):
    order = create_dispatched_order(dispatcher)
    html = client_for(handler).get(f"/orders/{order.number}/").content.decode()
    assert 'id="action-accept"' in html
    assert 'id="action-dispatch"' not in html
    assert 'id="action-review"' not in html


def test_dispatcher_is_offered_redispatch_not_accept(dispatcher):
    order = create_dispatched_order(dispatcher)
    html = client_for(dispatcher).get(f"/orders/{order.number}/").content.decode()
    assert 'id="action-dispatch"' in html
    assert 'id="action-accept"' not in html


def test_order_page_shows_running_clocks(dispatcher):
    order = create_dispatched_order(dispatcher)
    html = client_for(dispatcher).get(f"/orders/{order.number}/").content.decode()
    assert "接单" in visible_text(html)
    assert 'class="countdown" data-seconds="' in html


def test_timeline_has_chinese_labels(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    html = client_for(dispatcher).get(f"/orders/{order.number}/").content.decode()
    timeline = visible_text(html.split('id="timeline-title"')[1])
    assert "创建" in timeline
    assert "派发至供水一部" in timeline
    assert "待接单 → 处理中" in timeline


def test_accept_from_order_page(dispatcher, handler):
    order = create_dispatched_order(dispatcher)
    response = client_for(handler).post(
        f"/orders/{order.number}/accept/", {"version": order.version}
    )
    order.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    assert order.status == Status.ACCEPTED
    assert order.accepted_by == handler


def test_accept_twice_shows_transition_error(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(f"/orders/{order.number}/accept/")
    assert response.status_code == 409
    assert "当前状态为“处理中”" in text_of(response.content.decode(), "action-error")


def test_contact_attempt_recorded(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client_for(handler).post(
        f"/orders/{order.number}/contact-attempts/",
        {"at": at, "outcome": "reached", "note": "约定下午上门"},
    )
    assert response.status_code == 302
    attempt = order.contact_attempts.get()
    assert attempt.outcome == "reached"
    assert attempt.note == "约定下午上门"


def test_contact_attempt_in_future_error_next_to_time(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    later = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(handler).post(
        f"/orders/{order.number}/contact-attempts/", {"at": later, "outcome": "reached"}
    )
    assert response.status_code == 400
    assert "不能晚于当前时间" in text_of(response.content.decode(), "id_at-errors")
    assert order.contact_attempts.count() == 0


def test_contact_attempt_in_minute_of_acceptance(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    minute = timezone.localtime(order.accepted_at).strftime("%Y-%m-%dT%H:%M")
    response = client_for(handler).post(
        f"/orders/{order.number}/contact-attempts/", {"at": minute, "outcome": "reached"}
    )
    assert response.status_code == 302
    assert order.contact_attempts.get().at == order.accepted_at


def test_contact_attempt_before_acceptance_error_next_to_time(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    earlier = timezone.localtime(order.accepted_at) - datetime.timedelta(minutes=5)
    response = client_for(handler).post(
        f"/orders/{order.number}/contact-attempts/",
        {"at": earlier.strftime("%Y-%m-%dT%H:%M"), "outcome": "reached"},
    )
    assert text_of(response.content.decode(), "id_at-errors")
    assert order.contact_attempts.count() == 0


def test_contact_attempt_without_time_error_next_to_time(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/contact-attempts/", {"at": "", "outcome": "reached"}
    )
    assert text_of(response.content.decode(), "id_at-errors") == "请填写联系的日期和时间。"


def test_vague_reply_rejected_with_reasons_under_box(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/reply/", {"content": "已处理完毕", "version": order.version}
    )
    order.refresh_from_db()
    errors = text_of(response.content.decode(), "id_content-errors")
    assert response.status_code == 422
    assert "已处理完毕" in errors
    assert order.status == Status.ACCEPTED
    assert 'id="id_content"' in response.content.decode()
    assert "已处理完毕</textarea>" in response.content.decode()


def test_good_reply_submitted(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/reply/", {"content": GOOD_REPLY.replace("。", "。\r\n", 1)}
    )
    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == Status.REPLIED
    assert "\r" not in order.replies.get().content


def test_reply_check_marks_vague_phrase(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/reply/check/", {"content": "已处理完毕"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="error"' in html
    assert "vague_only" in html.split("<mark", 1)[1].split(">", 1)[0]
    assert "已处理完毕<sup>" in html
    assert "回复暂不能提交" in visible_text(html)


def test_reply_check_passes_good_reply(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/reply/check/", {"content": GOOD_REPLY}
    )
    assert "回复符合回复规范" in visible_text(response.content.decode())


def test_reply_check_offers_earliest_order(dispatcher, handler):
    earliest = create_dispatched_order(dispatcher)
    order = create_accepted_order(dispatcher, handler)
    response = client_for(handler).post(
        f"/orders/{order.number}/reply/check/", {"content": GOOD_REPLY}
    )
    html = response.content.decode()
    assert f'data-insert-text="（最早工单号{earliest.number}）"' in html


def test_reply_check_needs_post(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    assert client_for(handler).get(f"/orders/{order.number}/reply/check/").status_code == 405


def test_reply_check_refused_for_other_department(dispatcher, handler, other_handler):
    order = create_accepted_order(dispatcher, handler)
    response = client_for(other_handler).post(
        f"/orders/{order.number}/reply/check/", {"content": "已处理完毕"}
    )
    assert response.status_code == 403


def test_review_reject_needs_reason_next_to_comment(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/review/", {"decision": "reject", "comment": ""}
    )
    order.refresh_from_db()
    assert response.status_code == 400
    assert text_of(response.content.decode(), "id_comment-errors")
    assert order.status == Status.REPLIED


def test_review_reject_dispatches_again(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    client_for(dispatcher).post(
        f"/orders/{order.number}/review/", {"decision": "reject", "comment": "未写明原因"}
    )
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    assert order.replies.get().status == ReplyStatus.REJECTED


def test_review_approve_awaits_callback(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/review/", {"decision": "approve", "next": "/center/"}
    )
    order.refresh_from_db()
    assert response["Location"] == "/center/"
    assert order.status == Status.CALLBACK_PENDING


def test_review_ignores_next_to_other_host(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/review/",
        {"decision": "approve", "next": "https://example.invalid/"},
    )
    assert response["Location"] == f"/orders/{order.number}/"


def test_handler_cannot_review(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    response = client_for(handler).post(f"/orders/{order.number}/review/", {"decision": "approve"})
    order.refresh_from_db()
    assert response.status_code == 403
    assert order.status == Status.REPLIED


def test_close_needs_reason(dispatcher, handler):
    order = create_replied_order(dispatcher, handler)
    actions.review_reply(dispatcher, order, {"decision": "approve"})
    response = client_for(dispatcher).post(f"/orders/{order.number}/close/", {"reason": ""})
    assert text_of(response.content.decode(), "id_reason-errors")


def test_print_view_is_a4_work_sheet(dispatcher):
    order = create_new_order(dispatcher)
    html = client_for(dispatcher).get(f"/orders/{order.number}/print/").content.decode()
    assert "web/print.css" in html
    assert "派工单" in visible_text(html)
    assert order.address in html
    assert "13800001234" in html


def test_print_css_sets_a4_page(client):
    from django.contrib.staticfiles import finders

    with open(finders.find("web/print.css"), encoding="utf-8") as stylesheet:
        assert "size: A4" in stylesheet.read()
