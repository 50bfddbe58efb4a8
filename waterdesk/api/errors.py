"""Mapping errors to the contract's shape: {"error": {"code", "message", "details"}}."""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from waterdesk.orders.errors import ActionError

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install_error_handlers(api) -> None:
    @api.exception_handler(ActionError)
    def handle_action_error(request, error: ActionError):
        if error.http_status >= 500:
            logger.error("action failed: %s", error.message)
        return api.create_response(
            request, error_body(error.code, error.message, error.details), status=error.http_status
        )

    @api.exception_handler(AuthenticationError)
    def handle_authentication_error(request, error):
        return api.create_response(
            request,
            error_body(
                "not_authenticated",
                _("Log in first: send the header Authorization: Bearer <token>."),
            ),
            status=401,
        )

    @api.exception_handler(NinjaValidationError)
    def handle_validation_error(request, error: NinjaValidationError):
        details = []
        for item in error.errors:
            location = [
                str(part)
                for part in item.get("loc", ())
                if part not in ("body", "query", "path", "payload")
            ]
            field = ".".join(location) or "body"
            details.append(
                {
                    "field": field,
                    "code": "invalid",
                    "message": _("%(field)s is missing or malformed.") % {"field": field},
                }
            )
        return api.create_response(
            request,
            error_body(
                "invalid_input",
                _("Please correct these fields: %(fields)s.")
                % {"fields": "、".join(detail["field"] for detail in details)},
                details,
            ),
            status=400,
        )

    @api.exception_handler(Http404)
    def handle_not_found(request, error):
        return api.create_response(
            request, error_body("not_found", _("The requested item does not exist.")), status=404
        )

    @api.exception_handler(HttpError)
    def handle_http_error(request, error: HttpError):
        return api.create_response(
            request, error_body("invalid_input", str(error)), status=error.status_code
        )
