"""Every order of the sample file, imported and then processed to closed through the API."""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import ApiClient, make_user
from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import Department, Role

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "orders-sample.jsonl"

CONTACT_REPLY = (
    "接单后工作人员于{when}电话联系用户并到现场查看，经查系附近供水管道阀门故障造成该问题。"
    "已组织维修人员更换阀门并冲洗管道，目前已处理完成，供水恢复正常。用户对处理结果表示满意。"
)
NO_CONTACT_REPLY = (
    "用户未留联系方式，工作人员于{when}到反映地址现场查看周边情况，经查系附近供水管道阀门故障造成该问题。"
    "已组织维修人员更换阀门并冲洗管道，目前已处理完成，周边住户供水恢复正常。"
)


def reply_for(order: dict, client: ApiClient, when: str) -> str:
    text = (CONTACT_REPLY if order["phone"] else NO_CONTACT_REPLY).format(when=when)
    check = client.post("/api/v1/replies/check", {"content": text, "order": order["number"]}).json()
    if check.get("earliest_order_number"):
        text += f"该问题最早反映工单号为{check['earliest_order_number']}。"
    return text


# Callbacks are allowed only in the callback windows, so the whole flow runs on a Monday morning.
@time_machine.travel(
    datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
)
def test_every_sample_order_reaches_closed(preset):
    call_command("import_orders", str(SAMPLE), stdout=io.StringIO())
    dispatcher = ApiClient(make_user("dispatcher", [Role.DISPATCHER]))
    agent = ApiClient(make_user("agent", [Role.CALLBACK_AGENT]))
    handlers = {
        department.code: ApiClient(
            make_user(f"{department.code}_h", [Role.HANDLER], department.code)
        )
        for department in Department.objects.all()
    }
    when = timezone.localtime().strftime("%m月%d日%H点")

    for number in WorkOrder.objects.order_by("id").values_list("number", flat=True):
        order = dispatcher.get(f"/api/v1/orders/{number}").json()
        handler = handlers[order["department"]]
        assert handler.post(f"/api/v1/orders/{number}/accept").status_code == 200
        if order["phone"]:
            response = handler.post(
                f"/api/v1/orders/{number}/contact-attempts",
                {"at": timezone.now().isoformat(), "outcome": "reached"},
            )
            assert response.status_code == 200
        response = handler.post(
            f"/api/v1/orders/{number}/reply", {"content": reply_for(order, handler, when)}
        )
        assert response.status_code == 200, (number, response.json())
        response = dispatcher.post(f"/api/v1/orders/{number}/review", {"decision": "approve"})
        assert response.status_code == 200
        if response.json()["status"] == "callback_pending":
            response = agent.post(
                f"/api/v1/orders/{number}/callbacks",
                {"kind": "result", "outcome": "satisfied", "reply_truthful": True},
            )
            assert response.status_code == 200, response.json()
        assert dispatcher.get(f"/api/v1/orders/{number}").json()["status"] == "closed"
    assert agent.get("/api/v1/orders", {"status": "closed", "limit": 200}).json()["results"]
    assert not WorkOrder.objects.exclude(status="closed").exists()
