"""Exemption prefixes: recognising them in any form, and checking them against the preset form.

A reply whose request the rules do not support, or that is already in court or petition, begins
with a prefix that proposes to leave the order out of the monthly assessment. The prefix is
recognised after normalisation (other brackets, half-width commas, missing brackets), but it counts
only when the text the user typed matches the preset form character for character.
"""

import re
from dataclasses import dataclass

from .matching import Matchers
from .policy import ReplyRules
from .text import SENTENCE_ENDINGS, NormalizedText, normalize_phrase

POLICY = "policy"
JUDICIAL = "judicial"
PETITION = "petition"

# How far into a reply that does not open with a bracket its prefix may end (characters).
_PREFIX_SEARCH_LIMIT = 100
_BRACKET_PAIRS = {"【": "】", "(": ")"}
# Characters that may close an unbracketed prefix (用户诉求…不计入考核】).
_TRAILING_CLOSERS = "】)"
# A standard's code (GB 5749-2022, CJJ 207) or a document number (确水务〔2020〕86号, whose
# brackets normalisation has turned into 【】).
_STANDARD_CODE = re.compile(r"[A-Za-z]{1,4}(?:/[A-Za-z])?\s?\d{2,}|\d{4}】\d+号")
_CITED_DOCUMENT = re.compile(r"《[^》]{1,40}》")


class Problem:
    """Reasons for which a recognised prefix does not count."""

    FORM = "form"  # other brackets, punctuation or wording than the preset
    DOCUMENT = "document"  # a policy prefix that names no document
    POSITION = "position"  # the prefix is not at the beginning of the reply
    KIND = "kind"  # a court-or-petition prefix that does not say which one


@dataclass(frozen=True)
class ExemptionPrefix:
    """An exemption prefix found in a reply.

    `kind` is policy, judicial or petition, or None when the prefix does not tell which. `start`
    and `end` are offsets into the original reply; `normalized_start` and `normalized_end` into its
    normalised text. `problem` is None for a prefix in the preset form.
    """

    kind: str | None
    start: int
    end: int
    normalized_start: int
    normalized_end: int
    problem: str | None
    suggestion: str | None

    @property
    def is_valid(self) -> bool:
        return self.problem is None


def _closing_index(text: str, opening_index: int) -> int | None:
    """Return the index just past the bracket that closes the one at `opening_index`."""
    opening = text[opening_index]
    closing = _BRACKET_PAIRS[opening]
    depth = 0
    for index in range(opening_index, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _leading_candidate(text: str, matchers: Matchers) -> tuple[int, int] | None:
    """Return the span of the normalised text that looks like an exemption prefix at its start."""
    if text[:1] in _BRACKET_PAIRS:
        end = _closing_index(text, 0)
        if end is not None and matchers.exemption_marker.search(text, 0, end):
            return 0, end
    # No bracket, or a bracket never closed: the prefix runs to its first marker.
    marker = matchers.unbracketed_exemption_marker.search(text, 0, _PREFIX_SEARCH_LIMIT)
    if marker is None:
        return None
    # The prefix is the opening words of the reply: a sentence end or a bracket before the marker
    # (other than the opening one) means the marker belongs to a later part of the reply.
    if any(char in SENTENCE_ENDINGS or char == "【" for char in text[1 : marker.start()]):
        return None
    end = marker.end()
    while end < len(text) and text[end] in _TRAILING_CLOSERS:
        end += 1
    return 0, end


def _later_candidate(text: str, matchers: Matchers) -> tuple[int, int] | None:
    """Return the span of a bracketed exemption prefix placed later in the reply."""
    for opening in re.finditer("【", text):
        if opening.start() == 0:
            continue
        end = _closing_index(text, opening.start())
        if end is not None and matchers.exemption_marker.search(text, opening.start(), end):
            return opening.start(), end
    return None


def _kind(candidate: str, body: str, rules: ReplyRules) -> str | None:
    if "不符合" in candidate:
        return POLICY
    judicial = any(word in candidate for word in rules.judicial_words)
    petition = any(word in candidate for word in rules.petition_words)
    if judicial != petition:
        return JUDICIAL if judicial else PETITION
    # The template's own 司法（或信访）, or neither word: the body may tell which.
    judicial = any(word in body for word in rules.judicial_words)
    petition = any(word in body for word in rules.petition_words)
    if judicial != petition:
        return JUDICIAL if judicial else PETITION
    return None


def names_document(document: str, rules: ReplyRules) -> bool:
    """Return True if `document` names a real document, not a placeholder or a generic phrase."""
    if not document or any(word in document for word in rules.document_placeholder_words):
        return False
    if _STANDARD_CODE.search(document):
        return True
    remainder = document.strip("《》〈〉\"' ")
    for word in sorted(rules.generic_document_words, key=len, reverse=True):
        remainder = remainder.replace(word, "")
    remainder = re.sub(r"[《》〈〉()（）,，、\s]", "", remainder)
    return len(remainder) >= 2


def _policy_prefix_regex(rules: ReplyRules) -> re.Pattern:
    before, _, after = rules.policy_exemption_prefix.partition(rules.document_placeholder)
    return re.compile(f"{re.escape(before)}(?P<document>.*?){re.escape(after)}")


def _policy_document(candidate: str, rules: ReplyRules) -> str | None:
    """Return the document named in a policy prefix (original or normalised text), if any."""
    strict = _policy_prefix_regex(rules).fullmatch(candidate)
    if strict:
        return strict.group("document")
    loose = re.search(r"不符合(?P<document>.*?)(?:的)?(?:相关)?(?:要求|规定)", candidate)
    return loose.group("document") if loose else None


def _clean_document(document: str, rules: ReplyRules) -> str:
    """Remove what is left of the template's placeholder from a document name."""
    cleaned = document.replace(rules.document_placeholder, "")
    cleaned = re.sub(r"[(（]\s*文件名\s*[)）]", "", cleaned)
    return cleaned.replace("*", "").strip()


def _suggest_policy_prefix(candidate: str, body: str, rules: ReplyRules) -> str:
    document = _policy_document(candidate, rules)
    if document is not None:
        document = _clean_document(document, rules)
    if document is None or not names_document(normalize_phrase(document), rules):
        cited = _CITED_DOCUMENT.search(body)
        document = cited.group() if cited else None
    if document is None:
        return rules.policy_exemption_prefix
    return rules.policy_exemption_prefix.replace(rules.document_placeholder, document)


def _preset_prefix(kind: str, rules: ReplyRules) -> str:
    return rules.judicial_exemption_prefix if kind == JUDICIAL else rules.petition_exemption_prefix


def _problem(kind: str | None, typed: str, at_start: bool, rules: ReplyRules) -> str | None:
    if kind is None:
        return Problem.KIND
    if not at_start:
        return Problem.POSITION
    if kind != POLICY:
        return None if typed == _preset_prefix(kind, rules) else Problem.FORM
    strict = _policy_prefix_regex(rules).fullmatch(typed)
    document = _policy_document(typed, rules)
    if document is None or not names_document(normalize_phrase(document), rules):
        return Problem.DOCUMENT
    return None if strict else Problem.FORM


def find_exemption_prefix(
    normalized: NormalizedText, matchers: Matchers, rules: ReplyRules
) -> ExemptionPrefix | None:
    """Find the exemption prefix of a reply and check it against the preset form.

    1. Look for a prefix at the start of the normalised reply, in brackets of any shape or none,
       then for a bracketed one further on.
    2. Tell its kind from its words, or from the body when it copies the template's 司法（或信访）.
    3. Compare the text the user typed with the preset form, and build the corrected prefix.
    """
    text = normalized.text
    span = _leading_candidate(text, matchers)
    at_start = span is not None
    if span is None:
        span = _later_candidate(text, matchers)
    if span is None:
        return None

    normalized_start, normalized_end = span
    start, end = normalized.original_span(normalized_start, normalized_end)
    typed = normalized.original[start:end]
    # The original text before the prefix may only be whitespace.
    body = normalized.original[:start] + normalized.original[end:]
    kind = _kind(text[normalized_start:normalized_end], body, rules)
    problem = _problem(kind, typed, at_start, rules)

    if kind == POLICY:
        suggestion = _suggest_policy_prefix(typed, body, rules)
    elif kind is not None:
        suggestion = _preset_prefix(kind, rules)
    else:
        suggestion = None
    return ExemptionPrefix(
        kind=kind,
        start=start,
        end=end,
        normalized_start=normalized_start,
        normalized_end=normalized_end,
        problem=problem,
        suggestion=suggestion,
    )
