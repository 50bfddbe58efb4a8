"""One function per rule code: each reads the analysed reply and returns its violations."""

from collections.abc import Callable

from . import messages
from .analysis import ReplyAnalysis, Span
from .exemption import Problem
from .history import (
    cited_order_numbers,
    cites_order_number,
    find_copied_reply,
    unanswered_reasons,
)
from .results import SEVERITIES, Rule, Violation

# How many sentences before an excuse (未移交) the words that state its verification may stand,
# besides the excuse's own sentence.
_VERIFICATION_SENTENCES_BACK = 1


def _violation(rule: Rule, message: str, span: Span | None = None) -> Violation:
    start, end = (span.start, span.end) if span is not None else (None, None)
    return Violation(rule.value, SEVERITIES[rule].value, message, start, end)


def _missing(rule: Rule, message: str, present: bool, required: bool = True) -> list[Violation]:
    return [_violation(rule, message)] if required and not present else []


def check_missing_contact(analysis: ReplyAnalysis) -> list[Violation]:
    return _missing(
        Rule.MISSING_CONTACT,
        messages.missing_contact(),
        analysis.elements.contact,
        analysis.requires_elements,
    )


def check_missing_cause(analysis: ReplyAnalysis) -> list[Violation]:
    return _missing(
        Rule.MISSING_CAUSE,
        messages.missing_cause(),
        analysis.elements.cause,
        analysis.requires_elements,
    )


def check_missing_measures(analysis: ReplyAnalysis) -> list[Violation]:
    return _missing(
        Rule.MISSING_MEASURES,
        messages.missing_measures(),
        analysis.elements.measures,
        analysis.requires_elements,
    )


def check_missing_result(analysis: ReplyAnalysis) -> list[Violation]:
    return _missing(
        Rule.MISSING_RESULT,
        messages.missing_result(),
        analysis.elements.result,
        analysis.requires_elements,
    )


def check_missing_acceptance(analysis: ReplyAnalysis) -> list[Violation]:
    """Flag a missing acceptance, unless the citizen left no contact or wants no callback."""
    return _missing(
        Rule.MISSING_ACCEPTANCE,
        messages.missing_acceptance(),
        analysis.elements.acceptance,
        analysis.requires_acceptance,
    )


def check_vague_only(analysis: ReplyAnalysis) -> list[Violation]:
    """Flag a reply whose only content is vague phrases (已处理完毕 …): once those are set aside,
    it states none of the four elements."""
    phrases = analysis.vague_phrases
    if not phrases or not analysis.requires_elements:
        return []
    elements = analysis.elements
    if elements.contact or elements.cause or elements.measures or elements.result:
        return []
    first, last = phrases[0], phrases[-1]
    span = analysis.span(first.normalized_start, last.normalized_end)
    return [_violation(Rule.VAGUE_ONLY, messages.vague_only(first.text), span)]


def check_unverified_excuse(analysis: ReplyAnalysis) -> list[Violation]:
    """Warn about 未移交 or 未验收 without the check that established it, in its sentence or the
    one before."""
    normalized = analysis.normalized
    violations = []
    for excuse in analysis.spans_of(analysis.matchers.unverified_excuse):
        start, end = normalized.sentence_bounds(excuse.normalized_start)
        for _ in range(_VERIFICATION_SENTENCES_BACK):
            if start > 0:
                start, _previous_end = normalized.sentence_bounds(start - 1)
        if analysis.matchers.verification.search(analysis.body, start, end):
            continue
        message = messages.unverified_excuse(excuse.text)
        violations.append(_violation(Rule.UNVERIFIED_EXCUSE, message, excuse))
    return violations


def check_vague_call_attempts(analysis: ReplyAnalysis) -> list[Violation]:
    violations = []
    for problem in analysis.calls.vague_attempts:
        span = analysis.span(problem.start, problem.end)
        message = messages.vague_call_attempts(span.text)
        violations.append(_violation(Rule.VAGUE_CALL_ATTEMPTS, message, span))
    return violations


def check_call_attempt_without_time(analysis: ReplyAnalysis) -> list[Violation]:
    violations = []
    for problem in analysis.calls.untimed_attempts:
        span = analysis.span(problem.start, problem.end)
        if problem.expected_calls > 1 and problem.timed_calls > 0:
            message = messages.call_attempts_partly_timed(
                span.text, problem.expected_calls, problem.timed_calls
            )
        else:
            message = messages.call_attempt_without_time(span.text)
        violations.append(_violation(Rule.CALL_ATTEMPT_WITHOUT_TIME, message, span))
    return violations


def check_no_contact_without_site_check(analysis: ReplyAnalysis) -> list[Violation]:
    """Flag a reply without a site check when the citizen left no phone to call."""
    required = not analysis.context.has_contact and analysis.requires_elements
    return _missing(
        Rule.NO_CONTACT_WITHOUT_SITE_CHECK,
        messages.no_contact_without_site_check(),
        analysis.elements.site_check,
        required,
    )


def check_copied_reply(analysis: ReplyAnalysis) -> list[Violation]:
    """Flag a redo reply or a reply to a repeated request that copies an earlier reply."""
    context = analysis.context
    if not (context.is_redo or context.is_repeat) or not context.earlier_replies:
        return []
    threshold = analysis.rules.copy_similarity_threshold
    copied = find_copied_reply(
        analysis.content, context.earlier_replies, threshold, analysis.matchers
    )
    if copied is None:
        return []
    message = messages.copied_reply(copied.earlier.order_number, copied.similarity)
    whole_reply = analysis.span(0, len(analysis.normalized.text))
    return [_violation(Rule.COPIED_REPLY, message, whole_reply)]


def check_missing_earliest_order(analysis: ReplyAnalysis) -> list[Violation]:
    """Flag a repeat that does not cite the earliest order's number, or any order number when the
    caller knows the order is a repeat but not which order came first."""
    context = analysis.context
    if not context.is_repeat:
        return []
    if context.earliest_order_number:
        cited = cites_order_number(analysis.normalized, context.earliest_order_number)
    else:
        cited = bool(cited_order_numbers(analysis.normalized, analysis.matchers))
    message = messages.missing_earliest_order(context.earliest_order_number)
    return _missing(Rule.MISSING_EARLIEST_ORDER, message, cited)


def check_bad_exemption_prefix(analysis: ReplyAnalysis) -> list[Violation]:
    prefix = analysis.exemption
    if prefix is None or prefix.is_valid:
        return []
    rules = analysis.rules
    if prefix.problem == Problem.KIND:
        message = messages.exemption_prefix_kind(
            rules.judicial_exemption_prefix, rules.petition_exemption_prefix
        )
    elif prefix.problem == Problem.POSITION:
        message = messages.exemption_prefix_position(prefix.suggestion)
    elif prefix.problem == Problem.DOCUMENT and prefix.suggestion == rules.policy_exemption_prefix:
        example = rules.policy_exemption_prefix.replace(
            rules.document_placeholder, messages.EXAMPLE_DOCUMENT
        )
        message = messages.exemption_prefix_document_unknown(rules.document_placeholder, example)
    elif prefix.problem == Problem.DOCUMENT:
        message = messages.exemption_prefix_document(prefix.suggestion)
    else:
        message = messages.exemption_prefix_form(prefix.suggestion)
    span = analysis.span(prefix.normalized_start, prefix.normalized_end)
    return [_violation(Rule.BAD_EXEMPTION_PREFIX, message, span)]


def check_redo_reasons_unanswered(analysis: ReplyAnalysis) -> list[Violation]:
    """Warn when a redo reply takes up none of the 12345 hotline's redo reasons."""
    context = analysis.context
    if not context.is_redo or not context.redo_reasons:
        return []
    missing, total = unanswered_reasons(
        analysis.normalized,
        context.redo_reasons,
        analysis.matchers,
        analysis.rules.redo_reason_min_coverage,
    )
    if total == 0 or len(missing) < total:
        return []
    message = messages.redo_reasons_unanswered(context.redo_reasons.strip())
    return [_violation(Rule.REDO_REASONS_UNANSWERED, message)]


# The rules in the order their violations are listed.
RULES: tuple[Callable[[ReplyAnalysis], list[Violation]], ...] = (
    check_bad_exemption_prefix,
    check_vague_only,
    check_missing_contact,
    check_no_contact_without_site_check,
    check_missing_cause,
    check_missing_measures,
    check_missing_result,
    check_missing_acceptance,
    check_vague_call_attempts,
    check_call_attempt_without_time,
    check_unverified_excuse,
    check_copied_reply,
    check_missing_earliest_order,
    check_redo_reasons_unanswered,
)
