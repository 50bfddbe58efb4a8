"""The month as an .xlsx workbook with Chinese headers: departments, penalties, callbacks."""

import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from waterdesk.callbacks.models import CallbackAttempt, CallbackKind
from waterdesk.orders.permissions import visible_orders
from waterdesk.organization.models import Department

from .figures import EXCLUDED, FIGURES, FIGURES_BY_NAME, RATES, figure_orders, month_bounds

# Figures that cost a department points: each gets its own list of orders in the penalty sheet.
PENALTY_FIGURES = ("rejected_replies", "buck_passing", "late_returns", "untrue_replies")


def _header_row(sheet, headers) -> None:
    sheet.append([str(header) for header in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)


def _prepare_for_print(sheet, title_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = title_rows


def month_workbook(report: dict, timezone_name: str, user) -> bytes:
    """Return the month's workbook; the order lists hold only the orders `user` may see.

    The department figures are the same for every reader, as on the report page. A department
    head's workbook lists only their own department's orders, as the drill-down does.
    """
    names = dict(Department.objects.values_list("code", "name"))
    workbook = Workbook()

    sheet = workbook.active
    sheet.title = str(_("Departments"))
    sheet.append([_("Monthly assessment %(month)s") % {"month": report["month"]}])
    sheet["A1"].font = Font(bold=True, size=14)
    columns = [figure.name for figure in FIGURES] + [EXCLUDED, *RATES]
    labels = [
        FIGURES_BY_NAME[name].label if name in FIGURES_BY_NAME else _rate_label(name)
        for name in columns
    ]
    _header_row(sheet, [_("Department"), *labels])
    for row in [*report["departments"], report["total"]]:
        department = (
            names.get(row["department"], row["department"]) if row["department"] else _("Total")
        )
        sheet.append([department, *(_cell(row.get(name)) for name in columns)])
    sheet.column_dimensions["A"].width = 18
    _prepare_for_print(sheet, "2:2")

    penalties = workbook.create_sheet(str(_("Orders behind penalties")))
    _header_row(penalties, [_("Figure"), _("Department"), _("Number"), _("Address"), _("Status")])
    for name in PENALTY_FIGURES:
        orders = visible_orders(user, figure_orders(report["month"], timezone_name, name))
        for order in orders.select_related("department"):
            penalties.append(
                [
                    str(FIGURES_BY_NAME[name].label),
                    order.department.name,
                    order.number,
                    order.address,
                    str(order.get_status_display()),
                ]
            )
    _prepare_for_print(penalties, "1:1")

    callbacks = workbook.create_sheet(str(_("Callbacks")))
    _header_row(
        callbacks,
        [
            _("Number"),
            _("Department"),
            _("Time"),
            _("Kind"),
            _("Outcome"),
            _("Reply is true"),
            _("Agent"),
        ],
    )
    start, end = month_bounds(report["month"], timezone_name)
    zone = ZoneInfo(timezone_name)
    attempts = (
        CallbackAttempt.objects.filter(
            order__created_at__gte=start,
            order__created_at__lt=end,
            order__in=visible_orders(user),
        )
        .select_related("order__department", "agent")
        .order_by("at")
    )
    for attempt in attempts:
        callbacks.append(
            [
                attempt.order.number,
                attempt.order.department.name,
                attempt.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                str(CallbackKind(attempt.kind).label),
                str(attempt.get_outcome_display()),
                {True: _("Yes"), False: _("No")}.get(attempt.reply_truthful, ""),
                attempt.agent.get_full_name() or attempt.agent.username,
            ]
        )
    _prepare_for_print(callbacks, "1:1")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, float):
        return round(value * 100, 2)
    return value


def _rate_label(name: str) -> str:
    """Return the header of a column that is not a figure: the excluded count or a rate."""
    return {
        EXCLUDED: _("Excluded from the assessment"),
        "closure_rate": _("Closure rate (%)"),
        "on_time_closure_rate": _("On-time closure rate (%)"),
        "callback_rate": _("Callback rate (%)"),
        "satisfaction_rate": _("Satisfaction rate (%)"),
    }.get(name, name)
