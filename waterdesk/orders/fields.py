"""Strict reading of JSON input fields, collecting every problem before reporting.

The API, the importer and the pages all read input through `FieldReader`, so a malformed field gets
the same stable code and Chinese message wherever it comes from.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InvalidInput

# Detail codes of invalid_input; clients may rely on them.
MISSING = "missing"
INVALID = "invalid"
TOO_LONG = "too_long"
UNKNOWN = "unknown"
OUT_OF_RANGE = "out_of_range"


# What each input field is called on screen, so a message can name it in the user's language.
# Control characters other than tab and line breaks: PostgreSQL refuses NUL in text, and none
# of them belongs in what a person typed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FIELD_LABELS = {
    "body": gettext_lazy("request body"),
    "channel": gettext_lazy("channel"),
    "external_id": gettext_lazy("12345 hotline id"),
    "order_type": gettext_lazy("order type"),
    "redo_of": gettext_lazy("original order of the redo"),
    "redo_reasons": gettext_lazy("redo reasons"),
    "category": gettext_lazy("fault category"),
    "address": gettext_lazy("address"),
    "content": gettext_lazy("content"),
    "reporter": gettext_lazy("reporter"),
    "phone": gettext_lazy("phone"),
    "department": gettext_lazy("responsible department"),
    "time_limit_hours": gettext_lazy("time limit (hours)"),
    "due_at": gettext_lazy("due time"),
    "callback_required": gettext_lazy("callback required"),
    "night_contact_allowed": gettext_lazy("contact at night allowed"),
    "upstream_received_at": gettext_lazy("time the 12345 hotline received the call"),
    "dispatch": gettext_lazy("dispatch at once"),
    "at": gettext_lazy("time of the attempt"),
    "outcome": gettext_lazy("outcome"),
    "note": gettext_lazy("note"),
    "content_reply": gettext_lazy("reply"),
    "decision": gettext_lazy("decision"),
    "comment": gettext_lazy("comment"),
    "kind": gettext_lazy("callback kind"),
    "reply_truthful": gettext_lazy("reply is true"),
    "reason": gettext_lazy("reason"),
    "version": gettext_lazy("version"),
    "username": gettext_lazy("user name"),
    "password": gettext_lazy("password"),
    "into": gettext_lazy("order to merge into"),
    "contact_person": gettext_lazy("agreeing person"),
    "contact_phone": gettext_lazy("agreeing person's phone"),
    "basis": gettext_lazy("policy basis"),
    "evidence": gettext_lazy("on-site evidence"),
    "target_unit": gettext_lazy("unit to take the request"),
    "measures": gettext_lazy("measures"),
    "expected_done_at": gettext_lazy("expected completion time"),
    "citizen_agreed": gettext_lazy("citizen agreed"),
    "process": gettext_lazy("process so far"),
    "constraints": gettext_lazy("constraints"),
    "file": gettext_lazy("file"),
    "cursor": gettext_lazy("page cursor"),
    "script_steps": gettext_lazy("callback script steps"),
    "staff_contacted": gettext_lazy("staff contacted or visited"),
    "work_done": gettext_lazy("what was done"),
    "problem_solved": gettext_lazy("problem solved"),
}


def field_label(field: str, label_key: str | None = None) -> str:
    """Return the on-screen name of a field followed by its API name, e.g. 地址（address）.

    `label_key` names the entry of FIELD_LABELS where one API name means different things, as
    `content` is the citizen's request on an order and the department's text on a reply.
    """
    label = FIELD_LABELS.get(label_key or field)
    if label is None:
        return field
    return _("%(label)s (%(field)s)") % {"label": label, "field": field}


class FieldReader:
    """Read typed values out of a dict of JSON input and collect the problems found."""

    def __init__(self, data: Any, *, label_keys: dict[str, str] | None = None):
        self.problems: list[dict] = []
        self.label_keys = label_keys or {}
        if not isinstance(data, dict):
            self.data: dict = {}
            self.add_problem("body", INVALID, _("The request body must be a JSON object."))
        else:
            self.data = data

    def add_problem(self, field: str, code: str, message: str) -> None:
        self.problems.append({"field": field, "code": code, "message": message})

    def _label(self, field: str) -> str:
        return field_label(field, self.label_keys.get(field))

    def has_problem(self, field: str) -> bool:
        return any(problem["field"] == field for problem in self.problems)

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)

    def present(self, field: str) -> bool:
        return self.data.get(field) is not None

    def string(
        self, field: str, *, required: bool = False, max_length: int | None = None
    ) -> str | None:
        """Return the stripped text of `field`; None when absent or empty and not required."""
        value = self.data.get(field)
        if value is None:
            if required:
                self.add_problem(
                    field, MISSING, _("%(field)s is required.") % {"field": self._label(field)}
                )
            return None
        if not isinstance(value, str):
            self.add_problem(
                field, INVALID, _("%(field)s must be text.") % {"field": self._label(field)}
            )
            return None
        value = value.strip()
        if CONTROL_CHARACTERS.search(value):
            self.add_problem(
                field,
                INVALID,
                _(
                    "%(field)s contains a control character (such as NUL). Remove it, for "
                    "example by typing the text again instead of pasting it."
                )
                % {"field": self._label(field)},
            )
            return None
        if not value:
            if required:
                self.add_problem(
                    field,
                    MISSING,
                    _("%(field)s must not be empty.") % {"field": self._label(field)},
                )
            return None
        if max_length is not None and len(value) > max_length:
            self.add_problem(
                field,
                TOO_LONG,
                _("%(field)s has %(length)d characters; at most %(max)d are allowed. Shorten it.")
                % {"field": self._label(field), "length": len(value), "max": max_length},
            )
            return None
        return value

    def choice(self, field: str, choices, *, default: str | None = None) -> str | None:
        value = self.data.get(field)
        if value is None:
            if default is None:
                self.add_problem(
                    field, MISSING, _("%(field)s is required.") % {"field": self._label(field)}
                )
            return default
        allowed = [str(choice) for choice in choices.values]
        if value not in allowed:
            self.add_problem(
                field,
                INVALID,
                _("%(field)s must be one of: %(allowed)s.")
                % {"field": self._label(field), "allowed": ", ".join(allowed)},
            )
            return None
        return value

    def boolean(self, field: str, *, default: bool | None = None) -> bool | None:
        value = self.data.get(field)
        if value is None:
            if default is None:
                self.add_problem(
                    field, MISSING, _("%(field)s is required.") % {"field": self._label(field)}
                )
            return default
        if not isinstance(value, bool):
            self.add_problem(
                field,
                INVALID,
                _("%(field)s must be true or false.") % {"field": self._label(field)},
            )
            return None
        return value

    def optional_boolean(self, field: str) -> bool | None:
        """Return true or false when given, None when the field is absent or null."""
        if self.data.get(field) is None:
            return None
        return self.boolean(field)

    def number(self, field: str, *, minimum: Decimal, maximum: Decimal) -> Decimal | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.add_problem(
                field, INVALID, _("%(field)s must be a number.") % {"field": self._label(field)}
            )
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add_problem(
                field, INVALID, _("%(field)s must be a number.") % {"field": self._label(field)}
            )
            return None
        if not number.is_finite() or number <= minimum or number > maximum:
            self.add_problem(
                field,
                OUT_OF_RANGE,
                _("%(field)s must be greater than %(min)s and at most %(max)s.")
                % {"field": self._label(field), "min": minimum, "max": maximum},
            )
            return None
        return number

    def time(self, field: str, *, required: bool = False) -> datetime.datetime | None:
        """Read an ISO 8601 time that carries its UTC offset."""
        value = self.data.get(field)
        if value is None:
            if required:
                self.add_problem(
                    field, MISSING, _("%(field)s is required.") % {"field": self._label(field)}
                )
            return None
        parsed = parse_time(value)
        if parsed is None:
            self.add_problem(
                field,
                INVALID,
                _(
                    "%(field)s must be an ISO 8601 time with its UTC offset, "
                    "for example 2026-12-04T09:30:00+08:00."
                )
                % {"field": self._label(field)},
            )
        return parsed

    def phone(self, field: str) -> str | None:
        value = self.string(field, max_length=32)
        if value is None:
            return None
        normalized = normalize_phone(value)
        if normalized is None:
            self.add_problem(
                field,
                INVALID,
                _(
                    "%(field)s is not a valid Chinese phone number. Enter an 11-digit mobile "
                    "number such as 13800001234, or a landline with its area code such as "
                    "0396-7033818."
                )
                % {"field": self._label(field)},
            )
        return normalized


def parse_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed.astimezone(datetime.UTC)


def normalize_phone(raw: str) -> str | None:
    """Return the canonical form of a Chinese phone number, or None if it is not valid.

    Mobiles become 11 digits (13800001234); landlines become area code-number (0396-7033818).
    A landline without its area code is rejected because the area cannot be guessed.
    """
    cleaned = raw.strip().replace(" ", "").replace("－", "-").replace("—", "-")
    try:
        parsed = phonenumbers.parse(cleaned, "CN")
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        return None
    national = str(parsed.national_number)
    number_type = phonenumbers.number_type(parsed)
    if number_type == phonenumbers.PhoneNumberType.MOBILE:
        return national
    formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    # NATIONAL format for CN landlines is "0396 703 3818"; keep the area code apart only.
    area_code, _separator, subscriber = formatted.partition(" ")
    if not area_code.startswith("0") or not subscriber:
        return None
    return f"{area_code}-{subscriber.replace(' ', '')}"
