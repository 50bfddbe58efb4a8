"""The exception paths in a real browser, each role logged in as its own user.

A handler submits a request on the order page. The deciding user finds the item in the
approvals queue, follows its link to the decision form, decides, and the item leaves the queue.
"""

import datetime
import re

import pytest
from django.utils import timezone

from tests.conftest import order_data
from waterdesk.orders import actions, request_actions
from waterdesk.orders.models import OrderRequest, WorkOrder
from waterdesk.orders.statuses import Status

from .conftest import create_accepted_order, create_dispatched_order, save_screenshot
from .test_request_pages import EXEMPTION_REPLY, PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hotline_order(dispatcher, handler, external_id: str) -> WorkOrder:
    data = order_data(channel="upper_hotline", external_id=external_id, time_limit_hours=72)
    order, _ = actions.create_order(dispatcher, data)
    return actions.accept_order(handler, order)


def open_order(page, live_server, order) -> None:
    page.goto(f"{live_server.url}/orders/{order.number}/")


def open_from_queue(page, live_server, order, form_id: str) -> None:
    """Open the approvals queue and follow the order's link to its decision form."""
    page.goto(f"{live_server.url}/approvals/")
    row = page.locator(f"#approvals-list tr:has-text('{order.number}')")
    row.locator("a.button").click()
    page.wait_for_url(re.compile(rf".*/orders/{order.number}/#{form_id}$"))


def decide_from_queue(page, live_server, order, form_id: str, button_value: str) -> None:
    """Follow the queue's link to the decision form, press the button and wait for success."""
    open_from_queue(page, live_server, order, form_id)
    page.click(f"#{form_id} button[value={button_value}]")
    page.wait_for_url(re.compile(rf".*/orders/{order.number}/$"))


def test_handover_requested_and_approved(
    browser_login, live_server, dispatcher, handler, center_head
):
    order = hotline_order(dispatcher, handler, "12345-B-1")
    field = browser_login(handler)
    open_order(field, live_server, order)
    field.select_option("#id_transfer_request_department", "supply_2")
    field.fill("#id_transfer_request_contact_person", "李工")
    field.fill("#id_transfer_request_contact_phone", "13900001111")
    field.fill("#id_transfer_request_note", "已与供水二部李工电话确认")
    field.click("#action-transfer_request button[type=submit]")
    field.wait_for_selector("#requests >> text=李工")
    save_screenshot(field, "order-requests")
    assert OrderRequest.objects.get(order=order).status == "awaiting_center"

    center = browser_login(center_head)
    assert center.inner_text("#approvals-link").endswith("1 项")
    center.goto(f"{live_server.url}/approvals/")
    assert order.number in center.inner_text("#approvals-list")
    assert center.inner_text("#approvals-count") == "1"
    save_screenshot(center, "approvals")
    decide_from_queue(center, live_server, order, "action-transfer_decision", "approve")
    order.refresh_from_db()
    assert order.status == Status.DISPATCHED
    assert order.department.code == "supply_2"

    center.goto(f"{live_server.url}/approvals/")
    assert center.is_visible("text=目前没有待您审批的事项")
    assert center.inner_text("#approvals-count") == "0"


def test_return_approved_by_both_heads(
    browser_login, live_server, dispatcher, handler, department_head, center_head
):
    order = hotline_order(dispatcher, handler, "12345-B-2")
    field = browser_login(handler)
    open_order(field, live_server, order)
    field.fill("#id_return_request_reason", "该路段雨水管网属市政管理处管辖")
    field.fill("#id_return_request_basis", "《城市排水管理办法》第八条")
    field.fill("#id_return_request_target_unit", "县市政管理处")
    field.click("#action-return_request button[type=submit]")
    field.wait_for_selector("#requests >> text=县市政管理处")

    head = browser_login(department_head)
    assert head.inner_text("#approvals-link").endswith("1 项")
    decide_from_queue(head, live_server, order, "action-return_decision", "approve")
    assert OrderRequest.objects.get(order=order).status == "awaiting_center"

    center = browser_login(center_head)
    decide_from_queue(center, live_server, order, "action-return_decision", "approve")
    center.wait_for_selector(".badge.returned")
    order.refresh_from_db()
    assert order.status == Status.RETURNED


def test_extension_approved_shows_new_due(browser_login, live_server, dispatcher, handler):
    order = hotline_order(dispatcher, handler, "12345-B-3")
    done_at = timezone.localtime() + datetime.timedelta(days=5)
    field = browser_login(handler)
    open_order(field, live_server, order)
    field.fill("#id_extension_request_reason", "需更换整段主管道，材料调运中")
    field.fill("#id_extension_request_measures", "已安排临时供水")
    field.fill("#id_extension_request_expected_done_at", done_at.strftime("%Y-%m-%dT%H:%M"))
    field.check("#id_extension_request_citizen_agreed")
    field.click("#action-extension_request button[type=submit]")
    field.wait_for_selector("#requests .expected-done")

    desk = browser_login(dispatcher)
    decide_from_queue(desk, live_server, order, "action-extension_decision", "approve")
    desk.wait_for_selector("#requests .badge.approved")
    assert done_at.strftime("%m-%d %H:%M") in desk.inner_text("#deadlines")
    order.refresh_from_db()
    assert order.extended is True


def test_report_with_scan_approved(
    browser_login, live_server, dispatcher, handler, center_head, tmp_path
):
    order = create_accepted_order(dispatcher, handler)
    field = browser_login(handler)
    open_order(field, live_server, order)
    field.fill("#id_report_process", "已多次现场勘查")
    field.fill("#id_report_measures", "临时接管供水")
    field.fill("#id_report_constraints", "需市政道路改造后方可施工")
    field.click("#action-report button[type=submit]")
    field.wait_for_selector(".badge.reported")

    pdf_path = field.get_attribute("#requests a[href$='/reports/document.pdf']", "href")
    document = field.request.get(f"{live_server.url}{pdf_path}")
    assert document.headers["content-type"] == "application/pdf"
    assert document.body().startswith(b"%PDF-")

    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    field.set_input_files("#id_attachment_file", str(scan))
    field.click("#action-attachment button[type=submit]")
    field.wait_for_selector("#attachments >> text=scan.png")

    center = browser_login(center_head)
    decide_from_queue(center, live_server, order, "action-report_decision", "approve")
    report = OrderRequest.objects.get(order=order, kind="report")
    assert report.status == "approved"
    assert report.attachments.count() == 1


def test_merge_into_duplicate(browser_login, live_server, dispatcher):
    earlier = create_dispatched_order(dispatcher)
    later = create_dispatched_order(dispatcher)
    desk = browser_login(dispatcher)
    open_order(desk, live_server, later)
    desk.click(f"#action-merge button[value={earlier.number}]")
    desk.wait_for_selector(".badge.merged")
    later.refresh_from_db()
    assert later.status == Status.MERGED
    assert later.merged_into == earlier


def test_exemption_decided(browser_login, live_server, dispatcher, handler, center_head):
    order = create_accepted_order(dispatcher, handler)
    actions.submit_reply(handler, order, EXEMPTION_REPLY)
    center = browser_login(center_head)
    open_from_queue(center, live_server, order, "action-exemption_decision")
    # A refusal needs its reason: the error appears next to the comment, and nothing changes.
    center.click("#action-exemption_decision button[value=reject]")
    center.wait_for_selector("#id_exemption_decision_comment-errors")
    order.refresh_from_db()
    assert order.exemption_status == "proposed"
    center.fill("#id_exemption_decision_comment", "引用文件与诉求无关")
    center.click("#action-exemption_decision button[value=reject]")
    center.wait_for_url(re.compile(rf".*/orders/{order.number}/$"))
    order.refresh_from_db()
    assert order.exemption_status == "rejected"


def test_request_forms_fit_a_phone(browser_login, live_server, dispatcher, handler):
    order = hotline_order(dispatcher, handler, "12345-B-4")
    request_actions.request_return(
        handler,
        order,
        {"reason": "不属本公司职责", "basis": "《城市排水管理办法》", "target_unit": "市政处"},
    )
    page = browser_login(handler, viewport={"width": 390, "height": 844})
    open_order(page, live_server, order)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    save_screenshot(page, "order-requests-phone")
