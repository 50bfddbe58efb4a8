"""Demo accounts and orders for the embedded default (`make run`). Never used in production."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waterdesk.organization.models import Department, Role, User

from . import actions
from .models import WorkOrder

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "waterdesk-demo"

CENTER_ACCOUNTS = [
    ("dispatcher", "调度员", [Role.DISPATCHER]),
    ("center_head", "中心负责人", [Role.CENTER_HEAD, Role.DISPATCHER]),
    ("callback_agent", "回访员", [Role.CALLBACK_AGENT]),
    ("viewer", "督查员", [Role.VIEWER]),
]

DEMO_REPLY = (
    "接单后工作人员于当日电话联系用户并到现场查看，经查系小区门前DN100供水管道接口老化漏水，"
    "造成水压下降。已组织维修人员关阀抢修，更换接口并恢复供水，现场水压已恢复正常。"
    "用户对处理结果表示满意。"
)

DEMO_ORDERS = [
    {
        "channel": "hotline",
        "category": "pipe_leak",
        "address": "确山县盘龙街道建设路与人民路交叉口",
        "reporter": "张先生",
        "phone": "13800001234",
        "content": "路口人行道下往外冒水，已经流了一上午，路面有积水。",
        "dispatch": False,
    },
    {
        "channel": "upper_hotline",
        "external_id": "DEMO-12345-0001",
        "category": "no_water",
        "address": "确山县三里河街道秀山路幸福小区5号楼",
        "reporter": "李女士",
        "phone": "0396-7033818",
        "content": "5号楼从昨晚开始停水，没有接到停水通知。",
        "order_type": "urgent",
    },
    {
        "channel": "web",
        "category": "low_pressure",
        "address": "确山县朗陵街道文化路12号院",
        "reporter": "王先生",
        "phone": "13900005678",
        "content": "最近一周早晚用水高峰水压很低，四楼以上基本没水。",
    },
    {
        "channel": "hotline",
        "category": "water_quality",
        "address": "确山县竹沟镇竹沟村",
        "reporter": None,
        "phone": None,
        "content": "村里自来水发黄，有铁锈味。（匿名来电，未留联系方式）",
    },
    {
        "channel": "letter_visit",
        "category": "billing",
        "address": "确山县盘龙街道金山小区北区",
        "reporter": "赵女士",
        "phone": "13700009876",
        "content": "本月水费比上月高出一倍，怀疑水表计量有误。",
        "callback_required": False,
    },
]


def create_demo_accounts() -> int:
    """Create the demo users that do not exist yet; returns how many were created."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo accounts exist only in demo mode (WATERDESK_DEMO=1)")
    created = 0
    accounts = list(CENTER_ACCOUNTS)
    for department in Department.objects.filter(is_dispatch_center=False):
        accounts.append((f"{department.code}_handler", f"{department.name}处理人", [Role.HANDLER]))
        accounts.append(
            (f"{department.code}_head", f"{department.name}负责人", [Role.DEPARTMENT_HEAD])
        )
    center = Department.objects.get(is_dispatch_center=True)
    accounts.append((f"{center.code}_handler", f"{center.name}处理人", [Role.HANDLER]))
    accounts.append((f"{center.code}_head", f"{center.name}负责人", [Role.DEPARTMENT_HEAD]))
    for username, name, roles in accounts:
        if User.objects.filter(username=username).exists():
            continue
        department = None
        if set(roles) & {Role.HANDLER, Role.DEPARTMENT_HEAD}:
            department = Department.objects.get(code=username.rsplit("_", 1)[0])
        user = User(
            username=username, name=name, roles=[str(role) for role in roles], department=department
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created += 1
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", password=DEMO_PASSWORD, name="系统管理员", roles=[str(Role.ADMIN)]
        )
        created += 1
    return created


@transaction.atomic
def create_demo_orders() -> int:
    """Create the demo orders in different states, once; returns how many were created."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo orders exist only in demo mode (WATERDESK_DEMO=1)")
    if WorkOrder.objects.exists():
        return 0
    dispatcher = User.objects.get(username="dispatcher")
    center_head = User.objects.get(username="center_head")
    now = timezone.now()
    orders = [actions.create_order(dispatcher, data, now=now)[0] for data in DEMO_ORDERS]
    _new, _dispatched, in_progress, anonymous, billing = orders

    handler = User.objects.get(username=f"{in_progress.department.code}_handler")
    actions.accept_order(handler, in_progress, now=now)
    actions.record_contact_attempt(
        handler,
        in_progress,
        {"at": now.isoformat(), "outcome": "reached", "note": "约定今天下午上门"},
    )

    handler = User.objects.get(username=f"{anonymous.department.code}_handler")
    actions.accept_order(handler, anonymous, now=now)

    handler = User.objects.get(username=f"{billing.department.code}_handler")
    actions.accept_order(handler, billing, now=now)
    later = now + datetime.timedelta(minutes=30)
    actions.record_contact_attempt(
        handler, billing, {"at": later.isoformat(), "outcome": "reached"}, now=later
    )
    actions.submit_reply(handler, billing, DEMO_REPLY, now=later)
    actions.review_reply(center_head, billing, {"decision": "approve"}, now=later)
    logger.info("demo orders created: %s", ", ".join(order.number for order in orders))
    return len(orders)
