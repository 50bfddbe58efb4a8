"""Reply check engine: pure functions over a reply's text and its order's context.

It reads no database and imports no model, so the API, the pages and the benchmark all call it
the same way: build a `ReplyContext` and call `check_reply` (or `check` for the violations only).
"""

from .context import EarlierReply, ReplyContext
from .engine import check, check_reply, suggest_exemption_prefix
from .policy import ReplyRules, RulesError
from .results import CheckResult, ExemptionKind, Rule, Severity, Violation
from .text import TimeMention, find_time_mentions, normalize

__all__ = [
    "CheckResult",
    "EarlierReply",
    "ExemptionKind",
    "ReplyContext",
    "ReplyRules",
    "Rule",
    "RulesError",
    "Severity",
    "TimeMention",
    "Violation",
    "check",
    "check_reply",
    "find_time_mentions",
    "normalize",
    "suggest_exemption_prefix",
]
