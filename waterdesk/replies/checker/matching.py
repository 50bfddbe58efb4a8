"""Compiled forms of the rules' phrase lists and patterns, built once per `ReplyRules`."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .policy import ReplyRules
from .text import normalize_phrase

_NEVER = re.compile(r"(?!)")


def _alternation(phrases: Iterable[str], patterns: Iterable[str], citizen: str) -> re.Pattern:
    """Compile literal phrases and regular expressions into one pattern.

    Phrases are normalised like replies and tried longest first, so that 无人接听 wins over 无人接.
    """
    literal = sorted({normalize_phrase(phrase) for phrase in phrases}, key=len, reverse=True)
    parts = [re.escape(phrase) for phrase in literal if phrase]
    parts += [f"(?:{pattern.replace('{citizen}', citizen)})" for pattern in patterns]
    if not parts:
        return _NEVER
    return re.compile("|".join(parts))


@dataclass(frozen=True)
class Element:
    """The compiled phrases of one reply element and the matches that do not count for it."""

    pattern: re.Pattern
    exclusions: re.Pattern


@dataclass(frozen=True)
class Matchers:
    """Every compiled pattern of one `ReplyRules`."""

    contact: Element
    site_check: Element
    cause: Element
    measures: Element
    result: Element
    acceptance: Element
    exemption_basis: re.Pattern
    exemption_channel: re.Pattern
    exemption_progress: re.Pattern
    exemption_explanation: re.Pattern
    vague: re.Pattern
    irrealis: re.Pattern
    ongoing: re.Pattern
    negation: re.Pattern
    cancellation: re.Pattern
    unverified_excuse: re.Pattern
    verification: re.Pattern
    vague_call_count: re.Pattern
    persistent_call: re.Pattern
    call_attempt_verb: re.Pattern
    call_context: re.Pattern
    utility_line: re.Pattern
    unanswered_call: re.Pattern
    call_failure: re.Pattern
    call_count: re.Pattern
    order_numbers: tuple[re.Pattern, ...]
    exemption_marker: re.Pattern
    unbracketed_exemption_marker: re.Pattern
    redo_stopword: re.Pattern


@lru_cache(maxsize=16)
def compile_rules(rules: ReplyRules) -> Matchers:
    """Compile `rules`; the result is cached because rules change only with a new policy version."""
    citizen = "|".join(
        re.escape(normalize_phrase(word))
        for word in sorted(rules.citizen_words, key=len, reverse=True)
    )

    def element(phrases, patterns, exclusions=()) -> Element:
        return Element(
            pattern=_alternation(phrases, patterns, citizen),
            exclusions=_alternation((), exclusions, citizen),
        )

    def phrases_only(phrases) -> re.Pattern:
        return _alternation(phrases, (), citizen)

    def patterns_only(patterns) -> re.Pattern:
        return _alternation((), patterns, citizen)

    return Matchers(
        contact=element(
            rules.contact_phrases + rules.site_check_phrases,
            rules.contact_patterns + rules.site_check_patterns,
        ),
        site_check=element(rules.site_check_phrases, rules.site_check_patterns),
        cause=element(rules.cause_phrases, rules.cause_patterns, rules.cause_exclusion_patterns),
        measures=element(
            rules.measure_phrases, rules.measure_patterns, rules.measure_exclusion_patterns
        ),
        result=element(
            rules.result_phrases, rules.result_patterns, rules.result_exclusion_patterns
        ),
        acceptance=element(
            rules.acceptance_phrases,
            rules.acceptance_patterns,
            rules.acceptance_exclusion_patterns,
        ),
        exemption_basis=patterns_only(rules.exemption_basis_patterns),
        exemption_channel=patterns_only(rules.exemption_channel_patterns),
        exemption_progress=patterns_only(rules.exemption_progress_patterns),
        exemption_explanation=patterns_only(rules.exemption_explanation_patterns),
        vague=_alternation(rules.vague_phrases, rules.vague_patterns, citizen),
        irrealis=patterns_only(rules.irrealis_patterns),
        ongoing=patterns_only(rules.ongoing_patterns),
        negation=phrases_only(rules.negation_words),
        cancellation=phrases_only(rules.cancellation_words),
        unverified_excuse=phrases_only(rules.unverified_excuse_phrases),
        verification=phrases_only(rules.verification_words),
        vague_call_count=phrases_only(rules.vague_call_count_words),
        persistent_call=phrases_only(rules.persistent_call_words),
        call_attempt_verb=phrases_only(rules.call_attempt_verbs),
        call_context=patterns_only(rules.call_context_patterns),
        utility_line=phrases_only(rules.utility_line_words),
        unanswered_call=phrases_only(rules.unanswered_call_phrases),
        call_failure=phrases_only(rules.call_failure_words),
        call_count=re.compile(rules.call_count_pattern),
        order_numbers=tuple(re.compile(pattern) for pattern in rules.order_number_patterns),
        exemption_marker=phrases_only(rules.exemption_markers),
        unbracketed_exemption_marker=phrases_only(rules.unbracketed_exemption_markers),
        redo_stopword=phrases_only(rules.redo_reason_stopwords),
    )


def first_accepted(
    pattern: re.Pattern, text: str, accept: Callable[[re.Match], bool], start: int = 0, end=None
) -> re.Match | None:
    """Return the leftmost match of `pattern` in text[start:end] that `accept` takes.

    After a rejected match the search goes on from the next character, not from the match's end,
    so a shorter phrase inside a rejected longer one is still tried.
    """
    end = len(text) if end is None else end
    position = start
    while position < end:
        match = pattern.search(text, position, end)
        if match is None:
            return None
        if accept(match):
            return match
        position = match.start() + 1
    return None


def spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in pattern.finditer(text)]
