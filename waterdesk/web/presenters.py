"""Presentation of clocks and events on the pages: states, colours and Chinese labels."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from waterdesk.callbacks.models import CallbackKind, CallbackOutcome
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.orders.models import ContactOutcome, OrderEvent, WorkOrder
from waterdesk.orders.statuses import Action, Status
from waterdesk.organization.models import Department

# Clock states; each is also the CSS class that colours the clock.
RUNNING = "running"
WARNING = "warning"  # inside the policy's warning lead before the due time
BREACHED = "breached"
MET = "met"
MET_LATE = "met-late"
STOPPED = "stopped"


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    label: str
    state: str
    # Seconds from the page's rendering to the due time (negative when overdue); None when the
    # clock no longer runs.
    seconds_left: int | None
    # Seconds before the due time at which the clock turns amber.
    warning_seconds: int

    @property
    def is_running(self) -> bool:
        return self.seconds_left is not None


def clock_state(clock: Clock, now: datetime.datetime) -> str:
    if clock.stopped_at is not None:
        return STOPPED
    if clock.met_at is not None:
        return MET_LATE if clock.met_at > clock.due_at else MET
    if clock.due_at <= now or clock.breached_at is not None:
        return BREACHED
    if clock.warn_at <= now:
        return WARNING
    return RUNNING


def present_clock(clock: Clock, now: datetime.datetime) -> ClockView:
    running = clock.is_open
    return ClockView(
        clock=clock,
        label=ClockName(clock.clock).label,
        state=clock_state(clock, now),
        seconds_left=int((clock.due_at - now).total_seconds()) if running else None,
        warning_seconds=max(int((clock.due_at - clock.warn_at).total_seconds()), 0),
    )


def open_clocks_prefetch() -> Prefetch:
    """Prefetch each order's open clocks, nearest due first, into `order.open_clocks`."""
    return Prefetch(
        "clocks",
        queryset=Clock.objects.filter(met_at__isnull=True, stopped_at__isnull=True).order_by(
            "due_at"
        ),
        to_attr="open_clocks",
    )


def running_clocks(order: WorkOrder, now: datetime.datetime) -> list[ClockView]:
    """Return views of the order's open clocks; the order must carry `open_clocks`."""
    return [present_clock(clock, now) for clock in order.open_clocks]


def _department_name(code: str | None, names: dict[str, str]) -> str:
    if not code:
        return ""
    return names.get(code, code)


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


def describe_event(event: OrderEvent, department_names: dict[str, str]) -> str:
    """Return a one-line Chinese description of what the event's data adds to its action."""
    data = event.data or {}
    action = event.action
    if action == Action.CREATE:
        return _("Responsible department: %(department)s.") % {
            "department": _department_name(data.get("department"), department_names)
        }
    if action == Action.DISPATCH:
        department = _department_name(data.get("department"), department_names)
        previous = data.get("from_department")
        if previous and previous != data.get("department"):
            return _("Dispatched to %(department)s instead of %(previous)s.") % {
                "department": department,
                "previous": _department_name(previous, department_names),
            }
        return _("Dispatched to %(department)s.") % {"department": department}
    if action == Action.CONTACT_ATTEMPT:
        outcome = data.get("outcome")
        if outcome in ContactOutcome.values:
            return ContactOutcome(outcome).label
    if action == Action.REVIEW:
        if data.get("decision") == "approve":
            return _("Approved.")
        return _("Rejected: %(comment)s") % {"comment": data.get("comment", "")}
    if action == Action.CALLBACK:
        return _describe_callback(data)
    if action in (Action.WARNING, Action.BREACH):
        clock = data.get("clock")
        if clock in ClockName.values:
            return _("Clock: %(clock)s.") % {"clock": ClockName(clock).label}
    if action == Action.CLOSE and data.get("reason"):
        return _("Reason: %(reason)s") % {"reason": data["reason"]}
    return ""


def _describe_callback(data: dict) -> str:
    parts = []
    if data.get("kind") in CallbackKind.values:
        parts.append(CallbackKind(data["kind"]).label)
    if data.get("outcome") in CallbackOutcome.values:
        parts.append(CallbackOutcome(data["outcome"]).label)
    if data.get("reply_truthful") is False:
        parts.append(_("the citizen says the reply is not true"))
    return "，".join(str(part) for part in parts)


@dataclass(frozen=True)
class TimelineEntry:
    event: OrderEvent
    label: str
    actor: str
    from_status: str
    to_status: str
    description: str


def timeline(order: WorkOrder) -> list[TimelineEntry]:
    """Return every event of the order in order, with Chinese labels."""
    names = dict(Department.objects.values_list("code", "name"))
    entries = []
    for event in order.events.select_related("actor").order_by("at", "id"):
        label = Action(event.action).label if event.action in Action.values else event.action
        entries.append(
            TimelineEntry(
                event=event,
                label=label,
                actor=event.actor.display_name if event.actor_id else _("System"),
                from_status=_status_label(event.from_status) if event.from_status else "",
                to_status=_status_label(event.to_status) if event.to_status else "",
                description=describe_event(event, names),
            )
        )
    return entries
