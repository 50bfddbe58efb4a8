"""The pages in a real browser: one order's whole path, the live reply check, access control.

Each user works in a browser context of their own, logged in through the login page. The server
runs in this process, so time-machine moves its clock: the callback is recorded inside a callback
window because the test chooses that time, not because the window check is skipped.
"""

import re

import pytest
import time_machine

from tests.conftest import GOOD_REPLY, make_user
from waterdesk.callbacks.models import CallbackAttempt
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.statuses import Status
from waterdesk.organization.models import Role

from .conftest import (
    create_accepted_order,
    create_dispatched_order,
    create_new_order,
    local_today_at,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _create_order_with_keyboard(page) -> str:
    """Type a new order into the console with the keyboard alone and return its number."""
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_phone"
    page.keyboard.type("13800001234")
    page.keyboard.press("Tab")
    page.keyboard.type("确山县建设路与人民路交叉口")
    page.keyboard.press("Tab")
    page.keyboard.type("路口人行道下往外冒水，已经流了一上午。")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_category"
    # The fourth category of the preset is 管道漏水/爆管.
    for _step in range(4):
        page.keyboard.press("ArrowDown")
    assert page.input_value("#id_category") == "pipe_leak"
    assert page.input_value("#id_department") == "supply_1"
    assert page.input_value("#id_time_limit_hours") == "24"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/dispatch/\?created=GD\d+$"))
    return page.url.rsplit("=", 1)[1]


def test_order_full_path_through_every_role(
    browser_login, dispatcher, center_head, handler, callback_agent, viewer
):
    # 10:00 local is inside the morning callback window (08:30–12:00) and the test takes
    # well under two hours, so the clock keeps running from there.
    with time_machine.travel(local_today_at(10, 0), tick=True):
        desk = browser_login(dispatcher)
        assert desk.url.endswith("/dispatch/")
        number = _create_order_with_keyboard(desk)
        order = WorkOrder.objects.get(number=number)
        assert order.status == Status.DISPATCHED
        assert order.address == "确山县建设路与人民路交叉口"
        desk.wait_for_selector(f"#live-list >> text={number}")
        save_screenshot(desk, "dispatch-console")

        field = browser_login(handler)
        field.wait_for_selector(f"text={number}")
        save_screenshot(field, "department-inbox")
        field.click(f"tr:has-text('{number}') >> button:has-text('接单')")
        field.wait_for_url(re.compile(rf".*/orders/{number}/$"))
        field.select_option("#id_outcome", "reached")
        field.fill("#id_note", "约定上午上门查看")
        field.click("#action-contact_attempt button[type=submit]")
        field.wait_for_selector("text=约定上午上门查看")

        field.fill("#id_content", "已处理完毕")
        field.wait_for_selector("#reply-check mark.error")
        field.fill("#id_content", GOOD_REPLY)
        field.wait_for_selector("text=回复符合回复规范")
        save_screenshot(field, "order-page-handler")
        field.click("#action-reply button[type=submit]")
        field.wait_for_selector(".badge.replied")
        order.refresh_from_db()
        assert order.status == Status.REPLIED

        center = browser_login(center_head)
        assert center.url.endswith("/center/")
        center.wait_for_selector(f"text={number}")
        save_screenshot(center, "center-queues")
        center.click(f"article:has-text('{number}') >> button[value=approve]")
        center.wait_for_url(re.compile(r".*/center/$"))
        order.refresh_from_db()
        assert order.status == Status.CALLBACK_PENDING

        agent = browser_login(callback_agent)
        assert agent.url.endswith("/callbacks/")
        agent.wait_for_selector("text=回访时段进行中")
        assert agent.is_visible("text=13800001234")
        save_screenshot(agent, "callback-desk")
        agent.click(f"tr:has-text('{number}') >> a.button")
        agent.wait_for_url(re.compile(rf".*/callbacks/{number}/$"))
        for step in agent.query_selector_all("input[name=script_steps]"):
            step.check()
        agent.select_option("#id_staff_contacted", "yes")
        agent.fill("#id_work_done", "更换了漏水的管道接口")
        agent.select_option("#id_problem_solved", "yes")
        agent.select_option("#id_reply_truthful", "yes")
        agent.select_option("#id_outcome", "satisfied")
        save_screenshot(agent, "callback-form")
        agent.click("#action-callback button[type=submit]")
        agent.wait_for_url(re.compile(r".*/callbacks/$"))
        order.refresh_from_db()
        assert order.status == Status.CLOSED
        callback = CallbackAttempt.objects.get(order=order)
        assert callback.outcome == "satisfied"
        assert callback.staff_contacted is True
        assert callback.problem_solved is True
        assert callback.work_done == "更换了漏水的管道接口"
        assert callback.script_steps == [
            "greeting",
            "introduction",
            "inquiry",
            "thanks",
            "record",
            "statistics",
        ]

        desk.goto(f"{desk.url.split('/dispatch/')[0]}/orders/{number}/")
        desk.wait_for_selector(".badge.closed")
        timeline = desk.inner_text(".timeline")
        for label in ("创建", "派发", "接单", "联系用户", "回复", "审核", "回访"):
            assert label in timeline
        save_screenshot(desk, "order-page")
        desk.goto(f"{desk.url.rstrip('/')}/print/")
        save_screenshot(desk, "order-print")

        # A few open orders in other states and departments, so the dashboard has bars.
        create_new_order(dispatcher, phone="13900005678", address="确山县朗陵街道文化路12号院")
        create_dispatched_order(
            dispatcher, department="supply_2", phone="13700009876", address="金山小区北区"
        )
        create_accepted_order(
            dispatcher,
            make_user("supply_3_handler", [Role.HANDLER], "supply_3"),
            department="supply_3",
            phone="13600001111",
            address="秀山路幸福小区5号楼",
        )
        board = browser_login(viewer)
        board.wait_for_selector("#dashboard-chart canvas")
        save_screenshot(board, "dashboard")
        board.goto(f"{board.url.split('/dashboard/')[0]}/search/?q={number}")
        board.wait_for_selector(f"text={number}")
        save_screenshot(board, "search")


def test_live_reply_check_marks_vague_reply(browser_login, dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    page = browser_login(handler)
    page.goto(page.url.replace("/inbox/", f"/orders/{order.number}/"))
    page.click("#id_content")
    page.keyboard.type("已处理完毕")
    mark = page.wait_for_selector("#reply-check mark.error")
    assert mark.inner_text().startswith("已处理完毕")
    assert "vague_only" in mark.get_attribute("data-rules")
    messages = page.inner_text("#reply-check .violations")
    assert "“已处理完毕”" in messages
    assert "联系或现场核实" in messages or "原因" in messages
    save_screenshot(page, "reply-check")


def test_earliest_order_inserted_with_one_click(browser_login, dispatcher, handler):
    earliest = create_dispatched_order(dispatcher)
    order = create_accepted_order(dispatcher, handler)
    page = browser_login(handler)
    page.goto(page.url.replace("/inbox/", f"/orders/{order.number}/"))
    page.fill("#id_content", GOOD_REPLY)
    page.click(f"button:has-text('插入 {earliest.number}')")
    assert earliest.number in page.input_value("#id_content")


def test_handler_cannot_open_other_department_order(browser_login, dispatcher, other_handler):
    order = create_dispatched_order(dispatcher)
    page = browser_login(other_handler)
    response = page.goto(page.url.replace("/inbox/", f"/orders/{order.number}/"))
    assert response.status == 403
    assert "属于其他部门" in page.inner_text("main")
    save_screenshot(page, "forbidden")


def test_countdown_runs_in_browser(browser_login, dispatcher):
    create_dispatched_order(dispatcher)
    page = browser_login(dispatcher)
    countdown = page.wait_for_selector("#live-list .countdown")
    first = countdown.inner_text()
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != first
    assert countdown.inner_text().startswith("剩余")


def test_order_page_fits_a_phone(browser_login, dispatcher, handler):
    order = create_accepted_order(dispatcher, handler)
    page = browser_login(handler, viewport={"width": 390, "height": 844})
    page.goto(page.url.replace("/inbox/", f"/orders/{order.number}/"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    save_screenshot(page, "order-page-phone")
