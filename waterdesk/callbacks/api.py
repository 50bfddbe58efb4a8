"""API of the callback desk: the queues, the window state and the statistics form."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from waterdesk.api.serializers import local_time, serialize_order_summary
from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.fields import OUT_OF_RANGE
from waterdesk.orders.permissions import require_role
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from .queue import awaiting_callback, awaiting_center_decision, window_state
from .statistics import callback_statistics, statistics_workbook

router = Router(tags=["callbacks"])

# Maximum number of days one statistics request may cover.
MAX_STATISTICS_DAYS = 366


@router.get("/queue")
def queue(request):
    """Orders owed a callback, nearest deadline first, with the reply and the citizen's phone."""
    require_role(request.auth, Role.CALLBACK_AGENT, Role.CENTER_HEAD)
    policy = get_policy()
    now = timezone.now()
    zone = policy.timezone
    return {
        "window": window_state(now, policy),
        "results": [
            {
                **serialize_order_summary(item["order"], request.auth, zone),
                "callback_kind": item["kind"],
                "callback_due_at": local_time(item["due_at"], zone),
                "reply": item["reply"],
                "failed_attempts": [local_time(at, zone) for at in item["failed_attempts"]],
                "next_attempt_from": local_time(item["next_attempt_from"], zone),
            }
            for item in awaiting_callback(now, policy)
        ],
    }


@router.get("/center-queue")
def center_queue(request):
    """Orders whose callback found the citizen unsatisfied or the reply untrue."""
    require_role(request.auth, Role.DISPATCHER, Role.CENTER_HEAD)
    zone = get_policy().timezone
    return [
        serialize_order_summary(order, request.auth, zone) for order in awaiting_center_decision()
    ]


def _read_period(
    first: datetime.date, last: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    last = last or first
    if last < first or (last - first).days >= MAX_STATISTICS_DAYS:
        raise InvalidInput.for_field(
            "to",
            OUT_OF_RANGE,
            _("The period must end on or after its first day and span at most %(days)d days.")
            % {"days": MAX_STATISTICS_DAYS},
        )
    return first, last


@router.get("/statistics")
def statistics(
    request,
    date_from: datetime.date = Query(..., alias="from"),
    date_to: datetime.date | None = Query(None, alias="to"),
):
    """The callback statistics form per day and agent."""
    require_role(request.auth, Role.CALLBACK_AGENT, Role.CENTER_HEAD, Role.DISPATCHER, Role.VIEWER)
    first, last = _read_period(date_from, date_to)
    return callback_statistics(first, last, get_policy().timezone)


@router.get("/statistics.xlsx")
def statistics_xlsx(
    request,
    date_from: datetime.date = Query(..., alias="from"),
    date_to: datetime.date | None = Query(None, alias="to"),
):
    """Return the same statistics as a spreadsheet with Chinese headers."""
    require_role(request.auth, Role.CALLBACK_AGENT, Role.CENTER_HEAD, Role.DISPATCHER, Role.VIEWER)
    first, last = _read_period(date_from, date_to)
    content = statistics_workbook(
        callback_statistics(first, last, get_policy().timezone), first, last
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="callbacks-{first}-{last}.xlsx"'
    return response
