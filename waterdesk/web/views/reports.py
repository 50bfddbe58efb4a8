"""The monthly assessment on the pages: the table of figures and the orders behind one figure."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.permissions import visible_orders
from waterdesk.organization.models import Department
from waterdesk.policy.models import get_policy
from waterdesk.reports.api import REPORT_ROLES
from waterdesk.reports.figures import EXCLUDED, FIGURES, FIGURES_BY_NAME, RATES, month_bounds
from waterdesk.reports.figures import figure_orders as select_figure_orders
from waterdesk.reports.service import monthly_report, read_month

from ..access import page

ORDERS_PER_PAGE = 50
EXCLUDED_LABEL = gettext_lazy("Excluded from the assessment")
RATE_LABELS = {
    "closure_rate": gettext_lazy("Closure rate"),
    "on_time_closure_rate": gettext_lazy("On-time closure rate"),
    "callback_rate": gettext_lazy("Callback rate"),
    "satisfaction_rate": gettext_lazy("Satisfaction rate"),
}


class InvalidMonth(ValueError):
    """A month that is not YYYY-MM or lies outside the dates Python can represent."""


def parse_month(value: str, timezone_name: str) -> str:
    """Return `value` as a YYYY-MM month, or raise InvalidMonth with a message for the page."""
    message = _("The month “%(value)s” is invalid. Enter a month as YYYY-MM, for example 2026-12.")
    try:
        month = read_month(value)
        # Years 0000 and 9999-12 match the pattern but have no start or end in datetime.
        month_bounds(month, timezone_name)
    except (InvalidInput, ValueError, OverflowError):
        raise InvalidMonth(message % {"value": value}) from None
    return month


def figure_label(name: str) -> str:
    return str(EXCLUDED_LABEL if name == EXCLUDED else FIGURES_BY_NAME[name].label)


def orders_url(month: str, figure: str, department: str | None) -> str:
    query = {"month": month, "figure": figure}
    if department:
        query["department"] = department
    return f"{reverse('web:report-orders')}?{urlencode(query)}"


def format_rate(rate: float | None) -> str:
    """Format a rate of 0..1 as a percentage with two decimals, or a dash when undefined."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


def assessment_table(month: str, department: str) -> dict:
    """Build the month's figures as rows of figures and columns of departments.

    With `department` the table has that department's column only, else every department
    with orders in the month and the total. Each count links to the orders behind it.
    """
    report = monthly_report(month, department or None)
    names = dict(Department.objects.values_list("code", "name"))
    columns = [
        {"code": row["department"], "name": names.get(row["department"], row["department"])}
        for row in report["departments"]
    ]
    rows = list(report["departments"])
    if not department and report["departments"]:
        columns.append({"code": None, "name": _("Total"), "total": True})
        rows.append(report["total"])

    count_rows = []
    for name in [figure.name for figure in FIGURES] + [EXCLUDED]:
        cells = []
        for column, row in zip(columns, rows, strict=True):
            # A department column links with its code. An order without a department has no
            # code to filter by, so its count shows without a link.
            link = column["code"] or column.get("total")
            cells.append(
                {
                    "value": row[name],
                    "url": orders_url(month, name, column["code"]) if link else None,
                }
            )
        count_rows.append({"name": name, "label": figure_label(name), "cells": cells})
    rate_rows = [
        {"label": str(RATE_LABELS[rate]), "cells": [format_rate(row[rate]) for row in rows]}
        for rate in RATES
    ]
    return {
        "finalized": report["finalized"],
        "columns": columns,
        "count_rows": count_rows,
        "rate_rows": rate_rows,
        "export_url": f"{reverse('api-v1:monthly_xlsx')}?{urlencode({'month': month})}",
    }


@page(*REPORT_ROLES)
def figure_orders(request):
    """List the orders behind one figure of the monthly assessment, 50 per page."""
    zone = get_policy().timezone
    month_value = request.GET.get("month", "")
    figure = request.GET.get("figure", "")
    department = request.GET.get("department", "").strip()
    context = {"month": month_value, "figure": figure, "department": department}

    try:
        month = parse_month(month_value, zone)
    except InvalidMonth as error:
        context["error"] = str(error)
        return render(request, "web/report_orders.html", context, status=400)
    if figure not in FIGURES_BY_NAME and figure != EXCLUDED:
        context["error"] = _(
            "The figure “%(value)s” is unknown. Open the list from a count of the monthly "
            "assessment on the dashboard."
        ) % {"value": figure}
        return render(request, "web/report_orders.html", context, status=400)

    orders = visible_orders(
        request.user, select_figure_orders(month, zone, figure, department or None)
    )
    orders = orders.select_related("department").order_by("created_at", "id")
    page_of_orders = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    base_query = {key: value for key, value in context.items() if value}
    context.update(
        {
            "figure_label": figure_label(figure),
            "department_name": Department.objects.filter(code=department)
            .values_list("name", flat=True)
            .first()
            or department,
            "page_of_orders": page_of_orders,
            "previous_query": urlencode({**base_query, "page": page_of_orders.number - 1})
            if page_of_orders.has_previous()
            else None,
            "next_query": urlencode({**base_query, "page": page_of_orders.number + 1})
            if page_of_orders.has_next()
            else None,
            "dashboard_query": urlencode(
                {"month": month, **({"department": department} if department else {})}
            ),
        }
    )
    return render(request, "web/report_orders.html", context)
