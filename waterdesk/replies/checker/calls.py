"""Unanswered calls: each must be recorded with its date and hour, never as 多次拨打.

The regulation's example of a good record is 12月3日9点与12月3日15点联系用户电话两次拨打无人接听.
"""

import re
from dataclasses import dataclass

from .matching import Matchers
from .text import NormalizedText, TimeMention, chinese_number, scan_time_mentions

# Relative days that need an earlier date of the reply to be read, and those read from the date of
# the reply itself, which the system stores.
_DAYS_AFTER_EARLIER_DATE = ("当日", "当天", "同日", "同一天", "次日", "翌日", "第二天")
_DAYS_OF_THE_REPLY = ("今日", "今天", "昨日", "昨天")
# 联系 reports an attempt only when the call failed, because 多次与用户联系 may be contact made.
_VERBS_NEEDING_FAILURE = ("联系",)


@dataclass(frozen=True)
class CallProblem:
    """A call record that breaks the rule; offsets point into the normalised text."""

    start: int
    end: int
    text: str
    expected_calls: int = 1
    timed_calls: int = 0


@dataclass(frozen=True)
class CallFindings:
    vague_attempts: tuple[CallProblem, ...]
    untimed_attempts: tuple[CallProblem, ...]


def _dated_hours(mentions: list[TimeMention], normalized: NormalizedText) -> list[TimeMention]:
    """Return the mentions that give both a date and an hour, after reading implied dates.

    An hour alone takes the date written before it in the same sentence (12月3日9时、15时), and
    当日 or 次日 take the last full date written before them anywhere in the reply.
    """
    dated = []
    last_date_in_text: TimeMention | None = None
    last_date_in_sentence: tuple[int, TimeMention] | None = None
    for mention in mentions:
        sentence_start, _ = normalized.sentence_bounds(mention.start)
        has_date = mention.day is not None
        if mention.relative_day in _DAYS_OF_THE_REPLY:
            has_date = True
        elif mention.relative_day in _DAYS_AFTER_EARLIER_DATE:
            has_date = last_date_in_text is not None
        elif mention.day is None and last_date_in_sentence is not None:
            has_date = last_date_in_sentence[0] == sentence_start
        if mention.day is not None:
            last_date_in_text = mention
        if has_date:
            last_date_in_sentence = (sentence_start, mention)
        if has_date and mention.hour is not None:
            dated.append(mention)
    return dated


def _stated_count(text: str, matchers: Matchers) -> int:
    """Return the largest call count written in `text` (两次, 2次), or 1."""
    counts = [chinese_number(match.group("count")) for match in matchers.call_count.finditer(text)]
    return max([count for count in counts if count], default=1)


def _is_about_utility_line(normalized: NormalizedText, matchers: Matchers, match: re.Match) -> bool:
    """Return True if the clause is about the utility's own line (热线一直占线)."""
    clause_start, clause_end = normalized.clause_bounds(match.start())
    return matchers.utility_line.search(normalized.text, clause_start, clause_end) is not None


def _unanswered_calls(normalized: NormalizedText, matchers: Matchers) -> list[re.Match]:
    """Find the words that report an unanswered call to the citizen."""
    text = normalized.text
    found = list(matchers.unanswered_call.finditer(text))
    for match in matchers.call_failure.finditer(text):
        if any(other.start() < match.end() and match.start() < other.end() for other in found):
            continue
        # 水泵停机 is not about a call: the sentence must mention one.
        sentence_start, sentence_end = normalized.sentence_bounds(match.start())
        if matchers.call_context.search(text, sentence_start, sentence_end):
            found.append(match)
    calls = [match for match in found if not _is_about_utility_line(normalized, matchers, match)]
    return sorted(calls, key=lambda match: match.start())


def _vague_attempts(
    normalized: NormalizedText, matchers: Matchers, unanswered: list[re.Match]
) -> list[CallProblem]:
    """Find 多次拨打… style wording: a count word beside a call verb in one clause."""
    text = normalized.text
    problems = []
    candidates = [(match, False) for match in matchers.vague_call_count.finditer(text)]
    candidates += [(match, True) for match in matchers.persistent_call.finditer(text)]
    for word, persistent in sorted(candidates, key=lambda item: item[0].start()):
        clause_start, clause_end = normalized.clause_bounds(word.start())
        sentence_start, sentence_end = normalized.sentence_bounds(word.start())
        verb = matchers.call_attempt_verb.search(text, clause_start, clause_end)
        failures = [
            match
            for match in unanswered
            if sentence_start <= match.start() < sentence_end and match.start() >= word.start()
        ]
        if persistent or (verb is not None and verb.group() in _VERBS_NEEDING_FAILURE):
            # 一直 and 联系 tell of a count only when the call failed (一直与用户保持联系 is fine).
            if not failures:
                continue
            if verb is None and not matchers.call_context.search(text, clause_start, clause_end):
                continue
        elif verb is None:
            continue
        end = max(word.end(), verb.end() if verb else word.end())
        if failures:
            end = max(end, failures[0].end())
        problems.append(CallProblem(word.start(), end, text[word.start() : end]))
    return problems


def find_call_problems(normalized: NormalizedText, matchers: Matchers) -> CallFindings:
    """Find vague call counts and unanswered calls recorded without their date and hour.

    1. Find each unanswered call (无人接听, 关机 in a sentence about a call …).
    2. Find count words beside call verbs (多次拨打). Such a record is vague as a whole, so its
       unanswered calls are not reported a second time for a missing hour.
    3. For every other unanswered call, read its sentence from the previous unanswered call to the
       end of its clause. That part must give a dated hour for each call it counts (两次 needs
       two), and at least one.
    """
    text = normalized.text
    unanswered = _unanswered_calls(normalized, matchers)
    vague = _vague_attempts(normalized, matchers, unanswered)
    dated = _dated_hours(scan_time_mentions(normalized), normalized)

    untimed = []
    previous_end = 0
    for call in unanswered:
        sentence_start, _ = normalized.sentence_bounds(call.start())
        _, clause_end = normalized.clause_bounds(call.start())
        segment_start = max(sentence_start, previous_end)
        previous_end = call.end()
        if any(sentence_start <= problem.start < clause_end for problem in vague):
            continue
        expected = _stated_count(text[segment_start:clause_end], matchers)
        timed = sum(1 for mention in dated if segment_start <= mention.start < clause_end)
        if timed >= expected:
            continue
        verb = matchers.call_attempt_verb.search(text, segment_start, call.start())
        start = verb.start() if verb else call.start()
        untimed.append(CallProblem(start, call.end(), text[start : call.end()], expected, timed))
    return CallFindings(vague_attempts=tuple(vague), untimed_attempts=tuple(untimed))
