"""Errors raised by actions. Each has the stable code of the API contract and a Chinese message.

The API maps them to HTTP responses; the pages show the same messages.
"""

from django.utils.translation import gettext as _


class ActionError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(ActionError):
    """One or more fields are missing or malformed; `details` lists each field."""

    code = "invalid_input"
    http_status = 400

    def __init__(self, details: list[dict], message: str | None = None):
        if message is None:
            from .fields import field_label

            fields = "、".join(dict.fromkeys(field_label(item["field"]) for item in details))
            message = _("Please correct these fields: %(fields)s.") % {"fields": fields}
        super().__init__(message, details)

    @classmethod
    def for_field(cls, field: str, code: str, message: str) -> "InvalidInput":
        return cls([{"field": field, "code": code, "message": message}])


class NotAuthenticated(ActionError):
    code = "not_authenticated"
    http_status = 401


class Forbidden(ActionError):
    code = "forbidden"
    http_status = 403


class NotFound(ActionError):
    code = "not_found"
    http_status = 404


class InvalidTransition(ActionError):
    code = "invalid_transition"
    http_status = 409


class Conflict(ActionError):
    code = "conflict"
    http_status = 409


class ReplyRejected(ActionError):
    code = "reply_rejected"
    http_status = 422


class Throttled(ActionError):
    code = "throttled"
    http_status = 429
