"""Checks against earlier orders: copied replies, redo reasons and the earliest order's number."""

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .context import EarlierReply
from .matching import Matchers
from .text import SENTENCE_ENDINGS, NormalizedText, fold, normalize

# Punctuation and spaces do not make a copied reply different.
_NOT_COMPARED = re.compile(r"[\s,.;:!?()【】《》\"'、。…—\-~]")
_REASON_POINT_SEPARATORS = re.compile(
    rf"[{re.escape(SENTENCE_ENDINGS)},:、]|\(?\d+\)|[一二三四五六七八九十]+、"
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_ORDER_NUMBER_SEPARATORS = re.compile(r"[\s\-_]")


@lru_cache(maxsize=4096)
def comparable_text(text: str) -> str:
    """Return `text` normalised and stripped of punctuation, for similarity scores.

    Cached because the same earlier replies are compared again each time a reply is checked.
    """
    return _NOT_COMPARED.sub("", fold(text))


@dataclass(frozen=True)
class CopiedReply:
    earlier: EarlierReply
    similarity: float


def find_copied_reply(
    content: str,
    earlier_replies: tuple[EarlierReply, ...],
    threshold: float,
    matchers: Matchers,
) -> CopiedReply | None:
    """Return the earlier reply most similar to `content` if the similarity reaches `threshold`.

    Cited order numbers are left out of the comparison: a repeat must cite the earliest order, and
    adding that number to an earlier reply does not make it a new one.
    """
    for pattern in matchers.order_numbers:
        content = pattern.sub("", fold(content))
    current = comparable_text(content)
    if not current:
        return None
    best: CopiedReply | None = None
    cutoff = threshold * 100
    for earlier in earlier_replies:
        score = fuzz.ratio(current, comparable_text(earlier.reply_text), score_cutoff=cutoff)
        if score and (best is None or score / 100 > best.similarity):
            best = CopiedReply(earlier, score / 100)
    return best


def _bigrams(run: str) -> set[str]:
    return {run[index : index + 2] for index in range(len(run) - 1)}


def reason_points(reasons: str, matchers: Matchers) -> list[tuple[str, set[str]]]:
    """Split redo reasons into points, each with its two-character key terms.

    Stopwords (用户称, 要求, 仍 …) split a point's text the way punctuation would, so that
    用户称维修后仍漏水 yields the terms of 维修后 and 漏水.
    """
    points = []
    for point in _REASON_POINT_SEPARATORS.split(normalize(reasons).text):
        content = matchers.redo_stopword.sub("|", point)
        terms: set[str] = set()
        for run in _CJK_RUN.findall(content):
            terms |= _bigrams(run)
        if terms:
            points.append((point, terms))
    return points


def unanswered_reasons(
    normalized: NormalizedText, reasons: str, matchers: Matchers, min_coverage: float
) -> tuple[list[str], int]:
    """Return the redo reason points that the reply does not take up, and the number of points.

    A point counts as taken up when the reply contains at least `min_coverage` of its key terms.
    """
    points = reason_points(reasons, matchers)
    missing = []
    for point, terms in points:
        found = sum(1 for term in terms if term in normalized.text)
        if found / len(terms) < min_coverage:
            missing.append(point)
    return missing, len(points)


def cited_order_numbers(normalized: NormalizedText, matchers: Matchers) -> list[str]:
    numbers = []
    for pattern in matchers.order_numbers:
        numbers += [match.group("number") for match in pattern.finditer(normalized.text)]
    return numbers


def comparable_order_number(number: str) -> str:
    return _ORDER_NUMBER_SEPARATORS.sub("", fold(number)).upper()


def cites_order_number(normalized: NormalizedText, number: str) -> bool:
    """Return True if the reply contains `number`, ignoring case, width, spaces and hyphens."""
    wanted = comparable_order_number(number)
    return bool(wanted) and wanted in comparable_order_number(normalized.text)
