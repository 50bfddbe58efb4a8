"""Finding the elements a reply must state: contact or site check, cause, measures, result and
acceptance.

A phrase counts for its element only when it states a fact. It does not count when the clause
makes it a promise or a condition (将…, 预计…, 如有…), when a negation precedes it (未与用户联系),
or when it is part of a longer expression that means something else (感谢您的理解, 维修人员).
"""

import re
from dataclasses import dataclass

from .matching import Element, Matchers, first_accepted, spans
from .text import CLAUSE_ENDINGS, SENTENCE_ENDINGS

_PAST_MARKER = "已"
# A result followed by these is the condition of another clause (修复后, 完工前), not a result.
_SUBORDINATE_SUFFIXES = ("后", "之后", "以后", "前", "之前")


@dataclass(frozen=True)
class Elements:
    """The elements a reply states, each True when present."""

    contact: bool
    site_check: bool
    cause: bool
    measures: bool
    result: bool
    acceptance: bool


class _ClauseReader:
    """Judges whether a phrase found in the text states a fact, by looking at its own clause."""

    def __init__(self, text: str, matchers: Matchers):
        self.text = text
        self.matchers = matchers

    def clause_start(self, position: int) -> int:
        start = position
        while start > 0 and self.text[start - 1] not in CLAUSE_ENDINGS:
            start -= 1
        return start

    def sentence_start(self, position: int) -> int:
        start = position
        while start > 0 and self.text[start - 1] not in SENTENCE_ENDINGS:
            start -= 1
        return start

    def _governed_by(self, pattern: re.Pattern, match: re.Match, scope_start: int) -> bool:
        """Return True if `pattern` matches from `scope_start` to the match, with no 已 after it.

        已 after the marker states a fact again (未能及时修复的管段已更换).
        """
        markers = list(pattern.finditer(self.text, scope_start, match.start()))
        if not markers:
            return False
        return _PAST_MARKER not in self.text[markers[-1].end() : match.start()]

    def is_irrealis(self, match: re.Match) -> bool:
        """Return True if a promise or condition word (将, 预计, 如有 …) governs the match.

        Such a word governs the rest of its sentence: in 今后将加强管理，及时通知用户 the
        second clause is promised too.
        """
        scope_start = self.sentence_start(match.start())
        return self._governed_by(self.matchers.irrealis, match, scope_start)

    def is_ongoing(self, match: re.Match) -> bool:
        clause_start = self.clause_start(match.start())
        return self.matchers.ongoing.search(self.text, clause_start, match.start()) is not None

    def is_negated(self, match: re.Match) -> bool:
        """Return True if a negation earlier in the clause governs the match (未能及时发布通知)."""
        return self._governed_by(self.matchers.negation, match, self.clause_start(match.start()))

    def is_cancelled(self, match: re.Match) -> bool:
        """Return True if the work is called off later in its clause (施工因天气原因推迟)."""
        clause_end = match.end()
        while clause_end < len(self.text) and self.text[clause_end] not in CLAUSE_ENDINGS:
            clause_end += 1
        return self.matchers.cancellation.search(self.text, match.end(), clause_end) is not None

    def is_subordinate(self, match: re.Match) -> bool:
        return self.text.startswith(_SUBORDINATE_SUFFIXES, match.end())

    def find(
        self,
        element: Element,
        *,
        negatable: bool = True,
        completed: bool = False,
        cancellable: bool = False,
    ) -> re.Match | None:
        """Return the first phrase of `element` that states a fact, or None.

        With `completed`, only finished work counts: ongoing work (正在…) and conditions
        (修复后) do not. With `cancellable`, work that its clause calls off (推迟, 取消) does not.
        """
        excluded = spans(element.exclusions, self.text)

        def accept(match: re.Match) -> bool:
            if any(start < match.end() and match.start() < end for start, end in excluded):
                return False
            if self.is_irrealis(match):
                return False
            if negatable and self.is_negated(match):
                return False
            if cancellable and self.is_cancelled(match):
                return False
            return not (completed and (self.is_ongoing(match) or self.is_subordinate(match)))

        return first_accepted(element.pattern, self.text, accept)

    def has(self, pattern: re.Pattern) -> bool:
        """Return True if `pattern` matches outside promises and negations."""
        return first_accepted(pattern, self.text, self._states_fact) is not None

    def _states_fact(self, match: re.Match) -> bool:
        return not self.is_irrealis(match) and not self.is_negated(match)


def find_elements(text: str, matchers: Matchers, exemption_kind: str | None) -> Elements:
    """Find the elements stated in `text`, the normalised reply with its vague phrases masked.

    With an exemption prefix the regulation requires other content in place of the technical one.
    For a request the rules do not support, the cited basis counts as the cause and the
    explanation given as measures and result. For a case already in court or petition, the
    channel counts as the cause, the advice to follow it as measures and its progress as result.
    """
    reader = _ClauseReader(text, matchers)
    site_check = reader.find(matchers.site_check) is not None
    contact = site_check or reader.find(matchers.contact) is not None
    cause = reader.find(matchers.cause, negatable=False) is not None
    measures = reader.find(matchers.measures, cancellable=True) is not None
    result = reader.find(matchers.result, completed=True) is not None
    acceptance = reader.find(matchers.acceptance, negatable=False) is not None

    if exemption_kind == "policy":
        explained = reader.has(matchers.exemption_explanation)
        cause = cause or reader.has(matchers.exemption_basis)
        measures = measures or explained
        result = result or explained
    elif exemption_kind in ("judicial", "petition"):
        cause = cause or reader.has(matchers.exemption_channel)
        measures = measures or reader.has(matchers.exemption_explanation)
        result = result or reader.has(matchers.exemption_progress)

    return Elements(
        contact=contact,
        site_check=site_check,
        cause=cause,
        measures=measures,
        result=result,
        acceptance=acceptance,
    )
