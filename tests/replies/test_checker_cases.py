"""Labelled reply cases: the published ones and the constructed ones beside this file.

Every verdict (ok means no error) must match. Over all cases of a file, at least 95% of the expected
rule codes must be found, and the codes found beyond the expected ones must stay within 5% of them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from waterdesk.replies.checker import EarlierReply, ReplyContext, check_reply

PUBLIC_CASES = Path(__file__).resolve().parents[3] / "shared/data/reply-cases-public.jsonl"
EXTRA_CASES = Path(__file__).resolve().parent / "cases_extra.jsonl"
MIN_RECALL = 0.95
MAX_EXTRA_SHARE = 0.05


def load_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def context_of(case: dict) -> ReplyContext:
    """Build the checker's context from a case's context."""
    context = case["context"]
    earlier = []
    if context.get("earlier_reply"):
        earlier.append(EarlierReply(order_number="", reply_text=context["earlier_reply"]))
    for item in context.get("earlier_replies", ()):
        earlier.append(EarlierReply(order_number=item["order_number"], reply_text=item["reply"]))
    return ReplyContext(
        order_type=context.get("order_type", "general"),
        has_contact=not context.get("no_contact_info", False),
        callback_required=context.get("callback_required", True),
        redo_reasons=context.get("redo_reasons"),
        earlier_replies=tuple(earlier),
        earliest_order_number=context.get("earliest_order_number"),
        repeats_earlier=context.get("repeat_of_earlier", False),
    )


@dataclass
class Scores:
    cases: int = 0
    verdicts_matched: int = 0
    expected_codes: int = 0
    found_codes: int = 0
    extra_codes: int = 0

    @property
    def recall(self) -> float:
        return self.found_codes / self.expected_codes if self.expected_codes else 1.0

    @property
    def extra_share(self) -> float:
        return self.extra_codes / self.expected_codes if self.expected_codes else 0.0

    def summary(self, name: str) -> str:
        return (
            f"{name}: {self.verdicts_matched}/{self.cases} verdicts, "
            f"{self.found_codes}/{self.expected_codes} expected codes found "
            f"({self.recall:.1%}), {self.extra_codes} extra ({self.extra_share:.1%})"
        )


def score(cases: list[dict]) -> tuple[Scores, list[str]]:
    scores = Scores()
    mismatches = []
    for case in cases:
        result = check_reply(case["reply"], context_of(case))
        found = {violation.rule for violation in result.violations}
        expected = set(case["expected_errors"]) | set(case["expected_warnings"])
        scores.cases += 1
        scores.verdicts_matched += result.ok == case["expected_ok"]
        scores.expected_codes += len(expected)
        scores.found_codes += len(expected & found)
        scores.extra_codes += len(found - expected)
        if found != expected or result.ok != case["expected_ok"]:
            mismatches.append(
                f"{case['id']}: ok={result.ok}, missed {sorted(expected - found)}, "
                f"extra {sorted(found - expected)}"
            )
    return scores, mismatches


@pytest.mark.parametrize("path", [PUBLIC_CASES, EXTRA_CASES], ids=["public", "extra"])
def test_labelled_cases_meet_accuracy_targets(path):
    cases = load_cases(path)
    scores, mismatches = score(cases)
    print(scores.summary(path.name))
    for mismatch in mismatches:
        print("  ", mismatch)

    assert cases, f"{path} has no cases"
    assert scores.verdicts_matched == scores.cases, mismatches
    assert scores.recall >= MIN_RECALL, mismatches
    assert scores.extra_share <= MAX_EXTRA_SHARE, mismatches


def test_extra_cases_cover_every_rule_code():
    codes = set()
    for case in load_cases(EXTRA_CASES):
        codes |= set(case["expected_errors"]) | set(case["expected_warnings"])
    assert codes == {
        "missing_contact",
        "missing_cause",
        "missing_measures",
        "missing_result",
        "missing_acceptance",
        "vague_only",
        "unverified_excuse",
        "vague_call_attempts",
        "call_attempt_without_time",
        "no_contact_without_site_check",
        "copied_reply",
        "missing_earliest_order",
        "bad_exemption_prefix",
        "redo_reasons_unanswered",
    }
