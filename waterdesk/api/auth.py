"""Bearer-token authentication for the API, and the login throttle."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from waterdesk.orders.errors import Forbidden, NotAuthenticated, Throttled

from .models import ApiToken

logger = logging.getLogger(__name__)

# Failed logins allowed per user name and client address within the window, then 429.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.user_for(token, timezone.now())
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


class ApiSessionAuth(SessionAuth):
    """The pages' session login also works for the API (with the CSRF check for writes)."""

    def _get_key(self, request):
        # Without a logged-in session there is nothing to protect, so a request without a token
        # gets 401 instead of failing the CSRF check.
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(_("The request failed the CSRF check. Reload the page and try again."))
        return request.COOKIES.get(self.param_name)


def _throttle_key(username: str, client: str) -> str:
    return f"login-failures:{username}:{client}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def login_for_token(request, username: str, password: str) -> tuple[ApiToken, str]:
    """Check the credentials and return a new token; too many failures raise Throttled."""
    key = _throttle_key(username, client_address(request))
    failures = cache.get(key, 0)
    if failures >= LOGIN_FAILURE_LIMIT:
        raise Throttled(
            _("Too many failed logins. Wait %(minutes)d minutes and try again.")
            % {"minutes": LOGIN_FAILURE_WINDOW_SECONDS // 60}
        )
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOGIN_FAILURE_WINDOW_SECONDS)
        logger.warning("failed API login for %s from %s", username, client_address(request))
        raise NotAuthenticated(_("The user name or password is wrong."))
    cache.delete(key)
    lifetime = datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    return ApiToken.issue(user, timezone.now(), lifetime)
