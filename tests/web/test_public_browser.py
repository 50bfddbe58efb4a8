"""The citizens' page in a real browser: submit a request on a phone screen, then look it up."""

import pytest

from waterdesk.orders.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_citizen_submits_and_looks_up_a_request(playwright_browser, live_server, preset):
    context = playwright_browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/public/")
    page.select_option("select[name=category]", label="停水")
    page.fill("[name=address]", "确山县建设路12号院3号楼")
    page.fill("[name=description]", "3号楼从早上开始停水，没有接到通知。")
    page.fill("[name=phone]", "13800001234")
    page.click("button[type=submit]")
    page.wait_for_url("**/public/submitted/")
    number = page.inner_text(".number").strip()
    order = WorkOrder.objects.get(number=number)
    assert order.channel == "web"
    assert order.phone == "13800001234"

    page.goto(f"{live_server.url}/public/lookup/")
    page.fill("[name=number]", number)
    page.fill("[name=phone_last_four]", "1234")
    page.click("button[type=submit]")
    page.wait_for_selector("dt")
    text = page.inner_text("body")
    assert number in text
    assert "暂无" in text or "待" in text
    context.close()


def test_wrong_last_four_digits_show_nothing(playwright_browser, live_server, preset):
    from tests.conftest import order_data
    from waterdesk.orders.actions import create_order

    order, _ = create_order(None, order_data(channel="web", phone="13800001234"))
    context = playwright_browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/lookup/")
    page.fill("[name=number]", order.number)
    page.fill("[name=phone_last_four]", "9999")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert order.address not in page.inner_text("body")
    context.close()
