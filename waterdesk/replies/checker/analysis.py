"""One reading of a reply shared by all rules: normalised text, prefix, vague phrases, elements."""

import re
from dataclasses import dataclass
from functools import cached_property

from .calls import CallFindings, find_call_problems
from .context import ReplyContext
from .elements import Elements, find_elements
from .exemption import ExemptionPrefix, find_exemption_prefix
from .matching import Matchers, compile_rules
from .text import NormalizedText, normalize

# Masked text is replaced by sentence ends, so that it neither states an element nor joins the
# clauses on either side into one.
_MASK = "。"


@dataclass(frozen=True)
class Span:
    """A piece of the normalised reply, with its offsets in the reply as typed."""

    normalized_start: int
    normalized_end: int
    start: int
    end: int
    text: str


class ReplyAnalysis:
    """The facts about one reply that the rules read. Each is computed on first use."""

    def __init__(self, content: str, context: ReplyContext):
        self.content = content
        self.context = context
        self.rules = context.rules
        self.matchers: Matchers = compile_rules(context.rules)
        self.normalized: NormalizedText = normalize(content)

    def span(self, normalized_start: int, normalized_end: int) -> Span:
        start, end = self.normalized.original_span(normalized_start, normalized_end)
        return Span(normalized_start, normalized_end, start, end, self.content[start:end])

    def spans_of(self, pattern: re.Pattern) -> list[Span]:
        return [self.span(match.start(), match.end()) for match in pattern.finditer(self.body)]

    @cached_property
    def exemption(self) -> ExemptionPrefix | None:
        return find_exemption_prefix(self.normalized, self.matchers, self.rules)

    @cached_property
    def body(self) -> str:
        """The normalised reply with the exemption prefix masked."""
        text = self.normalized.text
        if self.exemption is None:
            return text
        start, end = self.exemption.normalized_start, self.exemption.normalized_end
        return text[:start] + _MASK * (end - start) + text[end:]

    @cached_property
    def vague_phrases(self) -> list[Span]:
        return self.spans_of(self.matchers.vague)

    @cached_property
    def elements(self) -> Elements:
        """The elements stated once vague phrases are masked: they count for no element."""
        text = self.body
        for phrase in self.vague_phrases:
            length = phrase.normalized_end - phrase.normalized_start
            text = text[: phrase.normalized_start] + _MASK * length + text[phrase.normalized_end :]
        kind = self.exemption.kind if self.exemption is not None else None
        return find_elements(text, self.matchers, kind)

    @cached_property
    def calls(self) -> CallFindings:
        return find_call_problems(self.normalized, self.matchers)

    @property
    def requires_elements(self) -> bool:
        """Return True if the reply must state the four elements (not for thanks orders)."""
        return self.context.order_type not in self.rules.element_exempt_order_types

    @property
    def requires_acceptance(self) -> bool:
        return self.requires_elements and self.context.acceptance_required
