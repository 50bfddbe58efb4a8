"""The exception paths on the order page and the approvals queue, through the Django client.

Each form posts to the page view, which calls the request action. These tests check that bad
input comes back with the action's Chinese message next to its field and changes nothing, and
that no user is offered, or may post, a decision that is not theirs.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import make_user, order_data
from waterdesk.orders import actions, request_actions
from waterdesk.orders.models import OrderRequest, Reply, WorkOrder
from waterdesk.orders.statuses import Status
from waterdesk.organization.models import Role

from .conftest import client_for, create_accepted_order, create_dispatched_order, text_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TRANSFER = {"department": "supply_2", "contact_person": "李工", "contact_phone": "13900001111"}
RETURN = {
    "reason": "该路段雨水管网属市政管理处管辖",
    "basis": "《城市排水管理办法》第八条",
    "target_unit": "县市政管理处",
}
REPORT = {
    "process": "已多次现场勘查",
    "measures": "临时接管供水",
    "constraints": "需市政道路改造后方可施工",
}
EXEMPTION_REPLY = (
    "【用户诉求不符合《确山县城市供水管理办法》的要求，建议不计入考核】工作人员于12月4日10点电话联系用户"
    "并到现场查看，用户要求免除管道维修费用，根据《确山县城市供水管理办法》第二十条，户表后管道由用户"
    "负责维修。已向用户解释相关规定并联系维修单位上门，目前漏点已修复。用户表示理解认可。"
)
REDO_REPLY = (
    "针对重办理由中水压仍然偏低的问题，工作人员于12月4日10点电话联系用户并到现场查看，经查系小区二次"
    "供水泵老化造成水压不足。已更换加压泵并调整出水压力，现场水压已恢复正常。用户对处理结果表示满意。"
)


def local_input(moment: datetime.datetime) -> str:
    """Format a time as a datetime-local input value in the utility's zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def hotline_order(dispatcher, handler):
    """An accepted order from the 12345 hotline, so that it may also be returned there."""
    data = order_data(channel="upper_hotline", external_id="12345-PAGE-1", time_limit_hours=72)
    order, _ = actions.create_order(dispatcher, data)
    return actions.accept_order(handler, order)


def page_html(user, order) -> str:
    response = client_for(user).get(f"/orders/{order.number}/")
    assert response.status_code == 200
    return response.content.decode()


# --- What each user is offered ------------------------------------------------------------------


def test_handler_offered_request_forms(hotline_order, handler):
    html = page_html(handler, hotline_order)
    for form in ("transfer_request", "return_request", "extension_request", "report"):
        assert f'id="action-{form}"' in html
    assert 'id="action-attachment"' in html
    assert 'id="action-merge"' not in html


def test_return_form_only_for_12345_orders(dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    assert 'id="action-return_request"' not in page_html(handler, order)


def test_handler_not_offered_center_decisions(hotline_order, handler):
    request_actions.request_transfer(handler, hotline_order, TRANSFER)
    request_actions.request_return(handler, hotline_order, RETURN)
    html = page_html(handler, hotline_order)
    assert 'id="action-transfer_decision"' not in html
    assert 'id="action-return_decision"' not in html
    assert 'id="action-transfer_request"' not in html


def test_return_decision_offered_in_turn(hotline_order, handler, department_head, center_head):
    request_actions.request_return(handler, hotline_order, RETURN)
    assert 'id="action-return_decision"' in page_html(department_head, hotline_order)
    assert 'id="action-return_decision"' not in page_html(center_head, hotline_order)
    request_actions.decide_return(department_head, hotline_order, {"decision": "approve"})
    assert 'id="action-return_decision"' not in page_html(department_head, hotline_order)
    assert 'id="action-return_decision"' in page_html(center_head, hotline_order)


def test_second_extension_not_offered(hotline_order, handler, dispatcher):
    done_at = timezone.now() + datetime.timedelta(days=4)
    request_actions.request_extension(
        handler,
        hotline_order,
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": done_at.isoformat(),
            "citizen_agreed": True,
        },
    )
    request_actions.decide_extension(dispatcher, hotline_order, {"decision": "approve"})
    assert 'id="action-extension_request"' not in page_html(handler, hotline_order)


# --- Hand-over ----------------------------------------------------------------------------------


def test_transfer_request_saved_from_page(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/transfers/",
        {**TRANSFER, "note": "已与李工电话确认", "version": hotline_order.version},
    )
    request = OrderRequest.objects.get(order=hotline_order, kind="transfer")
    assert response.status_code == 302
    assert request.status == "awaiting_center"
    assert request.target_department.code == "supply_2"
    assert request.contact_person == "李工"
    assert request.note == "已与李工电话确认"


def test_transfer_without_department_names_field(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/transfers/",
        {**TRANSFER, "department": "", "note": "已与李工电话确认"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "责任单位（department）为必填项" in text_of(
        html, "id_transfer_request_department-errors"
    )
    assert 'value="李工"' in html
    assert "已与李工电话确认" in html
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_transfer_with_bad_phone_names_field(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/transfers/", {**TRANSFER, "contact_phone": "12345"}
    )
    assert response.status_code == 400
    errors = text_of(response.content.decode(), "id_transfer_request_contact_phone-errors")
    assert "承接人电话（contact_phone）" in errors
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_handler_cannot_post_transfer_decision(hotline_order, handler):
    request_actions.request_transfer(handler, hotline_order, TRANSFER)
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/transfers/decision/", {"decision": "approve"}
    )
    hotline_order.refresh_from_db()
    assert response.status_code == 403
    assert hotline_order.department.code == "supply_1"
    assert OrderRequest.objects.get(order=hotline_order).status == "awaiting_center"


def test_other_department_cannot_request_transfer(hotline_order, other_handler):
    response = client_for(other_handler).post(
        f"/orders/{hotline_order.number}/transfers/", TRANSFER
    )
    assert response.status_code == 403
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_transfer_rejected_without_comment_names_field(hotline_order, handler, dispatcher):
    request_actions.request_transfer(handler, hotline_order, TRANSFER)
    response = client_for(dispatcher).post(
        f"/orders/{hotline_order.number}/transfers/decision/", {"decision": "reject"}
    )
    assert response.status_code == 400
    errors = text_of(response.content.decode(), "id_transfer_decision_comment-errors")
    assert "说明（comment）" in errors
    assert OrderRequest.objects.get(order=hotline_order).status == "awaiting_center"


# --- Return ------------------------------------------------------------------------------------


def test_return_without_basis_or_evidence_names_field(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/returns/", {**RETURN, "basis": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "政策依据（basis）" in text_of(html, "id_return_request_basis-errors")
    assert "县市政管理处" in html
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_center_head_before_department_head_gets_409(hotline_order, handler, center_head):
    request_actions.request_return(handler, hotline_order, RETURN)
    response = client_for(center_head).post(
        f"/orders/{hotline_order.number}/returns/decision/", {"decision": "approve"}
    )
    assert response.status_code == 409
    assert "部门负责人" in text_of(response.content.decode(), "action-error")
    assert OrderRequest.objects.get(order=hotline_order).status == "awaiting_department_head"


def test_return_decided_by_both_heads(hotline_order, handler, department_head, center_head):
    request_actions.request_return(handler, hotline_order, RETURN)
    path = f"/orders/{hotline_order.number}/returns/decision/"
    first = client_for(department_head).post(path, {"decision": "approve", "comment": "属实"})
    second = client_for(center_head).post(path, {"decision": "approve"})
    hotline_order.refresh_from_db()
    request = OrderRequest.objects.get(order=hotline_order)
    assert (first.status_code, second.status_code) == (302, 302)
    assert hotline_order.status == Status.RETURNED
    assert request.department_head_comment == "属实"
    assert request.decided_by == center_head


# --- Extension ---------------------------------------------------------------------------------


def test_extension_too_long_names_field(hotline_order, handler):
    too_late = timezone.now() + datetime.timedelta(days=10)
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/extensions/",
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": local_input(too_late),
            "citizen_agreed": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "预计完成时间（expected_done_at）" in text_of(
        html, "id_extension_request_expected_done_at-errors"
    )
    assert "需更换主管道" in html
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_extension_without_agreement_names_field(hotline_order, handler):
    done_at = timezone.now() + datetime.timedelta(days=4)
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/extensions/",
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": local_input(done_at),
        },
    )
    assert response.status_code == 400
    errors = text_of(response.content.decode(), "id_extension_request_citizen_agreed-errors")
    assert "用户" in errors
    assert not OrderRequest.objects.filter(order=hotline_order).exists()


def test_approved_extension_shows_new_due_time(hotline_order, handler, dispatcher):
    done_at = (timezone.now() + datetime.timedelta(days=4)).replace(second=0, microsecond=0)
    client_for(handler).post(
        f"/orders/{hotline_order.number}/extensions/",
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": local_input(done_at),
            "citizen_agreed": "on",
        },
    )
    response = client_for(dispatcher).post(
        f"/orders/{hotline_order.number}/extensions/decision/", {"decision": "approve"}
    )
    assert response.status_code == 302
    clock = hotline_order.clocks.get(clock="resolution")
    assert clock.due_at == done_at
    html = page_html(dispatcher, hotline_order)
    local_done_at = timezone.localtime(done_at)
    assert local_done_at.strftime("%m-%d %H:%M") in text_of(html, "deadlines")
    assert local_done_at.strftime("%Y-%m-%d %H:%M") in text_of(html, "requests")


# --- Written report and attachments ------------------------------------------------------------


def test_report_filed_and_pdf_served(hotline_order, handler):
    response = client_for(handler).post(f"/orders/{hotline_order.number}/reports/", REPORT)
    assert response.status_code == 302
    document = client_for(handler).get(f"/orders/{hotline_order.number}/reports/document.pdf")
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF-")


def test_report_without_constraints_names_field(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/reports/", {**REPORT, "constraints": ""}
    )
    hotline_order.refresh_from_db()
    assert response.status_code == 400
    assert "constraints" in text_of(response.content.decode(), "id_report_constraints-errors")
    assert hotline_order.status == Status.ACCEPTED


def test_report_approve_hidden_until_scan(hotline_order, handler, center_head):
    request_actions.submit_report(handler, hotline_order, REPORT)
    form = page_html(center_head, hotline_order).split('id="action-report_decision"')[1]
    assert 'value="approve"' not in form.split("</form>")[0]
    client_for(handler).post(
        f"/orders/{hotline_order.number}/attachments/",
        {"file": SimpleUploadedFile("scan.png", PNG, content_type="image/png")},
    )
    form = page_html(center_head, hotline_order).split('id="action-report_decision"')[1]
    assert 'value="approve"' in form.split("</form>")[0]


def test_attachment_of_wrong_type_names_field(hotline_order, handler):
    response = client_for(handler).post(
        f"/orders/{hotline_order.number}/attachments/",
        {"file": SimpleUploadedFile("scan.png", b"MZ not an image")},
    )
    assert response.status_code == 400
    assert "PDF" in text_of(response.content.decode(), "id_attachment_file-errors")
    assert not hotline_order.attachments.exists()


def test_attachment_served_only_to_own_department(hotline_order, handler, other_handler):
    attachment = request_actions.add_attachment(
        handler, hotline_order, SimpleUploadedFile("photo.png", PNG)
    )
    path = f"/orders/{hotline_order.number}/attachments/{attachment.pk}/"
    own = client_for(handler).get(path)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PNG
    assert client_for(other_handler).get(path).status_code == 403


# --- Merge, exemption, redo approval ------------------------------------------------------------


def test_merge_into_likely_duplicate(dispatcher):
    earlier = create_dispatched_order(dispatcher)
    later = create_dispatched_order(dispatcher)
    html = page_html(dispatcher, later)
    assert f'name="candidate" value="{earlier.number}"' in html
    response = client_for(dispatcher).post(
        f"/orders/{later.number}/merge/", {"candidate": earlier.number, "into": ""}
    )
    later.refresh_from_db()
    assert response.status_code == 302
    assert later.status == Status.MERGED
    assert later.merged_into == earlier


def test_merge_into_later_order_names_field(dispatcher):
    earlier = create_dispatched_order(dispatcher)
    later = create_dispatched_order(dispatcher)
    response = client_for(dispatcher).post(
        f"/orders/{earlier.number}/merge/", {"into": later.number}
    )
    earlier.refresh_from_db()
    assert response.status_code == 400
    assert "并入工单（into）" in text_of(response.content.decode(), "id_merge_into-errors")
    assert earlier.status == Status.DISPATCHED


def test_merge_into_missing_number_names_field(dispatcher):
    order = create_dispatched_order(dispatcher)
    response = client_for(dispatcher).post(
        f"/orders/{order.number}/merge/", {"into": "WD-NO-SUCH-1"}
    )
    html = response.content.decode()
    order.refresh_from_db()
    assert response.status_code == 400
    assert "WD-NO-SUCH-1" in text_of(html, "id_merge_into-errors")
    assert 'value="WD-NO-SUCH-1"' in html
    assert order.status == Status.DISPATCHED


def test_handler_cannot_merge(dispatcher, handler):
    earlier = create_dispatched_order(dispatcher)
    later = create_dispatched_order(dispatcher)
    response = client_for(handler).post(f"/orders/{later.number}/merge/", {"into": earlier.number})
    later.refresh_from_db()
    assert response.status_code == 403
    assert later.status == Status.DISPATCHED


def test_exemption_decided_by_center_head_only(hotline_order, handler, dispatcher, center_head):
    actions.submit_reply(handler, hotline_order, EXEMPTION_REPLY)
    assert 'id="action-exemption_decision"' not in page_html(dispatcher, hotline_order)
    refused = client_for(dispatcher).post(
        f"/orders/{hotline_order.number}/exemption/decision/", {"decision": "approve"}
    )
    assert refused.status_code == 403
    assert 'id="action-exemption_decision"' in page_html(center_head, hotline_order)
    response = client_for(center_head).post(
        f"/orders/{hotline_order.number}/exemption/decision/", {"decision": "approve"}
    )
    hotline_order.refresh_from_db()
    assert response.status_code == 302
    assert hotline_order.exemption_status == "approved"


@pytest.fixture
def redo_order(dispatcher, handler):
    original, _ = actions.create_order(dispatcher, order_data())
    order, _ = actions.create_order(
        dispatcher,
        order_data(order_type="redo", redo_of=original.number, redo_reasons="用户反映水压仍然偏低"),
    )
    order = actions.accept_order(handler, order)
    return actions.submit_reply(handler, order, REDO_REPLY)


def test_redo_reply_approved_by_both_heads(redo_order, department_head, center_head):
    path = f"/orders/{redo_order.number}/redo-approvals/"
    assert 'id="action-redo_approval"' not in page_html(center_head, redo_order)
    assert client_for(department_head).post(path, {"decision": "approve"}).status_code == 302
    assert 'id="action-redo_approval"' in page_html(center_head, redo_order)
    assert client_for(center_head).post(path, {"decision": "approve"}).status_code == 302
    redo_order.refresh_from_db()
    assert redo_order.status == Status.REPLIED
    assert Reply.objects.get(order=redo_order).status == "submitted"


# --- Approvals queue ---------------------------------------------------------------------------


def test_approvals_queue_lists_and_clears(hotline_order, handler, center_head):
    request_actions.request_transfer(handler, hotline_order, TRANSFER)
    html = client_for(center_head).get("/approvals/").content.decode()
    listing = text_of(html, "approvals-list")
    assert hotline_order.number in listing
    assert "转办" in listing
    assert f"/orders/{hotline_order.number}/#action-transfer_decision" in html
    assert text_of(html, "approvals-count") == "1"
    request_actions.decide_transfer(center_head, hotline_order, {"decision": "approve"})
    html = client_for(center_head).get("/approvals/").content.decode()
    assert hotline_order.number not in html
    assert text_of(html, "approvals-count") == "0"


def test_approvals_show_promised_time_locally(hotline_order, handler, dispatcher):
    shanghai = ZoneInfo("Asia/Shanghai")
    # The order is due 72 hours after creation, so 10:00 four days on is after it.
    day = timezone.localdate(timezone=shanghai) + datetime.timedelta(days=4)
    done_at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=shanghai)
    request_actions.request_extension(
        handler,
        hotline_order,
        {
            "reason": "需更换主管道",
            "measures": "已临时供水",
            "expected_done_at": done_at.isoformat(),
            "citizen_agreed": True,
        },
    )
    html = client_for(dispatcher).get("/approvals/").content.decode()
    listing = text_of(html, "approvals-list")
    assert f"{day.isoformat()} 10:00" in listing
    assert f"{day.isoformat()} 02:00" not in listing


def test_department_head_queue_has_own_department_only(
    dispatcher, handler, department_head, hotline_order
):
    supply_2_handler = make_user("supply_2_worker", [Role.HANDLER], "supply_2")
    data = order_data(channel="upper_hotline", external_id="12345-PAGE-2", department="supply_2")
    elsewhere, _ = actions.create_order(dispatcher, data)
    actions.accept_order(supply_2_handler, elsewhere)
    request_actions.request_return(supply_2_handler, elsewhere, RETURN)
    request_actions.request_return(handler, hotline_order, RETURN)
    html = client_for(department_head).get("/approvals/").content.decode()
    assert hotline_order.number in html
    assert elsewhere.number not in html
    assert "待您审批：1 项" in client_for(department_head).get("/inbox/").content.decode()


def test_handler_cannot_open_approvals(handler):
    assert client_for(handler).get("/approvals/").status_code == 403


def test_center_home_links_approvals_with_count(hotline_order, handler, center_head):
    request_actions.submit_report(handler, hotline_order, REPORT)
    html = client_for(center_head).get("/center/").content.decode()
    assert "待您审批：1 项" in text_of(html, "approvals-link")


def test_merged_order_leaves_no_open_request(dispatcher, handler):
    earlier = create_accepted_order(dispatcher, handler)
    later = create_accepted_order(dispatcher, handler)
    request_actions.request_transfer(handler, later, TRANSFER)
    client_for(dispatcher).post(f"/orders/{later.number}/merge/", {"into": earlier.number})
    assert WorkOrder.objects.get(pk=later.pk).status == Status.MERGED
    assert OrderRequest.objects.get(order=later).status == "rejected"
