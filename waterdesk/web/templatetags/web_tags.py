"""Template helpers of the pages: the navigation of each role and the live countdown of a clock."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from waterdesk.organization.models import Role

from ..access import CENTER_ROLES, DEPARTMENT_ROLES
from ..views.approvals import APPROVAL_ROLES, count_approvals

register = template.Library()

# (URL name, label, roles that see it; empty means every logged-in user).
NAVIGATION = [
    ("web:dispatch", gettext_lazy("Dispatch console"), CENTER_ROLES),
    ("web:center", gettext_lazy("Center queues"), CENTER_ROLES),
    ("web:inbox", gettext_lazy("Department inbox"), DEPARTMENT_ROLES),
    (
        "web:callbacks",
        gettext_lazy("Callback desk"),
        (Role.CALLBACK_AGENT, Role.DISPATCHER, Role.CENTER_HEAD),
    ),
    ("web:approvals", gettext_lazy("Approvals"), APPROVAL_ROLES),
    ("web:dashboard", gettext_lazy("Dashboard"), ()),
    ("web:search", gettext_lazy("Search"), ()),
]


@register.simple_tag
def navigation_for(user) -> list[tuple[str, str]]:
    """Return the (URL name, label) pairs of the pages `user` may open."""
    return [
        (url_name, label)
        for url_name, label, roles in NAVIGATION
        if not roles or user.has_role(*roles)
    ]


@register.simple_tag
def approvals_waiting(user) -> int | None:
    """Count what awaits `user`'s decision; None for a user who decides nothing."""
    if not user.has_role(*APPROVAL_ROLES):
        return None
    return count_approvals(user)


@register.inclusion_tag("web/partials/countdown.html")
def countdown(clock_view):
    """Render a clock's time left, which app.js counts down every second in the browser."""
    return {"clock": clock_view}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def clock_text(seconds: int | None) -> str:
    """Format seconds left as 剩余 01:02:03, or overdue time as 超时 …, as app.js does."""
    if seconds is None:
        return ""
    total = abs(int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if days:
        text = f"{days}{pgettext('days in a countdown', 'd')} {text}"
    label = _("Left") if seconds > 0 else _("Overdue by")
    return f"{label} {text}"
