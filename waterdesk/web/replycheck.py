"""Showing the reply check's violations on the reply text as the handler types it."""

from dataclasses import dataclass, field


@dataclass
class Segment:
    """A run of the reply text, marked when one or more violations point at it."""

    text: str
    violations: list[dict] = field(default_factory=list)

    @property
    def severity(self) -> str:
        if any(item["severity"] == "error" for item in self.violations):
            return "error"
        return "warning"

    @property
    def title(self) -> str:
        return "\n".join(item["message"] for item in self.violations)

    @property
    def numbers(self) -> list[int]:
        return [item["number"] for item in self.violations]


def numbered(violations: list[dict]) -> list[dict]:
    """Return copies of the violations numbered from 1, errors first, as the page lists them."""
    ordered = sorted(violations, key=lambda item: item["severity"] != "error")
    return [{**item, "number": index} for index, item in enumerate(ordered, start=1)]


def segments(text: str, violations: list[dict]) -> list[Segment]:
    """Split `text` at every start and end offset so each piece carries the violations over it.

    Violations without offsets (something missing rather than some wrong words) mark nothing.
    Offsets are clamped to the text, so offsets past its end mark up to the end instead of failing.
    """
    spans = []
    for item in violations:
        start, end = item.get("start"), item.get("end")
        if start is None or end is None:
            continue
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        if start < end:
            spans.append((start, end, item))
    cuts = sorted({0, len(text), *(start for start, _, _ in spans), *(end for _, end, _ in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [item for span_start, span_end, item in spans if span_start <= start < span_end]
        pieces.append(Segment(text[start:end], covering))
    return pieces
