"""Results of the reply check: violations with stable rule codes, and the exemption found."""

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """Stable rule codes of the public API."""

    MISSING_CONTACT = "missing_contact"
    MISSING_CAUSE = "missing_cause"
    MISSING_MEASURES = "missing_measures"
    MISSING_RESULT = "missing_result"
    MISSING_ACCEPTANCE = "missing_acceptance"
    VAGUE_ONLY = "vague_only"
    UNVERIFIED_EXCUSE = "unverified_excuse"
    VAGUE_CALL_ATTEMPTS = "vague_call_attempts"
    CALL_ATTEMPT_WITHOUT_TIME = "call_attempt_without_time"
    NO_CONTACT_WITHOUT_SITE_CHECK = "no_contact_without_site_check"
    COPIED_REPLY = "copied_reply"
    MISSING_EARLIEST_ORDER = "missing_earliest_order"
    BAD_EXEMPTION_PREFIX = "bad_exemption_prefix"
    REDO_REASONS_UNANSWERED = "redo_reasons_unanswered"


class Severity(StrEnum):
    ERROR = "error"  # the reply may not be sent as it is
    WARNING = "warning"  # the reviewer should look, but the reply may be sent


SEVERITIES = {rule: Severity.ERROR for rule in Rule}
SEVERITIES[Rule.UNVERIFIED_EXCUSE] = Severity.WARNING
SEVERITIES[Rule.REDO_REASONS_UNANSWERED] = Severity.WARNING


class ExemptionKind(StrEnum):
    POLICY = "policy"  # the request is not supported by law, policy or standards
    JUDICIAL = "judicial"  # the request is already being handled by a court
    PETITION = "petition"  # the request is already being handled as a petition (信访)


@dataclass(frozen=True)
class Violation:
    """One broken rule. `start` and `end` are offsets into the reply as typed, or None when the
    fault is something missing rather than some text."""

    rule: str
    severity: str
    message: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """The violations of a reply, and the kind of its exemption prefix if that prefix is valid."""

    violations: list[Violation]
    exemption_kind: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the reply may be sent: it breaks no rule of severity error."""
        return not any(violation.severity == Severity.ERROR for violation in self.violations)

    @property
    def errors(self) -> list[Violation]:
        return [violation for violation in self.violations if violation.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [
            violation for violation in self.violations if violation.severity == Severity.WARNING
        ]
