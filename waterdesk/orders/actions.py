"""Every change of a work order's state: create, dispatch, accept, contact, reply, review, close.

The API, the pages, the admin, the importer and the tasks all call these functions; none of them
changes an order any other way. Each action checks role, department and state itself.
"""

import datetime
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.deadlines import clocks
from waterdesk.deadlines.models import Clock, ClockName
from waterdesk.organization.models import Department, Role
from waterdesk.policy.models import get_policy

from . import hooks
from .addresses import address_key
from .errors import InvalidInput, InvalidTransition, ReplyRejected
from .fields import INVALID, MISSING, OUT_OF_RANGE, FieldReader, field_label
from .history import OrderHistory, attach_history
from .inserts import insert_rows
from .models import (
    ContactAttempt,
    ContactOutcome,
    ExemptionStatus,
    OrderEvent,
    Reply,
    ReplyStatus,
    WorkOrder,
)
from .numbering import next_order_number
from .permissions import require_own_department, require_role
from .statuses import Action, OrderType, Status
from .transitions import (
    apply_transition,
    check_transition,
    lock_order,
    record_without_transition,
)
from .validation import OrderInput, find_department, parse_order_input

logger = logging.getLogger(__name__)

CREATE_ROLES = (Role.DISPATCHER, Role.CENTER_HEAD, Role.ADMIN)
CENTER_DECISION_ROLES = (Role.DISPATCHER, Role.CENTER_HEAD)
REDO_AWAITING_STATUSES = (ReplyStatus.AWAITING_DEPARTMENT_HEAD, ReplyStatus.AWAITING_CENTER_HEAD)


def create_order(
    actor, data: dict, *, now: datetime.datetime | None = None
) -> tuple[WorkOrder, bool]:
    """Create an order from a create-order request and return `(order, created)`.

    `actor` is None for the system (the importer, the 12345 adapter). An order with a
    `(channel, external_id)` that already exists is returned unchanged with `created` False, also
    when two identical requests arrive at once: the unique constraint decides, and the loser
    reads the winner's order.
    """
    now = now or timezone.now()
    if actor is not None:
        require_role(actor, *CREATE_ROLES)
    policy = get_policy()
    order_input = parse_order_input(data, policy, now)

    if order_input.external_id is not None:
        existing = _find_by_external_id(order_input)
        if existing is not None:
            return existing, False
    # Reserved before the transaction, so the day's counter row is not locked until commit.
    number = next_order_number(now, policy.timezone)
    try:
        with transaction.atomic():
            order = _insert_order(actor, number, order_input, policy, now)
    except IntegrityError:
        existing = _find_by_external_id(order_input) if order_input.external_id else None
        if existing is None:
            raise
        logger.info(
            "order %s: concurrent create with external id %s returned the existing order",
            existing.number,
            order_input.external_id,
        )
        return existing, False
    return order, True


def _find_by_external_id(order_input: OrderInput) -> WorkOrder | None:
    # Every 12345 order is looked up before it is created, and almost none exists. A plain
    # statement finds that in about 0.1 ms of CPU, where the ORM's query took about 0.7 ms.
    sql = f"SELECT id FROM {WorkOrder._meta.db_table} WHERE channel = %s AND external_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [order_input.channel, order_input.external_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return WorkOrder.objects.select_related("category", "department", "redo_of").get(pk=row[0])


def _insert_order(
    actor, number: str, order_input: OrderInput, policy, now: datetime.datetime
) -> WorkOrder:
    """Insert the order with its create event and dispatch clock, dispatched at once if asked.

    A new order has no rows yet that a dispatch would have to stop or look up. So the dispatch
    at creation is applied before the insert, and the order row is written once, in its final
    state. Its events and clocks take one statement each. The history is the same as a create
    followed by dispatch_order.
    """
    order = WorkOrder(
        number=number,
        channel=order_input.channel,
        external_id=order_input.external_id,
        order_type=order_input.order_type,
        redo_of=order_input.redo_of,
        redo_reasons=order_input.redo_reasons,
        category=order_input.category,
        address=order_input.address,
        address_key=address_key(order_input.address),
        content=order_input.content,
        reporter=order_input.reporter,
        phone=order_input.phone,
        department=order_input.department,
        time_limit_hours=order_input.time_limit_hours,
        due_at=order_input.due_at,
        callback_required=order_input.callback_required,
        night_contact_allowed=order_input.night_contact_allowed,
        upstream_received_at=order_input.upstream_received_at,
        status=Status.NEW,
        created_at=now,
        created_by=actor,
        updated_at=now,
        assessment_stale=True,
    )
    history = OrderHistory(
        events=[
            OrderEvent(
                order=order,
                at=now,
                actor=actor,
                action=Action.CREATE,
                to_status=Status.NEW,
                data={"channel": order.channel, "department": order.department.code},
            )
        ],
        clocks=[clocks.new_clock(order, ClockName.DISPATCH, now, policy)],
    )
    if order_input.dispatch:
        from_status = order.status
        check_transition(order, Action.DISPATCH, Status.DISPATCHED)
        event_data = _enter_dispatch_round(order, order_input.department, now)
        order.status = Status.DISPATCHED
        order.version += 1
        history.events.append(
            OrderEvent(
                order=order,
                at=now,
                actor=actor,
                action=Action.DISPATCH,
                from_status=from_status,
                to_status=order.status,
                data=event_data,
            )
        )
        history.clocks[0].met_at = now
        history.clocks.extend(_round_clocks(order, policy, now, resolution_open=False))
    insert_rows([order])
    insert_rows(history.events)
    insert_rows(history.clocks)
    logger.info(
        "order %s: created from %s%s by %s",
        order.number,
        order.channel,
        f", dispatched to {order.department.code}" if order.dispatch_round else "",
        getattr(actor, "username", "system"),
    )
    if order.order_type == OrderType.REDO:
        hooks.redo_created(order, now)
    # A new order has no related rows but these, so the response needs no read-back.
    attach_history(order, history)
    return order


def dispatch_order(
    actor,
    order: WorkOrder | str,
    department_code: str | None,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Dispatch the order to a department (派发), which then has its accept clock running."""
    now = now or timezone.now()
    require_role(actor, *CENTER_DECISION_ROLES)
    department = _read_department_code(department_code)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        if order.status == Status.CALLBACK_PENDING and not _callback_asked_for_center(order):
            raise InvalidTransition(
                _(
                    "Order %(number)s awaits its callback; it can be dispatched again only after "
                    "an unsatisfied callback or one that found the reply untrue."
                )
                % {"number": order.number}
            )
        dispatch_locked(actor, order, department, get_policy(), now)
    return order


def _callback_asked_for_center(order: WorkOrder) -> bool:
    last_callback = order.events.filter(action=Action.CALLBACK).order_by("-at", "-id").first()
    return bool(last_callback and last_callback.data.get("needs_center_decision"))


def _read_department_code(code) -> Department:
    reader = FieldReader({"department": code})
    code = reader.string("department", required=True, max_length=32)
    department = find_department(reader, code) if code else None
    reader.raise_if_problems()
    return department


def dispatch_locked(
    actor,
    order: WorkOrder,
    department: Department,
    policy,
    now: datetime.datetime,
    *,
    action: str = Action.DISPATCH,
    data: dict | None = None,
) -> None:
    """Dispatch a locked order to `department` in a new round, with a fresh accept clock.

    Called by dispatch and by an approved hand-over (action transfer_decision); creation
    applies the same round to the order before inserting it.
    """
    event_data = _enter_dispatch_round(order, department, now)
    apply_transition(
        order,
        action,
        Status.DISPATCHED,
        actor,
        now,
        changed_fields=("department", "dispatch_round", "dispatched_at"),
        data=data or event_data,
    )
    clocks.meet_clock(order, ClockName.DISPATCH, now)
    # Accept and resolution clocks start only in a round, so before the first there are none.
    later_round = order.dispatch_round > 1
    if later_round:
        clocks.stop_clock(order, ClockName.ACCEPT, now)
    resolution_open = later_round and clocks.open_clock(order, ClockName.RESOLUTION) is not None
    Clock.objects.bulk_create(_round_clocks(order, policy, now, resolution_open=resolution_open))


def _enter_dispatch_round(order: WorkOrder, department: Department, now) -> dict:
    """Move the order to `department` in its next dispatch round; return the event's data."""
    from_department = order.department.code if order.dispatch_round else None
    order.department = department
    order.dispatch_round += 1
    order.dispatched_at = now
    return {"department": department.code, "from_department": from_department}


def _round_clocks(
    order: WorkOrder, policy, now: datetime.datetime, *, resolution_open: bool
) -> list[Clock]:
    """Return the unsaved clocks a dispatch round starts: accept, and resolution if none runs.

    The resolution clock keeps running across rounds (a hand-over does not give the new
    department fresh time); only the first round, or a round after a rejected reply stopped
    it, starts one.
    """
    started = [clocks.new_clock(order, ClockName.ACCEPT, now, policy)]
    if resolution_open:
        return started
    if order.time_left_at_reply is not None:
        # Dispatched again after a rejected reply: the department gets the time it had left.
        due_at = now + order.time_left_at_reply
    elif order.due_at is not None and order.dispatch_round == 1:
        due_at = order.due_at
    else:
        due_at = None
    duration = datetime.timedelta(hours=float(order.time_limit_hours))
    started.append(
        clocks.new_clock(order, ClockName.RESOLUTION, now, policy, duration=duration, due_at=due_at)
    )
    return started


def accept_order(
    actor,
    order: WorkOrder | str,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Accept a dispatched order for the handler's department (接单)."""
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        order.accepted_at = now
        order.accepted_by = actor
        apply_transition(
            order,
            Action.ACCEPT,
            Status.ACCEPTED,
            actor,
            now,
            changed_fields=("accepted_at", "accepted_by"),
        )
        clocks.meet_clock(order, ClockName.ACCEPT, now)
        if order.phone and clocks.open_clock(order, ClockName.CONTACT) is None:
            # Without a phone there is no one to call, so the contact clock does not start.
            clocks.start_clock(order, ClockName.CONTACT, now, get_policy())
    return order


def record_contact_attempt(
    actor,
    order: WorkOrder | str,
    data: dict,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Record one attempt to reach the citizen.

    An attempt with outcome `reached` or `site_visit` meets the contact clock.
    """
    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader(data)
    at = reader.time("at", required=True)
    outcome = reader.choice("outcome", ContactOutcome)
    note = reader.string("note", max_length=policy.max_note_length) or ""
    reader.raise_if_problems()
    if at > now:
        raise InvalidInput.for_field(
            "at", OUT_OF_RANGE, _("%(field)s is in the future.") % {"field": field_label("at")}
        )
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        if order.accepted_at and at < order.accepted_at:
            raise InvalidInput.for_field(
                "at",
                OUT_OF_RANGE,
                _("%(field)s is before the order was accepted.") % {"field": field_label("at")},
            )
        attempt = ContactAttempt.objects.create(
            order=order, at=at, outcome=outcome, note=note, actor=actor, recorded_at=now
        )
        record_without_transition(
            order,
            Action.CONTACT_ATTEMPT,
            actor,
            now,
            data={"attempt": attempt.pk, "at": at.isoformat(), "outcome": outcome},
        )
        if outcome in (ContactOutcome.REACHED, ContactOutcome.SITE_VISIT):
            clocks.meet_clock(order, ClockName.CONTACT, at)
    return order


def submit_reply(
    actor,
    order: WorkOrder | str,
    content,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Submit the department's reply (回复): rejected with 422 if the reply check finds errors.

    Warnings are saved with the reply. The time left on the resolution clock is kept, because a
    reply rejected at review is dispatched again with exactly that time.
    """
    from waterdesk.replies.service import check_reply_for_order

    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader({"content": content}, label_keys={"content": "content_reply"})
    text = reader.string("content", required=True, max_length=policy.max_reply_length)
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        check_transition(order, Action.REPLY, Status.REPLIED)
        is_redo = order.order_type == OrderType.REDO
        if is_redo and order.replies.filter(status__in=REDO_AWAITING_STATUSES).exists():
            raise InvalidTransition(
                _("Order %(number)s has a redo reply awaiting approval; wait for the decision.")
                % {"number": order.number}
            )
        result = check_reply_for_order(text, order, policy)
        errors = [item for item in result.violations if item["severity"] == "error"]
        if errors:
            raise ReplyRejected(
                _(
                    "The reply breaks %(count)d rule(s) of the reply standard. "
                    "Correct it and submit again."
                )
                % {"count": len(errors)},
                details=result.violations,
            )
        reply = Reply.objects.create(
            order=order,
            dispatch_round=order.dispatch_round,
            content=text,
            author=actor,
            submitted_at=now,
            warnings=result.violations,
            policy_version=policy.version,
            status=ReplyStatus.AWAITING_DEPARTMENT_HEAD if is_redo else ReplyStatus.SUBMITTED,
        )
        event_data = {
            "reply": reply.pk,
            "warnings": [item["rule"] for item in result.violations],
            "exemption": result.exemption_kind,
        }
        changed = []
        if result.exemption_kind:
            # The prefix proposes excluding the order from the assessment; the center head decides.
            order.exemption_kind = result.exemption_kind
            order.exemption_status = ExemptionStatus.PROPOSED
            changed += ["exemption_kind", "exemption_status"]
        if is_redo:
            # A redo reply counts as replied only after both heads approve it.
            record_without_transition(
                order, Action.REPLY, actor, now, changed_fields=tuple(changed), data=event_data
            )
            hooks.approval_waiting(order, reply, now)
            return order
        resolution = clocks.open_clock(order, ClockName.RESOLUTION)
        order.time_left_at_reply = clocks.time_left(resolution, now) if resolution else None
        order.replied_at = now
        apply_transition(
            order,
            Action.REPLY,
            Status.REPLIED,
            actor,
            now,
            changed_fields=("time_left_at_reply", "replied_at", *changed),
            data=event_data,
        )
        clocks.meet_clock(order, ClockName.RESOLUTION, now)
    return order


def review_reply(
    actor,
    order: WorkOrder | str,
    data: dict,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Approve or reject the department's reply (审单).

    Approve: the order awaits its callback, or closes when no callback is needed. Reject: the
    reply fails the standard, gets no callback, and the order is dispatched again to the same
    department with the resolution time that was left at the reply.
    """
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, *CENTER_DECISION_ROLES)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        check_transition(order, Action.REVIEW, Status.CALLBACK_PENDING)
        reply = order.replies.filter(status=ReplyStatus.SUBMITTED).order_by("-submitted_at").first()
        reply.status = ReplyStatus.APPROVED if decision == "approve" else ReplyStatus.REJECTED
        reply.reviewed_by = actor
        reply.reviewed_at = now
        reply.review_comment = comment
        reply.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        event_data = {"decision": decision, "comment": comment, "reply": reply.pk}

        if decision == "reject":
            order.dispatch_round += 1
            order.dispatched_at = now
            apply_transition(
                order,
                Action.REVIEW,
                Status.DISPATCHED,
                actor,
                now,
                changed_fields=("dispatch_round", "dispatched_at"),
                data=event_data,
            )
            # The reply met the resolution clock; the new round starts one with the time left.
            Clock.objects.bulk_create(_round_clocks(order, policy, now, resolution_open=False))
            hooks.reply_rejected(order, reply, now)
        elif order.callback_required and order.phone:
            apply_transition(
                order, Action.REVIEW, Status.CALLBACK_PENDING, actor, now, data=event_data
            )
            clocks.start_clock(order, ClockName.CALLBACK, now, policy)
            hooks.reply_approved(order, reply, now)
        else:
            order.closed_at = now
            event_data["closed_because"] = "no_callback_needed"
            apply_transition(
                order,
                Action.REVIEW,
                Status.CLOSED,
                actor,
                now,
                changed_fields=("closed_at",),
                data=event_data,
            )
            clocks.stop_open_clocks(order, now)
            hooks.reply_approved(order, reply, now)
    return order


def close_order(
    actor,
    order: WorkOrder | str,
    data: dict,
    *,
    expected_version: int | None = None,
    now: datetime.datetime | None = None,
) -> WorkOrder:
    """Close an order awaiting callback, with the reason (e.g. after an unsatisfied callback)."""
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, *CENTER_DECISION_ROLES)
    reader = FieldReader(data)
    reason = reader.string("reason", required=True, max_length=policy.max_note_length)
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        order.closed_at = now
        apply_transition(
            order,
            Action.CLOSE,
            Status.CLOSED,
            actor,
            now,
            changed_fields=("closed_at",),
            data={"reason": reason},
        )
        clocks.stop_open_clocks(order, now)
    return order


def read_decision(data: dict, policy, *, comment_required_on_reject: bool) -> tuple[str, str]:
    """Read `decision` (approve or reject) and `comment` from an approval request body."""
    reader = FieldReader(data)
    decision = reader.string("decision", required=True, max_length=16)
    if decision is not None and decision not in ("approve", "reject"):
        reader.add_problem(
            "decision",
            INVALID,
            _("%(field)s must be approve or reject.") % {"field": field_label("decision")},
        )
    comment = reader.string("comment", max_length=policy.max_note_length) or ""
    if decision == "reject" and comment_required_on_reject and not comment:
        reader.add_problem(
            "comment",
            MISSING,
            _("Give the reason for rejecting in %(field)s.") % {"field": field_label("comment")},
        )
    reader.raise_if_problems()
    return decision, comment
