"""Page access: the roles of each page, each role's home page, and masking of personal data."""

import functools
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.api.serializers import PERSONAL_DATA_ROLES, mask_name, mask_phone
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.permissions import can_view_order
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

# The page each role starts on, in order of precedence: a center head who also dispatches starts
# on the center's queues, not on the dispatch console.
HOME_PAGES = (
    (Role.CENTER_HEAD, "web:center"),
    (Role.DISPATCHER, "web:dispatch"),
    (Role.CALLBACK_AGENT, "web:callbacks"),
    (Role.HANDLER, "web:inbox"),
    (Role.DEPARTMENT_HEAD, "web:inbox"),
)
FALLBACK_HOME_PAGE = "web:dashboard"

CENTER_ROLES = (Role.DISPATCHER, Role.CENTER_HEAD)
DEPARTMENT_ROLES = (Role.HANDLER, Role.DEPARTMENT_HEAD)


def home_page_for(user) -> str:
    """Return the URL name of the page where `user`'s work starts."""
    for role, url_name in HOME_PAGES:
        if user.has_role(role):
            return url_name
    return FALLBACK_HOME_PAGE


def page(*roles: str):
    """Decorate a view: log in first, then require one of `roles` (any role when none are given).

    The view runs with the policy's time zone active, so templates show local times.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_first(request)
            if roles and not request.user.has_role(*roles):
                raise PermissionDenied(_("Your role may not open this page."))
            timezone.activate(get_policy().timezone)
            try:
                return view(request, *args, **kwargs)
            finally:
                timezone.deactivate()

        return wrapper

    return decorator


def _login_first(request) -> HttpResponse:
    """Send an anonymous user to the login page, and back here afterwards.

    A request made by htmx, such as a live list refreshing after the session expired, gets a
    whole-page redirect to the login page. Otherwise htmx would swap the login form into the list.
    After login the user returns to the page that made the request.
    """
    if request.headers.get("HX-Request"):
        current = request.headers.get("HX-Current-URL") or "/"
        path = urlsplit(current).path or "/"
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': path})}"
        return response
    return redirect_to_login(request.get_full_path())


def get_visible_order(user, number: str) -> WorkOrder:
    """Return the order with `number`, or raise 404 when it does not exist and 403 when `user`
    may not see it."""
    order = (
        WorkOrder.objects.select_related("category", "department", "redo_of", "accepted_by")
        .filter(number=number)
        .first()
    )
    if order is None:
        raise Http404(_("No order has the number %(number)s.") % {"number": number})
    if not can_view_order(user, order):
        raise PermissionDenied(
            _("Order %(number)s belongs to another department; you may see only your own.")
            % {"number": number}
        )
    return order


def shows_personal_data(user) -> bool:
    return user.has_role(*PERSONAL_DATA_ROLES)


def citizen_phone(order: WorkOrder, user) -> str | None:
    """Return the order's phone as `user` may see it: in full, or masked as 138****1234."""
    return order.phone if shows_personal_data(user) else mask_phone(order.phone)


def citizen_name(order: WorkOrder, user) -> str | None:
    return order.reporter if shows_personal_data(user) else mask_name(order.reporter)
