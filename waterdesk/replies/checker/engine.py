"""The entry points of the reply check."""

from .analysis import ReplyAnalysis
from .context import ReplyContext
from .exemption import find_exemption_prefix
from .matching import compile_rules
from .policy import ReplyRules
from .results import CheckResult, Violation
from .rules import RULES
from .text import normalize


def check_reply(content: str, context: ReplyContext) -> CheckResult:
    """Check a reply against every rule, and tell whether it carries a valid exemption prefix.

    A valid exemption prefix does not exempt the reply from the element rules. The prefix only
    proposes to leave the order out of the monthly assessment, which the center may reject, and
    the regulation still requires an explanation to the citizen. A reply failing the four elements
    gets no callback and is dispatched again. What changes is what counts as each element: the
    cited basis, or the channel and progress of a court or petition case (see `find_elements`).
    """
    analysis = ReplyAnalysis(content, context)
    violations: list[Violation] = []
    for rule in RULES:
        violations.extend(rule(analysis))
    prefix = analysis.exemption
    exemption_kind = prefix.kind if prefix is not None and prefix.is_valid else None
    return CheckResult(violations=violations, exemption_kind=exemption_kind)


def check(content: str, context: ReplyContext) -> list[Violation]:
    """Return the violations of a reply; see `check_reply`."""
    return check_reply(content, context).violations


def suggest_exemption_prefix(content: str, rules: ReplyRules | None = None) -> str | None:
    """Return the corrected exemption prefix for a reply whose prefix is not in the preset form.

    Returns None when the reply has no exemption prefix, when its prefix is already valid, or when
    it does not tell between court and petition. A policy prefix takes its document name from the
    prefix itself or from the first 《…》 of the body. With neither, the suggestion keeps the
    template's placeholder.
    """
    rules = rules or ReplyRules.preset()
    prefix = find_exemption_prefix(normalize(content), compile_rules(rules), rules)
    if prefix is None or prefix.is_valid:
        return None
    return prefix.suggestion
