"""Time the monthly assessment (`compute_month`) over a million orders created in one month.

Run from the repository root against a local PostgreSQL database whose name contains "bench"::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waterdesk_bench_reports \\
        .venv/bin/python bench/reports.py [--orders 1000000 --scale-to 3000000]

The script creates the database if missing, migrates it, loads the preset and creates staff users,
then empties the order tables and writes `--orders` orders created in `--month` (local time of
`--timezone`) with COPY. Each order gets the rows that the order actions would have written:
clocks with their warnings and breaches, events, replies (some rejected at review), callback
attempts and, for a few per cent, hand-over, return and extension requests. Most orders are
closed, and some await a callback or review, are in progress, returned or merged. A few are redo
orders and a few are excluded from the assessment. Contact attempts, attachments
and SMS messages are not written, because no figure reads them. COPY writes no events, so the
loaded orders arrive marked stale, and the product's facts refresh derives their assessment facts
(`reports.facts`, timed and printed) before anything else is measured.

Measured, after VACUUM ANALYZE:

1. `compute_month(month, timezone)` in this process: one warm-up run, then `--runs` runs, with
   the median and maximum wall time and the CPU time of this process and of PostgreSQL.
2. The drill-down count `figure_orders(...).count()` of two figures, for the whole month and for
   one department, checked against the counts of `compute_month`.
3. EXPLAIN (ANALYZE, BUFFERS) of the grouped query of `compute_month`, as captured from the run.
4. One periodic pass of the facts refresh after events marked 1,000 orders stale.

Then `--scale-to` minus `--orders` more orders are added to the same month and steps 1 to 3 run
again. The machine and its load average are printed with the figures, because other programs
competing for the cores slow the queries down.

Targets: median `compute_month` <= 2 s at 1,000,000 orders, and the median at `--scale-to`
orders (3,000,000 by default) at most 3 times the median at `--orders`.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

MONTH_TARGET_SECONDS = 2.0
TARGET_ORDERS = 1_000_000
MAX_SCALE_RATIO = 3.0
COPY_BATCH_ORDERS = 20_000
DRILL_DOWN_FIGURES = ("replied_on_time", "satisfied")
DRILL_DOWN_DEPARTMENT = "supply_1"
# Orders changed by events between two periodic passes of the facts refresh, for its timing.
PERIODIC_STALE_ORDERS = 1000
# Threads deriving the facts of the loaded orders, one per core of the 2-core machine.
DERIVING_THREADS = 2

# The report is run this long after the month ends; clocks still open then are warned or
# breached by the sweeper as their times pass.
REPORT_DELAY_SECONDS = 3 * 86400
# Orders still open at the report time were created in the last days of the month.
OPEN_ORDER_WINDOW_SECONDS = 6 * 86400
# The periodic sweep runs every 30 seconds, so it records a warning or breach this late.
SWEEP_LAG_SECONDS = 30
HOUR = 3600

# --- Shares of the generated orders --------------------------------------------------------------
# Final status of an order, by share. The rest of the orders are closed.
STATUS_SHARES = [
    ("merged", 0.020),
    ("returned", 0.015),
    ("accepted", 0.035),
    ("replied", 0.006),
    ("callback_pending", 0.060),
]
EXCLUDED_SHARE = 0.010  # Closed orders excluded from the assessment (exemption approved).
EXEMPTION_PROPOSED_SHARE = 0.004
EXEMPTION_REJECTED_SHARE = 0.003
REDO_SHARE = 0.02
URGENT_SHARE = 0.05
PHONE_SHARE = 0.92
CALLBACK_REQUIRED_SHARE = 0.95
REPORTER_SHARE = 0.7
NIGHT_CONTACT_SHARE = 0.05

# Lateness of each step: the share of clocks met after their due time.
LATE_DISPATCH_SHARE = 0.07
LATE_ACCEPT_SHARE = 0.06
LATE_CONTACT_SHARE = 0.10
LATE_REPLY_SHARE = 0.08
LATE_CALLBACK_SHARE = 0.05
REJECTED_REPLY_SHARE = 0.05
MERGED_BEFORE_DISPATCH_SHARE = 0.6

# Callbacks: the first attempt fails in FIRST_ATTEMPT_UNREACHABLE_SHARE of orders; the final
# outcome is drawn from CALLBACK_OUTCOMES.
FIRST_ATTEMPT_UNREACHABLE_SHARE = 0.10
CALLBACK_OUTCOMES = [
    ("satisfied", 0.78),
    ("basically_satisfied", 0.12),
    ("unsatisfied", 0.06),
    ("unreachable", 0.04),
]
UNTRUE_REPLY_SHARE = 0.03
PENDING_CALLBACK_FAILED_SHARE = 0.4

# Requests, as a share of the orders that were accepted.
TRANSFER_SHARE = 0.025
TRANSFER_LATE_SHARE = 0.25
TRANSFER_WITHOUT_PERSON_SHARE = 0.15
TRANSFER_APPROVED_SHARE = 0.7
RETURN_LATE_SHARE = 0.2
RETURN_REJECTED_SHARE = 0.004
EXTENSION_SHARE = 0.02

# Orders per department (code: weight) and the categories each department mostly receives.
DEPARTMENT_WEIGHTS = {
    "supply_1": 17, "supply_2": 15, "supply_3": 13, "install": 11, "drainage": 7,
    "waterworks": 6, "sewage": 3, "engineering": 6, "finance": 10, "office": 2,
    "inspection": 2, "hr": 1, "dispatch_center": 7,
}  # fmt: skip
DEPARTMENT_CATEGORIES = {
    "supply_1": ["no_water", "low_pressure", "pipe_leak"],
    "supply_2": ["no_water", "low_pressure", "pipe_leak"],
    "supply_3": ["no_water", "low_pressure", "pipe_leak"],
    "install": ["meter", "installation"],
    "drainage": ["sewage"],
    "waterworks": ["water_quality"],
    "sewage": ["sewage"],
    "engineering": ["construction"],
    "finance": ["billing"],
    "office": ["other", "consultation"],
    "inspection": ["other"],
    "hr": ["other"],
    "dispatch_center": ["consultation", "other"],
}
OWN_CATEGORY_SHARE = 0.85
CHANNEL_WEIGHTS = {"hotline": 50, "web": 15, "upper_hotline": 30, "media": 2, "letter_visit": 3}
# Orders per local hour of the day: few at night, most in the working day.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 12, 12, 11, 10, 9, 8, 6, 4, 3, 2]

# --- Text ----------------------------------------------------------------------------------------
# fmt: off
DISTRICTS = ["驿城区", "开发区", "高新区", "产业集聚区", "老城区", "西平县", "上蔡县", "遂平县"]
ROADS = [
    "解放路", "中华路", "人民路", "建设路", "文化路", "健康路", "交通路", "团结路", "光明路",
    "胜利路", "新华路", "和平路", "朝阳路", "东风路", "西园路", "雪松大道", "开源大道", "前进路",
]
COMMUNITIES = [
    "幸福家园", "阳光花园", "锦绣华庭", "金桂苑", "翠湖湾", "御景城", "世纪花园", "书香名苑",
    "滨河小区", "水务家属院", "电力小区", "教师新村", "铁路小区", "棉纺厂家属院", "凤凰城",
]
CONTENTS = {
    "no_water": "家中从早上开始停水，没有看到停水通知，请尽快派人查看恢复供水。",
    "low_pressure": "楼层较高，早晚用水高峰时水压很低，热水器无法启动。",
    "water_quality": "自来水发黄，有明显异味，放水十几分钟仍然不清。",
    "pipe_leak": "路边人行道下面管道漏水，水已经流到路面，影响行人通行。",
    "meter": "水表长时间不走字，怀疑水表损坏，要求上门校验。",
    "billing": "本月水费比往月高出很多，家里用水没有变化，要求核实读数。",
    "installation": "新房申请报装已经一个月，询问办理进度和需要补交的材料。",
    "sewage": "小区污水井冒水，气味很大，影响居民出行。",
    "construction": "道路施工挖断供水管道后，路面一直没有恢复。",
    "consultation": "咨询阶梯水价的计算方法和线上缴费的方式。",
    "other": "反映供水服务中的其他问题，希望有关部门给予答复。",
}
REPLY_TEXTS = [
    "接单后我部维修人员于当日到达现场，查明为入户阀门损坏，已更换阀门，恢复正常供水，"
    "已电话告知用户处理结果，用户表示认可。",
    "经现场查看，该处DN100供水管道接口渗漏，已组织开挖维修并回填路面，试压无渗漏，"
    "已与反映人电话联系说明情况，对方表示满意。",
    "经核实，用户所在楼栋加压泵故障导致水压偏低，已更换控制器，高峰时段水压恢复正常，"
    "已回电告知用户。",
    "经复核抄表记录，本月读数无误，用水量增加系户内马桶水箱漏水所致，已向用户说明并指导维修，"
    "用户表示理解。",
    "现场取样检测浊度和余氯均符合标准，发黄系管网冲洗后短时现象，已对该区域放水冲洗，"
    "水质恢复正常，已告知用户。",
    "已与施工单位联系，督促其恢复被挖断的管道和路面，目前已完成修复，现场已清理，"
    "已电话回复反映人。",
]
REJECTION_COMMENTS = [
    "答复未说明处理结果，请补充。",
    "未写明联系用户的时间和方式，请补充后重新答复。",
]
WORK_DONE_TEXTS = [
    "已上门维修，问题已解决。",
    "工作人员电话联系过，已处理。",
    "有人来看过，目前正常。",
]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
SCRIPT_STEPS = ["greeting", "introduction", "inquiry", "thanks", "record", "statistics"]
EXEMPTION_KINDS = ["policy", "judicial", "petition"]
# fmt: on

NULL = "\\N"


# --- COPY text format ----------------------------------------------------------------------------


def copy_text(value) -> str:
    """Return `value` in COPY's text format: escaped text, t/f for booleans, \\N for NULL."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class TimeText:
    """Format Unix seconds as timestamptz text in UTC, from a table of the text of each minute.

    Formatting through datetime objects would cost more than the rest of a row, and the
    generated times fall in a range of a few months, so every minute's text is built once.
    """

    def __init__(self, first: int, last: int):
        self.base = first - first % 60
        count = (last - self.base) // 60 + 1
        self.minutes = [
            datetime.datetime.fromtimestamp(self.base + 60 * k, datetime.UTC).strftime(
                "%Y-%m-%d %H:%M:"
            )
            for k in range(count)
        ]
        self.seconds = [f"{second:02d}+00" for second in range(60)]

    def __call__(self, seconds: int | None) -> str:
        if seconds is None:
            return NULL
        offset = seconds - self.base
        return self.minutes[offset // 60] + self.seconds[offset % 60]


@dataclass
class CopyTable:
    """One table's COPY statement: the generated columns followed by constant default columns."""

    model: object
    columns: list[str]
    statement: str = ""
    # Tab-led text of the required columns that the generator leaves to their defaults.
    tail: str = ""

    def prepare(self) -> None:
        """Build the statement, filling every NOT NULL column that `columns` leaves out.

        Each such column gets the field's default, or the empty string for a text field, as
        Django saves them. Exits for a required column without either, so that a new model field
        stops the benchmark with its name instead of a COPY error.
        """
        from django.db import connection

        defaults = {}
        missing = []
        for model_field in self.model._meta.concrete_fields:
            if model_field.null or model_field.column in self.columns:
                continue
            if model_field.has_default() or model_field.empty_strings_allowed:
                defaults[model_field.column] = copy_text(model_field.get_default())
            else:
                missing.append(model_field.column)
        if missing:
            sys.exit(
                f"{self.model.__name__} has required columns without a default that "
                f"bench/reports.py does not fill: {', '.join(missing)}. Add them to the "
                f"generated columns in bench/reports.py."
            )
        names = ", ".join(connection.ops.quote_name(name) for name in [*self.columns, *defaults])
        table = connection.ops.quote_name(self.model._meta.db_table)
        self.statement = f"COPY {table} ({names}) FROM STDIN"
        self.tail = "".join("\t" + value for value in defaults.values())


ORDER_COLUMNS = [
    "id", "number", "channel", "external_id", "order_type", "category_id", "address",
    "address_key", "content", "reporter", "phone", "department_id", "time_limit_hours", "due_at",
    "callback_required", "night_contact_allowed", "upstream_received_at", "status", "version",
    "dispatch_round", "time_left_at_reply", "extended", "process_callback_pending",
    "exemption_kind", "exemption_status", "merged_into_id", "created_at", "dispatched_at",
    "accepted_at", "accepted_by_id", "replied_at", "closed_at", "updated_at",
]  # fmt: skip
CLOCK_COLUMNS = [
    "id", "order_id", "clock", "dispatch_round", "started_at", "due_at", "warn_at", "met_at",
    "warned_at", "breached_at", "stopped_at", "policy_version",
]  # fmt: skip
EVENT_COLUMNS = ["id", "order_id", "at", "actor_id", "action", "from_status", "to_status", "data"]
REPLY_COLUMNS = [
    "id", "order_id", "dispatch_round", "content", "author_id", "submitted_at", "warnings",
    "policy_version", "status", "department_head_approved_by_id", "department_head_approved_at",
    "reviewed_by_id", "reviewed_at", "review_comment",
]  # fmt: skip
CALLBACK_COLUMNS = [
    "id", "order_id", "kind", "outcome", "reply_truthful", "staff_contacted", "work_done",
    "problem_solved", "script_steps", "agent_id", "at", "slot",
]  # fmt: skip
REQUEST_COLUMNS = [
    "id", "order_id", "kind", "status", "requested_by_id", "requested_at",
    "requesting_department_id", "late", "target_department_id", "contact_person",
    "contact_phone", "buck_passing", "reason", "basis", "evidence", "target_unit", "measures",
    "expected_done_at", "citizen_agreed", "note", "decided_by_id", "decided_at", "comment",
]  # fmt: skip


def copy_tables() -> dict[str, CopyTable]:
    from waterdesk.callbacks.models import CallbackAttempt
    from waterdesk.deadlines.models import Clock
    from waterdesk.orders.models import OrderEvent, OrderRequest, Reply, WorkOrder

    tables = {
        "orders": CopyTable(WorkOrder, ORDER_COLUMNS),
        "clocks": CopyTable(Clock, CLOCK_COLUMNS),
        "events": CopyTable(OrderEvent, EVENT_COLUMNS),
        "replies": CopyTable(Reply, REPLY_COLUMNS),
        "callbacks": CopyTable(CallbackAttempt, CALLBACK_COLUMNS),
        "requests": CopyTable(OrderRequest, REQUEST_COLUMNS),
    }
    for table in tables.values():
        table.prepare()
    return tables


# --- Reference data ------------------------------------------------------------------------------


STAFF_PER_DEPARTMENT = {"handler": 3, "department_head": 1}
# The center handles consultations itself, so it has handlers and a head of its own too.
STAFF_OF_CENTER = {
    "dispatcher": 2, "callback_agent": 4, "center_head": 1, "handler": 2, "department_head": 1,
}  # fmt: skip


@dataclass
class Reference:
    """The preset rows, staff and policy numbers that the generated rows refer to."""

    department_ids: dict[str, int]
    # Category code: (id, time limit in hours).
    categories: dict[str, tuple[int, int]]
    # (department code, role): user ids.
    staff: dict[tuple[str, str], list[int]]
    policy_version: int
    dispatch_seconds: int
    accept_seconds: int
    contact_seconds: int
    transfer_seconds: int
    return_seconds: int
    callback_seconds: int
    warning_lead_percent: int
    warning_lead_min_seconds: int


def ensure_staff() -> None:
    """Create or update the handlers, heads, dispatchers and callback agents that act on orders."""
    from django.contrib.auth.hashers import make_password

    from waterdesk.organization.models import Department, User

    for department in Department.objects.order_by("pk"):
        staff = STAFF_OF_CENTER if department.is_dispatch_center else STAFF_PER_DEPARTMENT
        for role, count in staff.items():
            for position in range(1, count + 1):
                User.objects.update_or_create(
                    username=f"reports_{department.code}_{role}_{position}",
                    defaults={
                        "name": f"{department.name}{position}",
                        "roles": [role],
                        "department": department,
                        "is_active": True,
                        "password": make_password(None),
                    },
                )


def load_reference() -> Reference:
    from waterdesk.orders.models import Category
    from waterdesk.organization.models import Department, User
    from waterdesk.policy.models import get_policy

    policy = get_policy()
    departments = dict(Department.objects.values_list("code", "pk"))
    missing = sorted(set(DEPARTMENT_WEIGHTS) - set(departments))
    if missing:
        sys.exit(
            f"The preset has no department {', '.join(missing)}. Update DEPARTMENT_WEIGHTS in "
            f"bench/reports.py to the departments of waterdesk/policy/preset.py."
        )
    staff: dict[tuple[str, str], list[int]] = {}
    for user in User.objects.filter(username__startswith="reports_").select_related("department"):
        for role in user.roles:
            staff.setdefault((user.department.code, role), []).append(user.pk)
    return Reference(
        department_ids=departments,
        categories={
            code: (pk, hours)
            for code, pk, hours in Category.objects.values_list("code", "pk", "time_limit_hours")
        },
        staff=staff,
        policy_version=policy.version,
        dispatch_seconds=policy.dispatch_minutes * 60,
        accept_seconds=policy.accept_minutes * 60,
        contact_seconds=policy.contact_minutes * 60,
        transfer_seconds=policy.transfer_hours * HOUR,
        return_seconds=policy.return_hours * HOUR,
        callback_seconds=policy.callback_hours * HOUR,
        warning_lead_percent=policy.warning_lead_percent,
        warning_lead_min_seconds=policy.warning_lead_min_seconds,
    )


# --- Order generation ----------------------------------------------------------------------------


def cumulative(weights: list[float]) -> list[float]:
    total = sum(weights)
    running = 0.0
    bounds = []
    for weight in weights:
        running += weight
        bounds.append(running / total)
    bounds[-1] = 1.0
    return bounds


@dataclass
class Rows:
    """The COPY lines of one batch, per table, and the number of rows of each kind so far."""

    lines: dict[str, list[str]] = field(
        default_factory=lambda: {
            name: [] for name in ("orders", "clocks", "events", "replies", "callbacks", "requests")
        }
    )
    counts: Counter = field(default_factory=Counter)


class MonthGenerator:
    """Write the rows of orders created in one month, as the order actions would have left them.

    Times are Unix seconds. Each order walks through its life (create, dispatch, accept, reply,
    review, callback, close) and stops at the status drawn for it. Each step writes the clocks,
    events, replies, callback attempts and requests that the matching action writes.
    """

    def __init__(self, reference: Reference, month: str, timezone_name: str, seed: int):
        from waterdesk.orders.addresses import address_key
        from waterdesk.reports.figures import month_bounds

        self.reference = reference
        start, end = month_bounds(month, timezone_name)
        self.month_start = int(start.timestamp())
        self.month_end = int(end.timestamp())
        self.report_time = self.month_end + REPORT_DELAY_SECONDS
        self.zone = ZoneInfo(timezone_name)
        self.time_text = TimeText(self.month_start - 86400, self.report_time + 40 * 86400)
        self.rng = random.Random(seed)
        self.status_bounds = cumulative([share for _status, share in STATUS_SHARES])
        self.status_total = sum(share for _status, share in STATUS_SHARES)
        self.department_codes = list(DEPARTMENT_WEIGHTS)
        self.department_bounds = cumulative(list(DEPARTMENT_WEIGHTS.values()))
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_bounds = cumulative(list(CHANNEL_WEIGHTS.values()))
        self.hour_bounds = cumulative(HOUR_WEIGHTS)
        self.outcomes = [outcome for outcome, _share in CALLBACK_OUTCOMES]
        self.outcome_bounds = cumulative([share for _outcome, share in CALLBACK_OUTCOMES])
        self.category_codes = list(reference.categories)
        # A pool of addresses with their keys, because address_key costs more than a whole row.
        pool_rng = random.Random(seed + 1)
        self.addresses = []
        for _ in range(20_000):
            address = (
                f"{pool_rng.choice(DISTRICTS)}{pool_rng.choice(ROADS)}{pool_rng.randint(1, 300)}号"
                f"{pool_rng.choice(COMMUNITIES)}{pool_rng.randint(1, 30)}号楼"
                f"{pool_rng.randint(1, 6)}单元"
            )
            self.addresses.append((copy_text(address), copy_text(address_key(address))))
        self.contents = {code: copy_text(text) for code, text in CONTENTS.items()}
        self.replies = [copy_text(text) for text in REPLY_TEXTS]
        self.script_steps = copy_text(SCRIPT_STEPS)
        self.ids = Counter()
        self.statuses = Counter()
        self.flags = Counter()

    # --- Drawing ---------------------------------------------------------------------------------

    def pick(self, items: list, bounds: list[float]):
        draw = self.rng.random()
        for item, bound in zip(items, bounds, strict=True):
            if draw < bound:
                return item
        return items[-1]

    def uniform(self, low: float, high: float) -> int:
        return int(low + (high - low) * self.rng.random())

    def chance(self, share: float) -> bool:
        return self.rng.random() < share

    def user(self, department: str, role: str) -> int:
        return self.rng.choice(self.reference.staff[(department, role)])

    def draw_status(self) -> str:
        draw = self.rng.random()
        if draw >= self.status_total:
            return "closed"
        return self.pick([status for status, _share in STATUS_SHARES], self.status_bounds)

    def draw_created(self, still_open: bool) -> int:
        """Return a creation time in the month, by the hour weights, late in it for open orders."""
        if still_open:
            return self.month_end - 1 - self.uniform(0, OPEN_ORDER_WINDOW_SECONDS)
        day = self.uniform(0, (self.month_end - self.month_start) // 86400)
        hour = self.pick(list(range(24)), self.hour_bounds)
        return self.month_start + day * 86400 + hour * HOUR + self.uniform(0, HOUR)

    def step(self, usual_low: int, usual_high: int, late_share: float, due: int, start: int) -> int:
        """Return when a step after `start` happens: usually within its limit, late by share."""
        if self.chance(late_share):
            span = due - start
            return due + self.uniform(60, max(span, 600))
        return start + self.uniform(usual_low, min(usual_high, due - start - 1))

    # --- Rows ------------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def event(self, order, at, action, from_status, to_status, actor=None, data="{}") -> None:
        ts = self.time_text
        self.rows.lines["events"].append(
            f"{self.next_id('events')}\t{order['id']}\t{ts(at)}\t"
            f"{NULL if actor is None else actor}\t{action}\t{from_status}\t{to_status}\t{data}"
            f"{self.tables['events'].tail}\n"
        )

    def clock(self, order, name, round_number, started, due, met=None, stopped=None) -> None:
        """Write a clock and the warning and breach events that the sweeper gave it.

        A clock met or stopped after its due time, or still open past it at the report time,
        is breached. One open past its warning time gets a warning unless it breached first.
        """
        reference = self.reference
        lead = max(
            (due - started) * reference.warning_lead_percent // 100,
            reference.warning_lead_min_seconds,
        )
        warn = max(due - lead, started)
        if met is not None:
            end = met
        elif stopped is not None:
            end = stopped
        else:
            end = self.report_time
        warned = warn + SWEEP_LAG_SECONDS if warn + SWEEP_LAG_SECONDS < min(end, due) else None
        breached = due if end > due else None
        status = order["status_during"].get(name, "accepted")
        department = order["department"]
        if warned is not None:
            data = f'{{"clock": "{name}", "round": {round_number}, "department": "{department}"}}'
            self.event(order, warned, "warning", status, status, data=data)
        if breached is not None:
            data = f'{{"clock": "{name}", "round": {round_number}, "department": "{department}"}}'
            self.event(
                order, min(due + SWEEP_LAG_SECONDS, end), "breach", status, status, data=data
            )
        ts = self.time_text
        self.rows.lines["clocks"].append(
            f"{self.next_id('clocks')}\t{order['id']}\t{name}\t{round_number}\t{ts(started)}\t"
            f"{ts(due)}\t{ts(warn)}\t{ts(met)}\t{ts(warned)}\t{ts(breached)}\t{ts(stopped)}\t"
            f"{reference.policy_version}{self.tables['clocks'].tail}\n"
        )

    def reply(self, order, round_number, at, status, reviewed_by=None, reviewed_at=None) -> int:
        reply_id = self.next_id("replies")
        ts = self.time_text
        head = head_at = NULL
        if order["order_type"] == "redo":
            head = str(self.user(order["department"], "department_head"))
            head_at = ts(at + self.uniform(600, 4 * HOUR))
        comment = self.rng.choice(REJECTION_COMMENTS) if status == "rejected" else ""
        self.rows.lines["replies"].append(
            f"{reply_id}\t{order['id']}\t{round_number}\t{self.rng.choice(self.replies)}\t"
            f"{self.user(order['department'], 'handler')}\t{ts(at)}\t[]\t"
            f"{self.reference.policy_version}\t{status}\t{head}\t{head_at}\t"
            f"{NULL if reviewed_by is None else reviewed_by}\t{ts(reviewed_at)}\t{comment}"
            f"{self.tables['replies'].tail}\n"
        )
        return reply_id

    def callback(self, order, kind, outcome, at, truthful) -> tuple[int, str]:
        """Write a callback attempt; return its id and the data of its event."""
        attempt_id = self.next_id("callbacks")
        reached = outcome != "unreachable"
        local = datetime.datetime.fromtimestamp(at, self.zone)
        slot = f"{local.date().isoformat()}#{0 if local.hour < 13 else 1}"
        self.rows.lines["callbacks"].append(
            f"{attempt_id}\t{order['id']}\t{kind}\t{outcome}\t{copy_text(truthful)}\t"
            f"{'t' if reached else NULL}\t"
            f"{copy_text(self.rng.choice(WORK_DONE_TEXTS)) if reached else ''}\t"
            f"{'t' if reached and outcome != 'unsatisfied' else NULL}\t{self.script_steps}\t"
            f"{self.user('dispatch_center', 'callback_agent')}\t{self.time_text(at)}\t{slot}"
            f"{self.tables['callbacks'].tail}\n"
        )
        data = f'{{"attempt": {attempt_id}, "kind": "{kind}", "outcome": "{outcome}"}}'
        return attempt_id, data

    def request(
        self,
        order,
        kind,
        status,
        requested_at,
        requesting_department,
        *,
        late=False,
        target_department=None,
        buck_passing=False,
        decided_at=None,
        expected_done_at=None,
    ) -> int:
        request_id = self.next_id("requests")
        reference = self.reference
        ts = self.time_text
        contact_person = contact_phone = reason = basis = evidence = target_unit = measures = ""
        if kind == "transfer" and not order.get("without_person"):
            contact_person = f"{self.rng.choice(SURNAMES)}工"
            contact_phone = f"139{self.uniform(0, 10**8):08d}"
        if kind == "return":
            reason = "反映事项不属于供水企业职责范围。"
            basis = "按照职责分工，小区内部管网由物业负责维护。"
            evidence = "现场查看为小区自建管网，照片已上传。"
            target_unit = "小区物业公司"
        if kind == "extension":
            measures = "需停水更换主管道，已协调施工队伍，预计三日内完成。"
        decided_by = NULL
        if decided_at is not None and not (kind == "transfer" and late):
            decided_by = str(self.user("dispatch_center", "center_head"))
        self.rows.lines["requests"].append(
            f"{request_id}\t{order['id']}\t{kind}\t{status}\t"
            f"{self.user(requesting_department, 'handler')}\t{ts(requested_at)}\t"
            f"{reference.department_ids[requesting_department]}\t{copy_text(late)}\t"
            f"{NULL if target_department is None else reference.department_ids[target_department]}"
            f"\t{contact_person}\t{contact_phone}\t{copy_text(buck_passing)}\t{reason}\t{basis}\t"
            f"{evidence}\t{target_unit}\t{measures}\t{ts(expected_done_at)}\t"
            f"{copy_text(kind == 'extension')}\t\t{decided_by}\t{ts(decided_at)}\t"
            f"{'同意' if status == 'approved' else ''}{self.tables['requests'].tail}\n"
        )
        return request_id

    # --- One order's life ------------------------------------------------------------------------

    def write_order(self, order_id: int) -> None:
        """Write one order and every row its life so far has left, up to its final status."""
        reference = self.reference
        rng = self.rng
        status = self.draw_status()
        still_open = status in ("accepted", "replied", "callback_pending")
        department = self.pick(self.department_codes, self.department_bounds)
        if self.chance(OWN_CATEGORY_SHARE):
            category = rng.choice(DEPARTMENT_CATEGORIES[department])
        else:
            category = rng.choice(self.category_codes)
        category_id, hours = reference.categories[category]
        channel = self.pick(self.channels, self.channel_bounds)
        created = self.draw_created(still_open)
        draw = rng.random()
        order_type = (
            "redo"
            if draw < REDO_SHARE
            else "urgent"
            if draw < REDO_SHARE + URGENT_SHARE
            else "general"
        )
        phone = (
            f"1{rng.choice('3589')}{self.uniform(0, 10**9):09d}"
            if self.chance(PHONE_SHARE)
            else None
        )
        callback_required = self.chance(CALLBACK_REQUIRED_SHARE)
        upstream = due_at = None
        if channel == "upper_hotline":
            upstream = created - self.uniform(300, HOUR)
            due_at = upstream + hours * HOUR
        order = {
            "id": order_id,
            "department": department,
            "order_type": order_type,
            "status_during": {
                "dispatch": "new",
                "accept": "dispatched",
                "callback": "callback_pending",
            },
        }
        state = {
            "status": "new",
            "version": 1,
            "round": 0,
            "dispatched": None,
            "accepted": None,
            "accepted_by": None,
            "replied": None,
            "closed": None,
            "time_left": None,
            "extended": False,
            "process_pending": False,
            "exemption_kind": "",
            "exemption_status": "",
            "merged_into": None,
            "updated": created,
        }
        self.event(
            order,
            created,
            "create",
            "",
            "new",
            data=f'{{"channel": "{channel}", "department": "{department}"}}',
        )
        self.live(order, state, status, created, hours, due_at, phone, callback_required)

        self.statuses[state["status"]] += 1
        self.flags["redo"] += order_type == "redo"
        self.flags["excluded"] += state["exemption_status"] == "approved"
        address, key = rng.choice(self.addresses)
        local_day = datetime.datetime.fromtimestamp(created, self.zone).strftime("%Y%m%d")
        ts = self.time_text
        reporter = f"{rng.choice(SURNAMES)}先生" if self.chance(REPORTER_SHARE) else None
        time_left = state["time_left"]
        self.rows.lines["orders"].append(
            f"{order_id}\tGD{local_day}{order_id:08d}\t{channel}\t"
            f"{f'SZ{order_id:010d}' if channel == 'upper_hotline' else NULL}\t{order_type}\t"
            f"{category_id}\t{address}\t{key}\t{self.contents[category]}\t{copy_text(reporter)}\t"
            f"{copy_text(phone)}\t{reference.department_ids[order['department']]}\t{hours}.00\t"
            f"{ts(due_at)}\t{copy_text(callback_required)}\t"
            f"{copy_text(self.chance(NIGHT_CONTACT_SHARE))}\t{ts(upstream)}\t{state['status']}\t"
            f"{state['version']}\t{state['round']}\t"
            f"{NULL if time_left is None else f'{time_left} seconds'}\t"
            f"{copy_text(state['extended'])}\t{copy_text(state['process_pending'])}\t"
            f"{state['exemption_kind']}\t{state['exemption_status']}\t"
            f"{copy_text(state['merged_into'])}\t{ts(created)}\t{ts(state['dispatched'])}\t"
            f"{ts(state['accepted'])}\t{copy_text(state['accepted_by'])}\t"
            f"{ts(state['replied'])}\t{ts(state['closed'])}\t{ts(state['updated'])}"
            f"{self.tables['orders'].tail}\n"
        )

    def move(self, order, state, at, action, to_status, actor=None, data="{}") -> None:
        """Record an action that changes the order's status, as apply_transition does."""
        self.event(order, at, action, state["status"], to_status, actor, data)
        state["status"] = to_status
        state["version"] += 1
        state["updated"] = at

    def note(self, order, state, at, action, actor=None, data="{}") -> None:
        """Record an action that leaves the status as it is, as record_without_transition does."""
        self.event(order, at, action, state["status"], state["status"], actor, data)
        state["version"] += 1
        state["updated"] = at

    def live(self, order, state, final, created, hours, order_due, phone, callback_required):
        """Walk the order from creation to its final status, writing the rows of each step."""
        reference = self.reference
        center = "dispatch_center"
        dispatcher = self.user(center, "dispatcher")
        head = self.user(center, "center_head")

        # Dispatch (派发), or a merge into an earlier order before it.
        dispatch_due = created + reference.dispatch_seconds
        if final == "merged" and self.chance(MERGED_BEFORE_DISPATCH_SHARE):
            merged = created + self.uniform(60, 240)
            self.clock(order, "dispatch", 0, created, dispatch_due, stopped=merged)
            self.merge(order, state, merged, dispatcher)
            return
        dispatched = self.step(40, 240, LATE_DISPATCH_SHARE, dispatch_due, created)
        self.clock(order, "dispatch", 0, created, dispatch_due, met=dispatched)
        state["round"] = 1
        state["dispatched"] = dispatched
        department = order["department"]
        transfer_from = None
        if self.chance(TRANSFER_SHARE) and final not in ("merged", "returned"):
            # The order was first sent to another department, which handed it over.
            transfer_from = self.rng.choice(
                [code for code in self.department_codes if code not in (department, center)]
            )
        first_department = transfer_from or department
        self.move(
            order,
            state,
            dispatched,
            "dispatch",
            "dispatched",
            dispatcher,
            f'{{"department": "{first_department}", "from_department": null}}',
        )

        # Resolution clock (处理时限): from dispatch to the reply, or to the hotline's due time.
        resolution_due = order_due if order_due is not None else dispatched + hours * HOUR
        resolution_due = max(resolution_due, dispatched + HOUR)

        # Acceptance (接单), or a merge while waiting for it.
        accept_due = dispatched + reference.accept_seconds
        if final == "merged":
            merged = dispatched + self.uniform(60, 200)
            self.clock(order, "accept", 1, dispatched, accept_due, stopped=merged)
            self.clock(order, "resolution", 1, dispatched, resolution_due, stopped=merged)
            self.merge(order, state, merged, dispatcher)
            return
        accepted = self.step(30, 240, LATE_ACCEPT_SHARE, accept_due, dispatched)
        self.clock(order, "accept", 1, dispatched, accept_due, met=accepted)
        handler = self.user(first_department, "handler")
        self.move(order, state, accepted, "accept", "accepted", handler)
        state["accepted"] = accepted
        state["accepted_by"] = handler
        contact_round = 1
        contacted = None
        if phone:
            contact_due = accepted + reference.contact_seconds
            contacted = self.step(120, 1140, LATE_CONTACT_SHARE, contact_due, accepted)

        # Hand-over (转办) from the first department, within the hand-over limit from acceptance.
        now = accepted
        if transfer_from is not None:
            now = self.transfer(order, state, transfer_from, accepted, head)
            if state["status"] == "dispatched":
                # Approved: the first department's contact clock stops unless it was met, and
                # the new department accepts the order in round 2, with a new contact clock.
                if phone:
                    met = contacted if contacted <= now else None
                    self.clock(
                        order,
                        "contact",
                        1,
                        accepted,
                        accepted + reference.contact_seconds,
                        met=met,
                        stopped=None if met else now,
                    )
                accept_due = now + reference.accept_seconds
                accepted = self.step(30, 240, LATE_ACCEPT_SHARE, accept_due, now)
                self.clock(order, "accept", state["round"], now, accept_due, met=accepted)
                handler = self.user(department, "handler")
                self.move(order, state, accepted, "accept", "accepted", handler)
                state["accepted"] = accepted
                state["accepted_by"] = handler
                if phone:
                    contact_round = state["round"]
                    contact_due = accepted + reference.contact_seconds
                    contacted = self.step(120, 1140, LATE_CONTACT_SHARE, contact_due, accepted)
                now = accepted
            else:
                # Rejected as buck-passing: the order stays with the department that requested it.
                order["department"] = department = transfer_from
        if phone:
            self.clock(
                order,
                "contact",
                contact_round,
                accepted,
                accepted + reference.contact_seconds,
                met=contacted,
            )
            now = max(now, contacted)

        # Return to the 12345 hotline (退单), counted from acceptance.
        if final == "returned" or self.chance(RETURN_REJECTED_SHARE):
            now = self.return_request(order, state, final == "returned", accepted, now, head)
            if final == "returned":
                self.clock(order, "resolution", 1, dispatched, resolution_due, stopped=now)
                return

        # Extension (延期): moves the resolution due time, with a process callback.
        if self.chance(EXTENSION_SHARE) and final != "returned":
            requested_at = now + self.uniform(HOUR, max(2 * HOUR, (resolution_due - now) // 2))
            decided = requested_at + self.uniform(600, 4 * HOUR)
            extended_due = resolution_due + self.uniform(1, 4) * 86400
            self.request(
                order,
                "extension",
                "approved",
                requested_at,
                department,
                decided_at=decided,
                expected_done_at=extended_due,
            )
            self.note(order, state, requested_at, "extension_request", state["accepted_by"])
            self.note(order, state, decided, "extension_decision", head, '{"decision": "approve"}')
            resolution_due = extended_due
            state["extended"] = True
            call_at = decided + self.uniform(HOUR, 20 * HOUR)
            if call_at < self.report_time:
                _attempt, data = self.callback(order, "process", "satisfied", call_at, None)
                self.note(order, state, call_at, "callback", None, data)
            else:
                state["process_pending"] = True
            now = decided

        # Reply (答复) and review (审单), a rejected reply sending it out again in a new round.
        if final == "accepted":
            self.clock(order, "resolution", 1, dispatched, resolution_due)
            return
        rounds = 2 if self.chance(REJECTED_REPLY_SHARE) and final != "replied" else 1
        resolution_start = dispatched
        for attempt in range(1, rounds + 1):
            replied = self.step(
                HOUR // 2,
                max(HOUR, int((resolution_due - now) * 0.9)),
                LATE_REPLY_SHARE,
                resolution_due,
                now,
            )
            replied = max(replied, now + 60)
            self.clock(
                order, "resolution", state["round"], resolution_start, resolution_due, met=replied
            )
            state["time_left"] = max(resolution_due - replied, 0)
            state["replied"] = replied
            if final == "replied":
                reply_id = self.reply(order, state["round"], replied, "submitted")
                self.move(
                    order,
                    state,
                    replied,
                    "reply",
                    "replied",
                    state["accepted_by"],
                    f'{{"reply": {reply_id}, "warnings": [], "exemption": null}}',
                )
                return
            reviewed = replied + self.uniform(HOUR // 2, 8 * HOUR)
            rejected = attempt < rounds
            reply_id = self.reply(
                order,
                state["round"],
                replied,
                "rejected" if rejected else "approved",
                head,
                reviewed,
            )
            self.move(
                order,
                state,
                replied,
                "reply",
                "replied",
                state["accepted_by"],
                f'{{"reply": {reply_id}, "warnings": [], "exemption": null}}',
            )
            if not rejected:
                break
            self.move(
                order,
                state,
                reviewed,
                "review",
                "dispatched",
                head,
                f'{{"decision": "reject", "reply": {reply_id}}}',
            )
            state["round"] += 1
            state["dispatched"] = reviewed
            accept_due = reviewed + reference.accept_seconds
            accepted = self.step(30, 240, LATE_ACCEPT_SHARE, accept_due, reviewed)
            self.clock(order, "accept", state["round"], reviewed, accept_due, met=accepted)
            self.move(order, state, accepted, "accept", "accepted", state["accepted_by"])
            state["accepted"] = accepted
            if phone:
                contact_due = accepted + reference.contact_seconds
                contacted = self.step(120, 1140, LATE_CONTACT_SHARE, contact_due, accepted)
                self.clock(order, "contact", state["round"], accepted, contact_due, met=contacted)
            resolution_start = reviewed
            resolution_due = reviewed + max(state["time_left"], 60)
            now = accepted

        # Approved: a callback is owed when required and possible, else the order closes.
        if not (callback_required and phone):
            self.move(
                order,
                state,
                reviewed,
                "review",
                "closed",
                head,
                f'{{"decision": "approve", "reply": {reply_id}, '
                f'"closed_because": "no_callback_needed"}}',
            )
            state["closed"] = reviewed
            self.exemption(order, state, reviewed, head)
            return
        self.move(
            order,
            state,
            reviewed,
            "review",
            "callback_pending",
            head,
            f'{{"decision": "approve", "reply": {reply_id}}}',
        )
        self.result_callback(order, state, final, reviewed, head)
        if state["status"] == "closed":
            self.exemption(order, state, state["closed"], head)

    def merge(self, order, state, at, dispatcher) -> None:
        # Merged into an earlier order of the same place; the first order of a run has none.
        earlier = order["id"] - self.uniform(1, 200)
        state["merged_into"] = earlier if earlier >= self.first_id else None
        self.move(
            order,
            state,
            at,
            "merge",
            "merged",
            dispatcher,
            f'{{"into": {copy_text(state["merged_into"]).replace(NULL, "null")}}}',
        )

    def transfer(self, order, state, from_department, accepted, head) -> int:
        """Write a hand-over request from `from_department`; return when it was decided."""
        reference = self.reference
        transfer_due = accepted + reference.transfer_seconds
        requested_at = self.step(600, 3 * HOUR, TRANSFER_LATE_SHARE, transfer_due, accepted)
        self.clock(order, "transfer", 1, accepted, transfer_due, met=requested_at)
        late = requested_at > transfer_due
        order["without_person"] = self.chance(TRANSFER_WITHOUT_PERSON_SHARE)
        handler = state["accepted_by"]
        target = order["department"]

        self.note(
            order,
            state,
            requested_at,
            "transfer_request",
            handler,
            f'{{"department": "{target}", "late": {json.dumps(late)}}}',
        )
        if late or order["without_person"]:
            # Rejected on the spot as buck-passing, without a decision by the center.
            self.request(
                order,
                "transfer",
                "rejected",
                requested_at,
                from_department,
                late=late,
                target_department=target,
                buck_passing=True,
                decided_at=requested_at,
            )
            self.note(
                order,
                state,
                requested_at,
                "transfer_decision",
                None,
                '{"decision": "reject", "buck_passing": true}',
            )
            return requested_at

        decided = requested_at + self.uniform(600, 3 * HOUR)
        if self.chance(TRANSFER_APPROVED_SHARE):
            self.request(
                order,
                "transfer",
                "approved",
                requested_at,
                from_department,
                target_department=target,
                decided_at=decided,
            )
            state["round"] += 1
            state["dispatched"] = decided
            self.move(
                order,
                state,
                decided,
                "transfer_decision",
                "dispatched",
                head,
                f'{{"decision": "approve", "department": "{target}", '
                f'"from_department": "{from_department}"}}',
            )
            return decided

        self.request(
            order,
            "transfer",
            "rejected",
            requested_at,
            from_department,
            target_department=target,
            buck_passing=True,
            decided_at=decided,
        )
        self.move(
            order,
            state,
            decided,
            "transfer_decision",
            "accepted",
            head,
            '{"decision": "reject", "buck_passing": true}',
        )
        return decided

    def return_request(self, order, state, approved, accepted, now, head) -> int:
        """Write a return request and its decision; return when it was decided."""
        return_due = accepted + self.reference.return_seconds
        requested_at = self.step(HOUR, 20 * HOUR, RETURN_LATE_SHARE, return_due, accepted)
        requested_at = max(requested_at, now + 60)
        self.clock(order, "return", state["round"], accepted, return_due, met=requested_at)
        late = requested_at > return_due
        decided = requested_at + self.uniform(HOUR, 8 * HOUR)
        self.request(
            order,
            "return",
            "approved" if approved else "rejected",
            requested_at,
            order["department"],
            late=late,
            decided_at=decided,
        )
        self.note(
            order,
            state,
            requested_at,
            "return_request",
            state["accepted_by"],
            f'{{"late": {json.dumps(late)}}}',
        )
        if approved:
            self.move(
                order,
                state,
                decided,
                "return_decision",
                "returned",
                head,
                '{"decision": "approve"}',
            )
        else:
            self.note(order, state, decided, "return_decision", head, '{"decision": "reject"}')
        return decided

    def result_callback(self, order, state, final, reviewed, head) -> None:
        """Write the result callback attempts after an approved reply and close the order."""
        callback_due = reviewed + self.reference.callback_seconds
        round_number = state["round"]
        if final == "callback_pending":
            first = reviewed + self.uniform(HOUR, 10 * HOUR)
            if self.chance(PENDING_CALLBACK_FAILED_SHARE) and first < self.report_time:
                _attempt, data = self.callback(order, "result", "unreachable", first, None)
                self.note(order, state, first, "callback", None, data)
            self.clock(order, "callback", round_number, reviewed, callback_due)
            return

        done = self.step(HOUR, 20 * HOUR, LATE_CALLBACK_SHARE, callback_due, reviewed)
        outcome = self.pick(self.outcomes, self.outcome_bounds)
        if outcome == "unreachable" or self.chance(FIRST_ATTEMPT_UNREACHABLE_SHARE):
            # A failed attempt soon after the review, and the final one in a later slot.
            failed = reviewed + self.uniform(600, HOUR)
            done = max(done, failed + 12 * HOUR)
            _attempt, data = self.callback(order, "result", "unreachable", failed, None)
            self.note(order, state, failed, "callback", None, data)

        truthful = None
        if outcome != "unreachable":
            truthful = not self.chance(UNTRUE_REPLY_SHARE)
        _attempt, data = self.callback(order, "result", outcome, done, truthful)
        self.clock(order, "callback", round_number, reviewed, callback_due, met=done)
        if outcome in ("satisfied", "basically_satisfied") and truthful:
            self.move(order, state, done, "callback", "closed", None, data)
            state["closed"] = done
            return
        # Unsatisfied, untrue or unreachable twice: the center head closes it with a reason.
        self.note(order, state, done, "callback", None, data)
        closed = done + self.uniform(HOUR, 24 * HOUR)
        self.move(order, state, closed, "close", "closed", head, '{"reason": "已向用户解释说明"}')
        state["closed"] = closed

    def exemption(self, order, state, at, head) -> None:
        """Mark a share of closed orders as proposed for exclusion, excluded, or rejected."""
        draw = self.rng.random()
        if draw >= EXCLUDED_SHARE + EXEMPTION_PROPOSED_SHARE + EXEMPTION_REJECTED_SHARE:
            return
        state["exemption_kind"] = self.rng.choice(EXEMPTION_KINDS)
        if draw < EXEMPTION_PROPOSED_SHARE:
            state["exemption_status"] = "proposed"
            return
        approved = draw < EXEMPTION_PROPOSED_SHARE + EXCLUDED_SHARE
        state["exemption_status"] = "approved" if approved else "rejected"
        decided = at + self.uniform(HOUR, 48 * HOUR)
        self.note(
            order,
            state,
            decided,
            "exemption_decision",
            head,
            f'{{"decision": "{"approve" if approved else "reject"}"}}',
        )

    # --- Batches ---------------------------------------------------------------------------------

    def write(self, first_id: int, count: int, tables: dict[str, CopyTable]) -> Counter:
        """Write orders first_id .. first_id + count - 1 with COPY; return the rows per table."""
        from django.db import connection, transaction

        self.tables = tables
        self.first_id = first_id
        with connection.cursor() as cursor:
            for name, table in tables.items():
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.model._meta.db_table}")
                self.ids[name] = cursor.fetchone()[0]
        before = Counter(self.ids)
        started = time.perf_counter()
        last_id = first_id + count - 1
        for batch_start in range(first_id, last_id + 1, COPY_BATCH_ORDERS):
            batch_end = min(batch_start + COPY_BATCH_ORDERS - 1, last_id)
            self.rows = Rows()
            self.ids["orders"] = batch_end
            for order_id in range(batch_start, batch_end + 1):
                self.write_order(order_id)
            with transaction.atomic(), connection.cursor() as cursor:
                # NOTE: the foreign key triggers are off while the rows are copied (superuser
                # only, this session only). The generator writes only ids that exist, and the
                # checks would double the load time.
                cursor.execute("SET LOCAL session_replication_role = replica")
                for name, table in tables.items():
                    lines = self.rows.lines[name]
                    if not lines:
                        continue
                    with cursor.copy(table.statement) as copy:
                        copy.write("".join(lines).encode())
            done = batch_end - first_id + 1
            if done % (COPY_BATCH_ORDERS * 10) == 0 or batch_end == last_id:
                print(
                    f"  {done:>9} orders written, {time.perf_counter() - started:6.1f} s",
                    flush=True,
                )
        with connection.cursor() as cursor:
            for name, table in tables.items():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table.model._meta.db_table, max(self.ids[name], 1)],
                )
        return Counter({name: self.ids[name] - before[name] for name in tables})


def generate(first_id: int, count: int, args, reference: Reference) -> MonthGenerator:
    """Add `count` orders of the month from `first_id` on, then VACUUM ANALYZE."""
    from django.db import connection

    tables = copy_tables()
    generator = MonthGenerator(reference, args.month, args.timezone, args.seed + first_id)
    started = time.perf_counter()
    rows = generator.write(first_id, count, tables)
    print(f"  rows written: {', '.join(f'{name} {rows[name]}' for name in tables)}")
    print(
        f"  per order: {rows['clocks'] / count:.2f} clocks, {rows['events'] / count:.2f} events, "
        f"{rows['replies'] / count:.2f} replies, {rows['callbacks'] / count:.2f} callback "
        f"attempts, {rows['requests'] / count:.3f} requests; COPY took "
        f"{time.perf_counter() - started:.1f} s"
    )
    derive_loaded_facts(count)
    vacuum_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE, {time.perf_counter() - vacuum_started:.1f} s", flush=True)
    return generator


def derive_loaded_facts(count: int) -> None:
    """Derive the assessment facts of the loaded orders, as the periodic refresh would.

    COPY writes no events, so the loaded orders arrive marked stale (the column's default) and
    the product's own refresh derives them, batch by batch, before anything is timed. Two
    threads run it at once, as two Celery workers would: each skips the batch the other holds.
    """
    from django.db import connection

    from waterdesk.reports.facts import refresh_stale_facts

    def refresh_until_done() -> int:
        derived = 0
        try:
            while passed := refresh_stale_facts():
                derived += passed
        finally:
            connection.close()
        return derived

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=DERIVING_THREADS) as pool:
        derived = sum(pool.map(lambda _thread: refresh_until_done(), range(DERIVING_THREADS)))
    seconds = time.perf_counter() - started
    print(
        f"  assessment facts derived for {derived} orders in {seconds:.1f} s "
        f"({derived / seconds:.0f} orders/s)",
        flush=True,
    )
    if derived != count:
        sys.exit(f"{count} orders were loaded but {derived} had their facts derived.")


def time_periodic_refresh(orders: int) -> float:
    """Mark PERIODIC_STALE_ORDERS orders stale, as events would, and time one periodic pass."""
    from waterdesk.orders.models import WorkOrder
    from waterdesk.reports.facts import refresh_stale_facts

    picked = random.Random(orders).sample(range(1, orders + 1), PERIODIC_STALE_ORDERS)
    WorkOrder.objects.filter(pk__in=picked).update(assessment_stale=True)
    started = time.perf_counter()
    derived = refresh_stale_facts()
    seconds = time.perf_counter() - started
    print(
        f"\nOne periodic facts pass after events on {derived} of {orders} orders: "
        f"{seconds * 1000:.0f} ms"
    )
    return seconds


# --- Measurement ---------------------------------------------------------------------------------


def backend_cpu_seconds(pid: int) -> float:
    """Return the CPU time used so far by the PostgreSQL backend `pid`, from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class MonthTiming:
    orders: int
    seconds: list[float]
    process_cpu: list[float]
    backend_cpu: list[float]
    cpu_description: str
    # Per statement of the captured run: (seconds, first words of the SQL).
    statements: list[tuple[float, str]]
    main_query: common.LoggedQuery
    result: dict
    load_average: str

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def time_compute_month(args, orders: int) -> MonthTiming:
    """Run compute_month once to warm up, capturing its SQL, then `args.runs` timed runs."""
    from django.db import connection

    from waterdesk.reports.figures import compute_month

    with common.QueryLog() as log:
        result = compute_month(args.month, args.timezone)
    statements = []
    for query in log.queries:
        one_line = " ".join(query.sql.split())
        statements.append((query.seconds, one_line[:90]))
    main_query = max(log.queries, key=lambda query: query.seconds)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend_pid,) = cursor.fetchone()
    seconds, process_cpu, backend_cpu = [], [], []
    with common.CpuUsage(database_name=connection.settings_dict["NAME"]) as usage:
        for _ in range(args.runs):
            process_before = time.process_time()
            backend_before = backend_cpu_seconds(backend_pid)
            started = time.perf_counter()
            compute_month(args.month, args.timezone)
            seconds.append(time.perf_counter() - started)
            process_cpu.append(time.process_time() - process_before)
            backend_cpu.append(backend_cpu_seconds(backend_pid) - backend_before)
    return MonthTiming(
        orders=orders,
        seconds=seconds,
        process_cpu=process_cpu,
        backend_cpu=backend_cpu,
        cpu_description=usage.describe(),
        statements=statements,
        main_query=main_query,
        result=result,
        load_average=" ".join(Path("/proc/loadavg").read_text().split()[:3]),
    )


def time_drill_down(args, totals: dict) -> list[list[str]]:
    """Time figure_orders(...).count() per figure, for the month and for one department.

    Exits when a count differs from the figure in compute_month, because the drill-down list
    must have as many orders as the figure counts.
    """
    from waterdesk.reports.figures import compute_month, figure_orders

    by_department = {
        row["department"]: row
        for row in compute_month(args.month, args.timezone, DRILL_DOWN_DEPARTMENT)["departments"]
    }
    rows = []
    for figure in DRILL_DOWN_FIGURES:
        for department in (None, DRILL_DOWN_DEPARTMENT):
            queryset = figure_orders(args.month, args.timezone, figure, department)
            expected = totals[figure] if department is None else by_department[department][figure]
            count = queryset.count()
            if count != expected:
                sys.exit(
                    f"figure_orders({args.month!r}, {figure!r}, {department!r}).count() returned "
                    f"{count}, but compute_month counts {expected}. The drill-down and the "
                    f"figure disagree; check waterdesk/reports/figures.py."
                )
            seconds = []
            for _ in range(args.runs):
                started = time.perf_counter()
                queryset.count()
                seconds.append(time.perf_counter() - started)
            rows.append(
                [
                    figure,
                    department or "all",
                    str(count),
                    common.milliseconds(statistics.median(seconds)),
                    common.milliseconds(max(seconds)),
                ]
            )
    return rows


def check_counts(totals: dict, generators: list[MonthGenerator]) -> None:
    """Exit unless the figures that depend only on the order rows match what was generated."""
    statuses = sum((generator.statuses for generator in generators), Counter())
    flags = sum((generator.flags for generator in generators), Counter())
    orders = sum(statuses.values())
    excluded = flags["excluded"]
    expected = {
        "received": orders - statuses["merged"] - excluded,
        "excluded": excluded,
        "closed": statuses["closed"] - excluded,
    }
    found = {name: totals[name] for name in expected}
    if found != expected:
        sys.exit(
            f"compute_month counted {found}, but the generated orders give {expected}. "
            f"The figures' base set no longer matches the generated statuses."
        )


def report_month(timing: MonthTiming, drill_down: list[list[str]]) -> None:
    total = timing.result["total"]
    print(f"\ncompute_month at {timing.orders} orders (load average {timing.load_average}):")
    print(
        f"  wall: median {timing.median:.3f} s, max {max(timing.seconds):.3f} s "
        f"(runs: {', '.join(f'{value:.3f}' for value in timing.seconds)})"
    )
    print(
        f"  CPU per run: this process {statistics.median(timing.process_cpu):.3f} s, its "
        f"PostgreSQL backend {statistics.median(timing.backend_cpu):.3f} s (medians)"
    )
    print(f"  {timing.cpu_description} (over the {len(timing.seconds)} runs)")
    print("  statements of one run:")
    for seconds, text in timing.statements:
        print(f"    {seconds:7.3f} s  {text}")
    figures = [name for name in total if name != "department"]
    print("  month totals: " + ", ".join(f"{name} {total[name]}" for name in figures))
    print("\nDrill-down figure_orders(...).count():")
    print(common.format_table(["figure", "department", "count", "median ms", "max ms"], drill_down))


def print_explain(timing: MonthTiming) -> None:
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the grouped query at {timing.orders} orders:")
    print(common.sql_text(timing.main_query))
    print()
    for line in common.explain_analyze(timing.main_query):
        print(line)


# --- Main ----------------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--orders", type=int, default=TARGET_ORDERS, help="orders in the first measured month"
    )
    parser.add_argument(
        "--scale-to",
        type=int,
        default=3_000_000,
        help="orders in the month for the second measurement (0 skips it)",
    )
    parser.add_argument("--month", default="2026-11", help="the month of the orders, YYYY-MM")
    parser.add_argument(
        "--timezone", default="Asia/Shanghai", help="IANA time zone of the month's bounds"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--seed", type=int, default=20261101, help="random seed of the data")
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep the orders already in the database when there are exactly --orders of them",
    )

    args = parser.parse_args()
    if args.orders < 1:
        parser.error(f"--orders must be at least 1, got {args.orders}")
    if args.scale_to and args.scale_to <= args.orders:
        parser.error(
            f"--scale-to must exceed --orders ({args.orders}) or be 0, got {args.scale_to}"
        )
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    return args


def month_order_count(args) -> int:
    from waterdesk.reports.figures import month_orders

    return month_orders(args.month, args.timezone).count()


def main() -> None:
    args = parse_arguments()
    database = common.read_bench_database()
    if common.create_database_if_missing(database):
        print(f"Created the database {database.name}.")
    common.setup_django(database)
    from waterdesk.orders.models import WorkOrder

    common.prepare_schema()
    ensure_staff()
    reference = load_reference()

    print("Machine:")
    for name, value in common.machine_summary():
        print(f"  {name}: {value}")

    generators = []
    existing = WorkOrder.objects.count()
    if args.reuse_data and existing == args.orders == month_order_count(args):
        print(f"\nReusing the {existing} orders of {args.month} already in {database.name}.")
        # NOTE: with reused data the generated statuses are unknown, so check_counts is skipped.
    else:
        print(f"\nWriting {args.orders} orders created in {args.month} ({args.timezone}):")
        common.empty_order_tables()
        generators.append(generate(1, args.orders, args, reference))

    timing = time_compute_month(args, args.orders)
    if generators:
        check_counts(timing.result["total"], generators)
    report_month(timing, time_drill_down(args, timing.result["total"]))
    print_explain(timing)
    time_periodic_refresh(args.orders)
    if not args.scale_to:
        return

    added = args.scale_to - args.orders
    print(f"\nAdding {added} orders to {args.month}, {args.scale_to} in all:")
    last_id = WorkOrder.objects.order_by("-id").values_list("id", flat=True).first() or 0
    generators.append(generate(last_id + 1, added, args, reference))
    scaled = time_compute_month(args, args.scale_to)
    if len(generators) == 2:
        check_counts(scaled.result["total"], generators)
    report_month(scaled, time_drill_down(args, scaled.result["total"]))
    print_explain(scaled)

    ratio = scaled.median / timing.median
    target_met = timing.median <= MONTH_TARGET_SECONDS
    print("\nSummary:")
    rows = [
        [
            str(timing.orders),
            f"{timing.median:.3f}",
            f"{max(timing.seconds):.3f}",
            timing.load_average,
        ],
        [
            str(scaled.orders),
            f"{scaled.median:.3f}",
            f"{max(scaled.seconds):.3f}",
            scaled.load_average,
        ],
    ]
    print(common.format_table(["orders", "median s", "max s", "load average"], rows))
    print(f"ratio of the medians: {ratio:.2f}")
    if timing.orders == TARGET_ORDERS:
        verdict = "met" if target_met else "missed"
        print(f"target median <= {MONTH_TARGET_SECONDS:.0f} s at {TARGET_ORDERS}: {verdict}")
    else:
        print(f"target median <= {MONTH_TARGET_SECONDS:.0f} s applies at {TARGET_ORDERS} orders")
    verdict = "met" if ratio <= MAX_SCALE_RATIO else "missed"
    print(f"target ratio <= {MAX_SCALE_RATIO:.0f}: {verdict}")


if __name__ == "__main__":
    main()
