"""Logging in, with the same throttle as the API's token login, and the home page of each role."""

import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from waterdesk.api.auth import (
    LOGIN_FAILURE_LIMIT,
    LOGIN_FAILURE_WINDOW_SECONDS,
    client_address,
)
from waterdesk.api.auth import _throttle_key as login_throttle_key

from ..access import home_page_for

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """The login page. After LOGIN_FAILURE_LIMIT failures for one user name from one address
    within the window, further attempts are refused until the window has passed.

    The failure counter is the one the API's token login uses, so failures on either count
    towards the same limit.
    """

    template_name = "web/login.html"
    redirect_authenticated_user = True
    # Without a next parameter, the home page sends each role on to its own work.
    next_page = "web:home"

    def post(self, request, *args, **kwargs):
        key = self._throttle_key()
        if cache.get(key, 0) >= LOGIN_FAILURE_LIMIT:
            logger.warning(
                "page login rejected for %s from %s: too many failures",
                self._username(),
                client_address(request),
            )
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("Too many failed logins. Wait %(minutes)d minutes and try again.")
                % {"minutes": LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        cache.delete(self._throttle_key())
        return super().form_valid(form)

    def form_invalid(self, form):
        if self._username():
            key = self._throttle_key()
            # add() starts the window with the first failure; incr() keeps its expiry.
            if not cache.add(key, 1, LOGIN_FAILURE_WINDOW_SECONDS):
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, LOGIN_FAILURE_WINDOW_SECONDS)
            logger.warning(
                "failed page login for %s from %s", self._username(), client_address(self.request)
            )
        return super().form_invalid(form)

    def _username(self) -> str:
        return self.request.POST.get("username", "").strip()[:150]

    def _throttle_key(self) -> str:
        return login_throttle_key(self._username(), client_address(self.request))


@login_required
def home(request):
    """Open the page where the user's work starts."""
    return redirect(home_page_for(request.user))
