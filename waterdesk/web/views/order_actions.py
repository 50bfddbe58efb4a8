"""The order page's buttons: each calls one action exactly as the API does.

On success the user goes back to the page they came from (or the order page). On an error the
order page opens again with the action's Chinese message next to the field it names.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from waterdesk.callbacks.actions import record_callback
from waterdesk.callbacks.models import CallbackKind
from waterdesk.orders import actions
from waterdesk.orders.errors import ActionError, Forbidden, NotFound

from ..access import get_visible_order, page
from ..forms import (
    ActionForm,
    CallbackForm,
    CloseForm,
    ContactAttemptForm,
    DispatchForm,
    ReplyForm,
    ReviewForm,
)
from .callbacks import callback_context, callback_kind_due
from .order import order_context

logger = logging.getLogger(__name__)


def _expected_version(request) -> int | None:
    """Return the order version the page was showing, so a change made since is a conflict."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def run_action(
    request, number: str, name: str, form: ActionForm, call, *, template="web/order.html"
):
    """Run `call(order, form, version)` when the form is valid.

    Redirect on success. Otherwise render the page again with the errors next to their fields.
    """
    order = get_visible_order(request.user, number)
    status = 400
    if form.is_valid():
        try:
            call(order, form, _expected_version(request))
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        except NotFound as error:
            raise Http404(error.message) from error
        except ActionError as error:
            logger.info(
                "order %s: %s by %s rejected: %s", number, name, request.user.username, error.code
            )
            form.add_action_error(error, default_field=_default_field(name))
            status = error.http_status
        else:
            return redirect(_next_url(request, reverse("web:order", args=[order.number])))
    order.refresh_from_db()
    context = order_context(request, order, forms={name: form})
    context["failed_action"] = name
    if template != "web/order.html":
        context.update(callback_context(request, order, form))
    return render(request, template, context, status=status)


def _default_field(name: str) -> str | None:
    # A rejected reply's violations name no field; they belong under the reply box.
    return "content" if name == "reply" else None


@require_POST
@page()
def dispatch(request, number: str):
    def call(order, form, version):
        actions.dispatch_order(
            request.user,
            order.number,
            form.cleaned_data["department"] or None,
            expected_version=version,
        )

    return run_action(request, number, "dispatch", DispatchForm(request.POST), call)


@require_POST
@page()
def accept(request, number: str):
    def call(order, form, version):
        actions.accept_order(request.user, order.number, expected_version=version)

    return run_action(request, number, "accept", ActionForm(request.POST), call)


@require_POST
@page()
def contact_attempt(request, number: str):
    def call(order, form, version):
        actions.record_contact_attempt(
            request.user,
            order.number,
            form.action_data(order.accepted_at),
            expected_version=version,
        )

    return run_action(request, number, "contact_attempt", ContactAttemptForm(request.POST), call)


@require_POST
@page()
def reply(request, number: str):
    def call(order, form, version):
        actions.submit_reply(
            request.user, order.number, form.reply_text(), expected_version=version
        )

    return run_action(request, number, "reply", ReplyForm(request.POST), call)


@require_POST
@page()
def review(request, number: str):
    def call(order, form, version):
        actions.review_reply(
            request.user, order.number, form.action_data(), expected_version=version
        )

    return run_action(request, number, "review", ReviewForm(request.POST), call)


@require_POST
@page()
def close(request, number: str):
    def call(order, form, version):
        actions.close_order(
            request.user, order.number, form.action_data(), expected_version=version
        )

    return run_action(request, number, "close", CloseForm(request.POST), call)


@require_POST
@page()
def callback(request, number: str):
    def call(order, form, version):
        record_callback(request.user, order.number, form.action_data(), expected_version=version)

    owed = callback_kind_due(get_visible_order(request.user, number)) or CallbackKind.RESULT
    return run_action(
        request,
        number,
        "callback",
        CallbackForm(request.POST, kind=owed),
        call,
        template="web/callback.html",
    )
