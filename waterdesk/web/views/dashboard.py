"""The dashboard: live counts by department and status, today's breaches, clocks due soon,
and the monthly assessment's rate trend and breaches by clock.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.permissions import ALL_ORDERS_ROLES, visible_orders
from waterdesk.orders.statuses import OPEN_STATUSES, Status
from waterdesk.organization.models import Department
from waterdesk.policy.models import get_policy
from waterdesk.reports.api import REPORT_ROLES
from waterdesk.reports.figures import RATES
from waterdesk.reports.trends import HEADLINE_RATES, breaches_by_clock, rate_trend

from ..access import page
from ..presenters import present_clock
from .center import open_clocks
from .reports import InvalidMonth, assessment_table, parse_month

DUE_SOON = datetime.timedelta(hours=1)
LIST_LIMIT = 50
# The rate trend covers the current month and the months before it.
TREND_MONTHS = 6
RATE_LABELS = {
    "on_time_closure_rate": _("On-time closure rate"),
    "closure_rate": _("Closure rate"),
    "satisfaction_rate": _("Satisfaction rate"),
}


def dashboard_context(user) -> dict:
    now = timezone.now()
    orders = visible_orders(user)
    counts = orders.values("department__code", "department__name", "status").annotate(
        count=Count("id")
    )
    statuses = list(Status)
    table: dict[str, dict] = {}
    for row in counts:
        entry = table.setdefault(
            row["department__code"],
            {"name": row["department__name"], "counts": dict.fromkeys(Status.values, 0)},
        )
        entry["counts"][row["status"]] = row["count"]
    rows = [
        {
            "code": code,
            "name": entry["name"],
            "cells": [entry["counts"][status] for status in Status.values],
            "open": sum(entry["counts"][status] for status in OPEN_STATUSES),
        }
        for code, entry in sorted(table.items(), key=lambda item: -item[1]["counts"]["new"])
    ]
    totals = [sum(row["cells"][index] for row in rows) for index in range(len(statuses))]

    local_now = timezone.localtime(now)
    today_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    breaches = (
        Clock.objects.filter(
            order__in=orders,
            breached_at__gte=today_start,
            breached_at__lt=today_start + datetime.timedelta(days=1),
        )
        .select_related("order", "order__department")
        .order_by("-breached_at")
    )
    due_soon = (
        open_clocks(user).filter(due_at__gt=now, due_at__lte=now + DUE_SOON).order_by("due_at")
    )
    open_statuses = [status for status in statuses if status in OPEN_STATUSES]
    chart = {
        "departments": [row["name"] for row in rows],
        "series": [
            {
                "name": str(status.label),
                "data": [row["cells"][Status.values.index(status.value)] for row in rows],
            }
            for status in open_statuses
        ],
    }
    return {
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "breach_count": breaches.count(),
        "breaches": [present_clock(clock, now) for clock in breaches[:LIST_LIMIT]],
        "due_soon_count": due_soon.count(),
        "due_soon": [
            present_clock(clock, now) for clock in due_soon.order_by("due_at")[:LIST_LIMIT]
        ],
        "chart": chart,
        "updated_at": now,
    }


def assessment_departments(user) -> list[Department] | None:
    """Return the departments whose charts `user` may choose, or None for no charts.

    The roles that may read the monthly report see the charts. Those who see every order choose
    any department or the whole utility. A department head sees only their own department, as
    in the rest of the dashboard.
    """
    if not user.has_role(*REPORT_ROLES):
        return None
    if user.has_role(*ALL_ORDERS_ROLES):
        return list(Department.objects.filter(is_active=True, is_dispatch_center=False))
    if user.department_id is None:
        return None
    return [user.department]


def assessment_context(user, requested_department: str, requested_month: str = "") -> dict | None:
    """Build the month's table and the rate trend and breaches charts, or return None for none.

    An unknown department code shows the whole utility. A department head always gets their
    own department, whatever the request names. An invalid month shows the current month with
    `month_error` set.
    """
    departments = assessment_departments(user)
    if departments is None:
        return None
    codes = [department.code for department in departments]
    fixed = not user.has_role(*ALL_ORDERS_ROLES)
    department = (
        codes[0] if fixed else (requested_department if requested_department in codes else "")
    )

    zone = get_policy().timezone
    month = timezone.localdate(timezone=ZoneInfo(zone)).strftime("%Y-%m")
    month_error = None
    if requested_month:
        try:
            month = parse_month(requested_month, zone)
        except InvalidMonth as error:
            month_error = str(error)
    trend = rate_trend(month, TREND_MONTHS, zone, department or None)
    breaches = breaches_by_clock(month, zone, department or None)
    return {
        "departments": departments,
        "department": department,
        "department_fixed": fixed,
        "first_month": trend[0]["month"],
        "month": month,
        "requested_month": requested_month if month_error else month,
        "month_error": month_error,
        "table": assessment_table(month, department),
        "trend": _trend_chart(trend, department),
        "breaches": _breaches_chart(month, breaches),
    }


def _trend_chart(trend: list[dict], department: str) -> dict:
    """Shape `rate_trend` rows for the line chart: rates in percent, None where undefined."""
    return {
        "months": [row["month"] for row in trend],
        "received": [row["received"] for row in trend],
        # Tooltip titles: a finalised month shows frozen figures and says so.
        "titles": [
            _("%(month)s (finalised)") % {"month": row["month"]}
            if row["finalized"]
            else row["month"]
            for row in trend
        ],
        "series": [
            {
                "name": str(RATE_LABELS[rate]),
                # The figure whose orders are the rate's numerator, for the drill-down list.
                "figure": RATES[rate][0],
                "data": [_percent(row[rate]) for row in trend],
            }
            for rate in HEADLINE_RATES
        ],
        "department": department,
        "drill_down_url": reverse("web:report-orders"),
        "received_label": str(_("Orders received")),
    }


def _breaches_chart(month: str, breaches: dict[str, int]) -> dict:
    return {
        "month": month,
        "name": str(_("Breached clocks")),
        "clocks": [str(ClockName(name).label) for name in breaches],
        "counts": list(breaches.values()),
    }


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


@page()
def dashboard(request):
    context = dashboard_context(request.user)
    assessment = assessment_context(
        request.user, request.GET.get("department", ""), request.GET.get("month", "").strip()
    )
    context["assessment"] = assessment
    status = 400 if assessment and assessment["month_error"] else 200
    return render(request, "web/dashboard.html", context, status=status)


@page()
def dashboard_live(request):
    return render(request, "web/partials/dashboard_live.html", dashboard_context(request.user))
