"""The callback statistics form (回访统计表): per day and agent, due, made, reached, by outcome."""

import datetime
import io
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from waterdesk.deadlines.models import Clock, ClockName

from .models import CallbackAttempt, CallbackOutcome


def callback_statistics(
    first_day: datetime.date, last_day: datetime.date, timezone_name: str
) -> list[dict]:
    """Return one row per local day and agent, plus a row per day for callbacks due that day.

    `due` counts the callback deadlines falling on the day (the whole center's, so it sits on the
    day's row without an agent); `made`, `reached` and each outcome count one agent's attempts.
    """
    zone = ZoneInfo(timezone_name)
    start = datetime.datetime.combine(first_day, datetime.time.min, zone)
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, zone)
    rows: dict[tuple[datetime.date, str | None], dict] = defaultdict(
        lambda: {
            "due": 0,
            "made": 0,
            "reached": 0,
            **{outcome: 0 for outcome in CallbackOutcome.values},
        }
    )
    for due_at in Clock.objects.filter(
        clock=ClockName.CALLBACK, due_at__gte=start, due_at__lt=end
    ).values_list("due_at", flat=True):
        rows[(due_at.astimezone(zone).date(), None)]["due"] += 1
    attempts = CallbackAttempt.objects.filter(at__gte=start, at__lt=end).values_list(
        "at", "agent__username", "outcome"
    )
    for at, agent, outcome in attempts:
        row = rows[(at.astimezone(zone).date(), agent)]
        row["made"] += 1
        row["reached"] += outcome != CallbackOutcome.UNREACHABLE
        row[outcome] += 1
    return [
        {"day": day.isoformat(), "agent": agent, **counts}
        for (day, agent), counts in sorted(
            rows.items(), key=lambda item: (item[0][0], item[0][1] or "")
        )
    ]


def statistics_workbook(
    rows: list[dict], first_day: datetime.date, last_day: datetime.date
) -> bytes:
    """Write the statistics rows as an .xlsx sheet with Chinese headers, ready to print."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Callback statistics")
    sheet.append(
        [
            _("Callback statistics from %(first)s to %(last)s")
            % {"first": first_day, "last": last_day}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    headers = [
        _("Date"),
        _("Callback agent"),
        _("Callbacks due"),
        _("Callbacks made"),
        _("Reached"),
        *(CallbackOutcome(outcome).label for outcome in CallbackOutcome.values),
    ]
    sheet.append([str(header) for header in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(
            [
                row["day"],
                row["agent"] or _("(whole center)"),
                row["due"],
                row["made"],
                row["reached"],
                *(row[outcome] for outcome in CallbackOutcome.values),
            ]
        )
    for column, width in zip("ABCDEFGHI", (12, 16, 10, 10, 10, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
