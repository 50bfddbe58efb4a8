"""Time the reply check on a 500-character reply against 50 earlier replies.

Run: .venv/bin/python bench/replies.py [--runs N]
Target: median at most 5 ms and 95th percentile at most 20 ms per check.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waterdesk.settings")

import django  # noqa: E402

django.setup()

from waterdesk.replies.checker import EarlierReply, ReplyContext, check, check_reply  # noqa: E402

REPLY_LENGTH = 500
EARLIER_REPLIES = 50
MEDIAN_TARGET_MS = 5.0
P95_TARGET_MS = 20.0

# A redo reply with every element, a timed call record, a cited order number and a reason taken up,
# so that every rule does its full work.
SENTENCES = (
    "针对重办要求逐项答复如下：一、关于维修后仍漏水的原因。",
    "12月2日9时、12月2日15时两次拨打用户电话均无人接听，12月2日16时我部维修人员到香山路东段现场查看，",
    "并于12月3日上午9点与用户电话联系。该问题用户最早于11月3日反映（工单号GD202611030012）。",
    "经开挖复查，11月20日更换的接头已不漏，积水来自上游2米处DN63管道一处砂眼，上次维修开挖范围未覆盖该处。",
    "二、关于彻底修复。已将接头至阀门井之间6米老旧镀锌管整段更换为PE管，12月2日17时完工，",
    "试压0.4MPa保持30分钟无渗漏，路面积水已清理并回填硬化。",
    "三、12月4日我部再次到现场查看，路面干燥无积水。用户对本次处理结果表示满意。",
)


def build_reply(length: int) -> str:
    reply = ""
    while len(reply) < length:
        reply += "".join(SENTENCES)
    return reply[:length]


def build_context() -> ReplyContext:
    created = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    earlier = tuple(
        EarlierReply(
            order_number=f"GD2026110{index:05d}",
            reply_text=f"11月{index % 28 + 1}日我部维修人员到现场查看，第{index}号表井接口渗漏，"
            + "已更换接头，渗漏停止，用户表示满意。" * 8,
            created_at=created + datetime.timedelta(days=index),
        )
        for index in range(EARLIER_REPLIES)
    )
    return ReplyContext(
        order_type="redo",
        redo_reasons="用户称维修后仍漏水，路面仍有积水，要求查明原因并彻底修复。",
        earlier_replies=earlier,
        earliest_order_number="GD202611030012",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="timed checks (default 2000)")
    arguments = parser.parse_args()

    reply = build_reply(REPLY_LENGTH)
    context = build_context()
    first_start = time.perf_counter()
    result = check_reply(reply, context)
    first_ms = (time.perf_counter() - first_start) * 1000
    if not result.ok:
        print("The benchmark reply should pass:", [v.rule for v in result.violations])
        return 1

    timings = []
    for _ in range(arguments.runs):
        start = time.perf_counter()
        check(reply, context)
        timings.append((time.perf_counter() - start) * 1000)

    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=100)[94]
    print(f"reply {len(reply)} characters, {len(context.earlier_replies)} earlier replies")
    print(f"first check (compiles the rules): {first_ms:.2f} ms")
    print(f"{arguments.runs} checks: median {median:.2f} ms, p95 {p95:.2f} ms")
    print(f"targets: median <= {MEDIAN_TARGET_MS} ms, p95 <= {P95_TARGET_MS} ms")
    return 0 if median <= MEDIAN_TARGET_MS and p95 <= P95_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
