"""Recording callbacks (回访): only inside the callback windows, two failed tries in two slots."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.deadlines import clocks
from waterdesk.deadlines.calendar import next_opening, period_at
from waterdesk.deadlines.calendars import callback_calendar
from waterdesk.deadlines.models import ClockName
from waterdesk.orders import hooks
from waterdesk.orders.errors import InvalidInput, InvalidTransition
from waterdesk.orders.fields import INVALID, MISSING, FieldReader, field_label
from waterdesk.orders.permissions import require_role
from waterdesk.orders.statuses import Action, Status
from waterdesk.orders.transitions import (
    apply_transition,
    check_transition,
    lock_order,
    record_without_transition,
)
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from .models import CallbackAttempt, CallbackKind, CallbackOutcome, ScriptStep

SUCCESSFUL_OUTCOMES = (CallbackOutcome.SATISFIED, CallbackOutcome.BASICALLY_SATISFIED)


def record_callback(
    actor,
    order,
    data: dict,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
):
    """Record one callback attempt made now and apply its consequence.

    1. Outside the policy's callback windows nothing is recorded: the error names the next opening.
    2. A satisfied or basically satisfied result callback closes the order.
    3. An unreachable attempt in the same slot as an earlier failed one is rejected; one in a
       different slot closes the order as unreachable, with both times in the event.
    4. An unsatisfied callback, or one that finds the reply untrue, keeps the order awaiting the
       center's decision (close with a reason, or dispatch again).
    """
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, Role.CALLBACK_AGENT)
    reader = FieldReader(data)
    kind = reader.choice("kind", CallbackKind)
    outcome = reader.choice("outcome", CallbackOutcome)
    reply_truthful = reader.optional_boolean("reply_truthful")
    note = reader.string("note", max_length=policy.max_note_length) or ""
    staff_contacted = reader.optional_boolean("staff_contacted")
    problem_solved = reader.optional_boolean("problem_solved")
    work_done = reader.string("work_done", max_length=policy.max_note_length) or ""
    script_steps = _read_script_steps(reader)
    if (
        kind == CallbackKind.RESULT
        and outcome not in (None, CallbackOutcome.UNREACHABLE)
        and reply_truthful is None
        and not reader.has_problem("reply_truthful")
    ):
        reader.add_problem(
            "reply_truthful",
            MISSING,
            _("Say in %(field)s whether the citizen confirmed the reply is true.")
            % {"field": field_label("reply_truthful")},
        )
    reader.raise_if_problems()

    calendar = callback_calendar(policy)
    slot = period_at(now, calendar)
    if slot is None:
        opens = next_opening(now, calendar).astimezone(ZoneInfo(policy.timezone))
        raise InvalidTransition(
            _("Callbacks are made only in the callback windows. The next window opens at %(time)s.")
            % {"time": opens.strftime("%Y-%m-%d %H:%M")}
        )
    slot_id = f"{slot.local_date.isoformat()}#{slot.index}"

    with transaction.atomic():
        order = lock_order(order, expected_version)
        if kind == CallbackKind.PROCESS:
            # After an approved extension the citizen is first asked about the process so far.
            if not order.process_callback_pending:
                raise InvalidTransition(
                    _("Order %(number)s has no process callback due.") % {"number": order.number}
                )
            check_transition(order, Action.CALLBACK, order.status)
            since = _extension_approved_at(order)
        else:
            check_transition(order, Action.CALLBACK, Status.CALLBACK_PENDING)
            since = order.replied_at

        earlier_failures = list(
            CallbackAttempt.objects.filter(
                order=order, kind=kind, outcome=CallbackOutcome.UNREACHABLE, at__gte=since
            ).order_by("at")
        )
        if outcome == CallbackOutcome.UNREACHABLE and any(
            attempt.slot == slot_id for attempt in earlier_failures
        ):
            raise InvalidInput.for_field(
                "outcome",
                "same_slot",
                _(
                    "A failed callback was already made in this time slot. Try again in a "
                    "different slot: the other window or the next day."
                ),
            )

        attempt = CallbackAttempt.objects.create(
            order=order,
            kind=kind,
            outcome=outcome,
            reply_truthful=reply_truthful,
            note=note,
            agent=actor,
            at=now,
            slot=slot_id,
            staff_contacted=staff_contacted,
            work_done=work_done,
            problem_solved=problem_solved,
            script_steps=script_steps,
        )
        event_data = {
            "callback": attempt.pk,
            "kind": kind,
            "outcome": outcome,
            "reply_truthful": reply_truthful,
        }
        gave_up = outcome == CallbackOutcome.UNREACHABLE and bool(earlier_failures)
        if gave_up:
            event_data["attempt_times"] = [
                item.at.isoformat() for item in [*earlier_failures, attempt]
            ]

        if kind == CallbackKind.PROCESS:
            # The process callback is done once the citizen was reached or two slots failed.
            if outcome != CallbackOutcome.UNREACHABLE or gave_up:
                order.process_callback_pending = False
            record_without_transition(
                order,
                Action.CALLBACK,
                actor,
                now,
                changed_fields=("process_callback_pending",),
                data=event_data,
            )
        elif outcome == CallbackOutcome.UNREACHABLE:
            if gave_up:
                event_data["closed_because"] = "unreachable"
                _close_after_callback(order, actor, now, event_data)
            else:
                record_without_transition(order, Action.CALLBACK, actor, now, data=event_data)
        elif outcome in SUCCESSFUL_OUTCOMES and reply_truthful is not False:
            event_data["closed_because"] = "satisfied"
            _close_after_callback(order, actor, now, event_data)
        else:
            event_data["needs_center_decision"] = True
            record_without_transition(order, Action.CALLBACK, actor, now, data=event_data)
            clocks.meet_clock(order, ClockName.CALLBACK, now)
            if reply_truthful is False:
                hooks.reply_untrue(order, attempt, now)
    return order


def _close_after_callback(order, actor, now, event_data: dict) -> None:
    order.closed_at = now
    apply_transition(
        order,
        Action.CALLBACK,
        Status.CLOSED,
        actor,
        now,
        changed_fields=("closed_at",),
        data=event_data,
    )
    clocks.meet_clock(order, ClockName.CALLBACK, now)
    clocks.stop_open_clocks(order, now)


def _extension_approved_at(order):
    event = (
        order.events.filter(action=Action.EXTENSION_DECISION, data__decision="approve")
        .order_by("-at", "-id")
        .first()
    )
    return event.at if event else order.accepted_at


def _read_script_steps(reader: FieldReader) -> list[str]:
    """Read the ticked script steps; the statistics step is ticked by recording the callback."""
    raw = reader.data.get("script_steps")
    if raw is None:
        return []
    if not isinstance(raw, list) or any(step not in ScriptStep.values for step in raw):
        reader.add_problem(
            "script_steps",
            INVALID,
            _("%(field)s must be a list of these steps: %(steps)s.")
            % {"field": field_label("script_steps"), "steps": ", ".join(ScriptStep.values)},
        )
        return []
    ticked = set(raw) | {ScriptStep.STATISTICS}
    return [step for step in ScriptStep.values if step in ticked]
