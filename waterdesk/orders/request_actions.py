"""Exception paths of an order: hand-over, return, extension, redo approvals, written report,
merging duplicates and assessment exemptions.

Like orders.actions, every function here checks role, department and state itself, locks the
order row, and writes its OrderEvent in the same transaction.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waterdesk.deadlines import clocks
from waterdesk.deadlines.calendars import warning_time
from waterdesk.deadlines.models import ClockName
from waterdesk.organization.models import Role
from waterdesk.policy.models import get_policy

from . import hooks
from .actions import CENTER_DECISION_ROLES, dispatch_locked, read_decision
from .errors import InvalidInput, InvalidTransition
from .fields import INVALID, MISSING, OUT_OF_RANGE, FieldReader, field_label
from .models import ExemptionStatus, OrderAttachment, OrderRequest, Reply, ReplyStatus, WorkOrder
from .permissions import require_own_department, require_role
from .request_models import RequestKind, RequestStatus
from .statuses import Action, Channel, OrderType, Status
from .transitions import (
    apply_transition,
    check_transition,
    lock_order,
    record_event,
    record_without_transition,
)
from .validation import find_department

logger = logging.getLogger(__name__)

# Order types that can never be extended (紧急, 重办, 感谢).
NOT_EXTENDABLE_TYPES = (OrderType.URGENT, OrderType.REDO, OrderType.THANKS)


def _open_request(order: WorkOrder, kind: str) -> OrderRequest | None:
    return (
        order.requests.select_for_update()
        .filter(
            kind=kind,
            status__in=[RequestStatus.AWAITING_DEPARTMENT_HEAD, RequestStatus.AWAITING_CENTER],
        )
        .first()
    )


def _refuse_if_open(order: WorkOrder, kind: str) -> None:
    if _open_request(order, kind) is not None:
        raise InvalidTransition(
            _("Order %(number)s already has an open %(kind)s request awaiting a decision.")
            % {"number": order.number, "kind": RequestKind(kind).label}
        )


def _require_open(order: WorkOrder, kind: str) -> OrderRequest:
    request = _open_request(order, kind)
    if request is None:
        raise InvalidTransition(
            _("Order %(number)s has no open %(kind)s request to decide.")
            % {"number": order.number, "kind": RequestKind(kind).label}
        )
    return request


def _late_clock(order: WorkOrder, name: str, now: datetime.datetime, policy) -> bool:
    """Record the hand-over or return clock, counted from acceptance, as met now; return lateness.

    These clocks matter only for orders where a hand-over or return is asked for, so they are
    written when the request comes instead of running on every order.
    """
    started = order.accepted_at or now
    clock = clocks.start_clock(order, name, started, policy)
    clocks.meet_clock(order, name, now)
    return now > clock.due_at


def _check_approval_turn(actor, order: WorkOrder, awaiting_department_head: bool) -> None:
    """Raise unless it is `actor`'s turn in a two-step approval (department head, center head).

    A head whose step is already done, or not yet due, gets InvalidTransition (409): the
    decision is a matter of order, not of rights. Anyone else gets Forbidden.
    """
    is_department_head = (
        actor.has_role(Role.DEPARTMENT_HEAD) and actor.department_id == order.department_id
    )
    is_center_head = actor.has_role(Role.CENTER_HEAD)
    if awaiting_department_head and not is_department_head:
        if is_center_head:
            raise InvalidTransition(
                _("Order %(number)s awaits its department head's approval first.")
                % {"number": order.number}
            )
        require_own_department(actor, order, Role.DEPARTMENT_HEAD)
    if not awaiting_department_head and not is_center_head:
        if is_department_head:
            raise InvalidTransition(
                _(
                    "The department head's approval of order %(number)s is done; "
                    "it awaits the center head."
                )
                % {"number": order.number}
            )
        require_role(actor, Role.CENTER_HEAD)


def _close_other_requests(order: WorkOrder, decided: OrderRequest | None, now) -> None:
    """Reject the order's other open requests once it leaves its department or is merged."""
    others = order.requests.filter(
        status__in=[RequestStatus.AWAITING_DEPARTMENT_HEAD, RequestStatus.AWAITING_CENTER]
    )
    if decided is not None:
        others = others.exclude(pk=decided.pk)
    others.update(
        status=RequestStatus.REJECTED,
        decided_at=now,
        comment=_("Closed without a decision: the order left the department."),
    )


# --- Hand-over under the first-responsible rule -------------------------------------------------


def request_transfer(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Ask the center to hand the order to another department that agreed to take it (转办).

    A request without the agreeing person's name and phone, or made after the hand-over time
    limit from acceptance, is recorded and counted as buck-passing (推诿) at once: the first
    department keeps the order.
    """
    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader(data)
    department_code = reader.string("department", required=True, max_length=32)
    department = find_department(reader, department_code) if department_code else None
    contact_person = reader.string("contact_person", max_length=50) or ""
    contact_phone = reader.phone("contact_phone") or ""
    note = reader.string("note", max_length=policy.max_note_length) or ""
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        check_transition(order, Action.TRANSFER_REQUEST, Status.ACCEPTED)
        if department == order.department:
            raise InvalidInput.for_field(
                "department",
                INVALID,
                _("%(field)s is the order's own department; name the department that takes it.")
                % {"field": field_label("department")},
            )
        _refuse_if_open(order, RequestKind.TRANSFER)
        late = _late_clock(order, ClockName.TRANSFER, now, policy)
        without_person = not (contact_person and contact_phone)
        request = OrderRequest.objects.create(
            order=order,
            kind=RequestKind.TRANSFER,
            status=RequestStatus.AWAITING_CENTER,
            requested_by=actor,
            requested_at=now,
            requesting_department=order.department,
            late=late,
            target_department=department,
            contact_person=contact_person,
            contact_phone=contact_phone,
            note=note,
        )
        record_without_transition(
            order,
            Action.TRANSFER_REQUEST,
            actor,
            now,
            data={
                "request": request.pk,
                "department": department.code,
                "contact_person": contact_person,
                "late": late,
            },
        )
        if late or without_person:
            # The regulation counts these as buck-passing without a decision by the center.
            request.status = RequestStatus.REJECTED
            request.buck_passing = True
            request.decided_at = now
            request.comment = (
                _("Made after the hand-over time limit.")
                if late
                else _("The agreeing person and phone of the other department are missing.")
            )
            request.save(update_fields=["status", "buck_passing", "decided_at", "comment"])
            record_without_transition(
                order,
                Action.TRANSFER_DECISION,
                None,
                now,
                data={
                    "request": request.pk,
                    "decision": "reject",
                    "buck_passing": True,
                    "comment": request.comment,
                },
            )
        else:
            hooks.approval_waiting(order, request, now)
    return order


def decide_transfer(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Approve a hand-over (dispatched to the new department) or reject it as buck-passing."""
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, *CENTER_DECISION_ROLES)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        request = _require_open(order, RequestKind.TRANSFER)
        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        event_data = {"request": request.pk, "decision": decision, "comment": comment}
        if decision == "approve":
            request.status = RequestStatus.APPROVED
            request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
            from_department = order.department.code
            clocks.stop_clock(order, ClockName.CONTACT, now)
            # The resolution clock keeps running: the citizen's time limit does not restart.
            event_data["from_department"] = from_department
            event_data["department"] = request.target_department.code
            _close_other_requests(order, request, now)
            dispatch_locked(
                actor,
                order,
                request.target_department,
                policy,
                now,
                action=Action.TRANSFER_DECISION,
                data=event_data,
            )
        else:
            request.status = RequestStatus.REJECTED
            request.buck_passing = True
            request.save(
                update_fields=["status", "buck_passing", "decided_by", "decided_at", "comment"]
            )
            event_data["buck_passing"] = True
            apply_transition(
                order, Action.TRANSFER_DECISION, Status.ACCEPTED, actor, now, data=event_data
            )
    return order


# --- Return to the 12345 hotline ----------------------------------------------------------------


def request_return(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Ask to return an order outside the utility's duty to the 12345 hotline (退单).

    Within the return time limit from acceptance; a later request is accepted but marked late.
    The department head approves first, then the center head. Never for redo orders.
    """
    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader(data)
    reason = reader.string("reason", required=True, max_length=policy.max_note_length)
    basis = reader.string("basis", max_length=policy.max_note_length) or ""
    evidence = reader.string("evidence", max_length=policy.max_note_length) or ""
    target_unit = reader.string("target_unit", required=True, max_length=100)
    if not basis and not evidence and not reader.has_problem("basis"):
        reader.add_problem(
            "basis",
            MISSING,
            _("Give the policy basis in %(basis)s or the on-site evidence in %(evidence)s.")
            % {"basis": field_label("basis"), "evidence": field_label("evidence")},
        )
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        if order.order_type == OrderType.REDO:
            raise InvalidTransition(
                _("Order %(number)s is a redo order, and a redo order can never be returned.")
                % {"number": order.number}
            )
        if order.channel != Channel.UPPER_HOTLINE:
            raise InvalidTransition(
                _(
                    "Order %(number)s did not come from the 12345 hotline, so it cannot be "
                    "returned there. Explain in the reply why it is outside the utility's duty."
                )
                % {"number": order.number}
            )
        check_transition(order, Action.RETURN_REQUEST, Status.ACCEPTED)
        _refuse_if_open(order, RequestKind.RETURN)
        late = _late_clock(order, ClockName.RETURN, now, policy)
        request = OrderRequest.objects.create(
            order=order,
            kind=RequestKind.RETURN,
            status=RequestStatus.AWAITING_DEPARTMENT_HEAD,
            requested_by=actor,
            requested_at=now,
            requesting_department=order.department,
            late=late,
            reason=reason,
            basis=basis,
            evidence=evidence,
            target_unit=target_unit,
        )
        order.attachments.filter(request__isnull=True, uploaded_by=actor).update(request=request)
        record_without_transition(
            order,
            Action.RETURN_REQUEST,
            actor,
            now,
            data={"request": request.pk, "target_unit": target_unit, "late": late},
        )
        hooks.approval_waiting(order, request, now)
    return order


def decide_return(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Decide a return: the department head first, then the center head; both approve → returned."""
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, Role.DEPARTMENT_HEAD, Role.CENTER_HEAD)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        request = _require_open(order, RequestKind.RETURN)
        event_data = {"request": request.pk, "decision": decision, "comment": comment}
        awaiting_department_head = request.status == RequestStatus.AWAITING_DEPARTMENT_HEAD
        _check_approval_turn(actor, order, awaiting_department_head)
        if awaiting_department_head:
            request.department_head_decided_by = actor
            request.department_head_decided_at = now
            request.department_head_comment = comment
            request.status = (
                RequestStatus.AWAITING_CENTER if decision == "approve" else RequestStatus.REJECTED
            )
            request.save(
                update_fields=[
                    "status",
                    "department_head_decided_by",
                    "department_head_decided_at",
                    "department_head_comment",
                ]
            )
            event_data["level"] = "department_head"
            apply_transition(
                order, Action.RETURN_DECISION, Status.ACCEPTED, actor, now, data=event_data
            )
            if decision == "approve":
                hooks.approval_waiting(order, request, now)
            return order

        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        request.status = RequestStatus.APPROVED if decision == "approve" else RequestStatus.REJECTED
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        event_data["level"] = "center_head"
        if decision == "reject":
            apply_transition(
                order, Action.RETURN_DECISION, Status.ACCEPTED, actor, now, data=event_data
            )
            return order
        order.closed_at = now
        _close_other_requests(order, request, now)
        apply_transition(
            order,
            Action.RETURN_DECISION,
            Status.RETURNED,
            actor,
            now,
            changed_fields=("closed_at",),
            data=event_data,
        )
        clocks.stop_open_clocks(order, now)
        hooks.order_returned(order, request, now)
    return order


# --- Extension ----------------------------------------------------------------------------------


def request_extension(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Ask for one extension of the resolution time (延期), with the citizen's agreement."""
    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader(data)
    reason = reader.string("reason", required=True, max_length=policy.max_note_length)
    measures = reader.string("measures", required=True, max_length=policy.max_note_length)
    expected_done_at = reader.time("expected_done_at", required=True)
    citizen_agreed = reader.boolean("citizen_agreed")
    if citizen_agreed is False:
        reader.add_problem(
            "citizen_agreed",
            INVALID,
            _("An extension needs the citizen's agreement: tell the citizen and ask first."),
        )
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER)
        if order.order_type in NOT_EXTENDABLE_TYPES:
            raise InvalidTransition(
                _("Order %(number)s is a %(type)s order, which cannot be extended.")
                % {"number": order.number, "type": OrderType(order.order_type).label}
            )
        check_transition(order, Action.EXTENSION_REQUEST, Status.ACCEPTED)
        _refuse_if_open(order, RequestKind.EXTENSION)
        earlier = order.requests.filter(
            kind=RequestKind.EXTENSION, status=RequestStatus.APPROVED
        ).count()
        if earlier >= policy.extension_max_count:
            raise InvalidTransition(
                _(
                    "Order %(number)s was already extended; "
                    "an order may be extended %(count)d time(s)."
                )
                % {"number": order.number, "count": policy.extension_max_count}
            )
        resolution = clocks.open_clock(order, ClockName.RESOLUTION)
        current_due = resolution.due_at if resolution else now
        latest = current_due + datetime.timedelta(days=policy.extension_max_days)
        # An extension moves the due time later: a promise before the current due time needs none.
        if expected_done_at <= max(now, current_due) or expected_done_at > latest:
            raise InvalidInput.for_field(
                "expected_done_at",
                OUT_OF_RANGE,
                _(
                    "%(field)s must be after the current due time and at most %(days)d days "
                    "after it."
                )
                % {"field": field_label("expected_done_at"), "days": policy.extension_max_days},
            )
        request = OrderRequest.objects.create(
            order=order,
            kind=RequestKind.EXTENSION,
            status=RequestStatus.AWAITING_CENTER,
            requested_by=actor,
            requested_at=now,
            requesting_department=order.department,
            reason=reason,
            measures=measures,
            expected_done_at=expected_done_at,
            citizen_agreed=True,
        )
        record_without_transition(
            order,
            Action.EXTENSION_REQUEST,
            actor,
            now,
            data={"request": request.pk, "expected_done_at": expected_done_at.isoformat()},
        )
        hooks.approval_waiting(order, request, now)
    return order


def decide_extension(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Approve or reject an extension.

    Approval moves the resolution clock to the promised time and owes the citizen a process
    callback. Rejection leaves the clock as it is.
    """
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, *CENTER_DECISION_ROLES)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        request = _require_open(order, RequestKind.EXTENSION)
        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        request.status = RequestStatus.APPROVED if decision == "approve" else RequestStatus.REJECTED
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        event_data = {"request": request.pk, "decision": decision, "comment": comment}
        changed = ()
        if decision == "approve":
            resolution = clocks.open_clock(order, ClockName.RESOLUTION)
            if resolution is not None:
                event_data["old_due_at"] = resolution.due_at.isoformat()
                resolution.due_at = request.expected_done_at
                resolution.warn_at = warning_time(resolution.started_at, resolution.due_at, policy)
                resolution.warned_at = None
                resolution.save(update_fields=["due_at", "warn_at", "warned_at"])
            event_data["new_due_at"] = request.expected_done_at.isoformat()
            order.extended = True
            order.process_callback_pending = order.callback_required and bool(order.phone)
            changed = ("extended", "process_callback_pending")
        apply_transition(
            order,
            Action.EXTENSION_DECISION,
            Status.ACCEPTED,
            actor,
            now,
            changed_fields=changed,
            data=event_data,
        )
    return order


# --- Redo orders: two approvals before the reply counts -----------------------------------------


def approve_redo_reply(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Decide a redo order's reply: the department head, then the center head (重办审批).

    Only after both approvals does the order count as replied. A rejection sends the reply back
    to the handler, who writes a new one.
    """
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, Role.DEPARTMENT_HEAD, Role.CENTER_HEAD)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        reply = (
            Reply.objects.select_for_update()
            .filter(
                order=order,
                status__in=[ReplyStatus.AWAITING_DEPARTMENT_HEAD, ReplyStatus.AWAITING_CENTER_HEAD],
            )
            .first()
        )
        if reply is None:
            raise InvalidTransition(
                _("Order %(number)s has no redo reply awaiting approval.")
                % {"number": order.number}
            )
        event_data = {"reply": reply.pk, "decision": decision, "comment": comment}
        awaiting_department_head = reply.status == ReplyStatus.AWAITING_DEPARTMENT_HEAD
        _check_approval_turn(actor, order, awaiting_department_head)
        if awaiting_department_head:
            event_data["level"] = "department_head"
            reply.department_head_approved_by = actor
            reply.department_head_approved_at = now
            reply.status = (
                ReplyStatus.AWAITING_CENTER_HEAD if decision == "approve" else ReplyStatus.REJECTED
            )
            if decision == "reject":
                reply.review_comment = comment
            reply.save(
                update_fields=[
                    "status",
                    "department_head_approved_by",
                    "department_head_approved_at",
                    "review_comment",
                ]
            )
            apply_transition(
                order, Action.REDO_APPROVAL, Status.ACCEPTED, actor, now, data=event_data
            )
            if decision == "approve":
                hooks.approval_waiting(order, reply, now)
            return order

        event_data["level"] = "center_head"
        if decision == "reject":
            reply.status = ReplyStatus.REJECTED
            reply.review_comment = comment
            reply.reviewed_by = actor
            reply.reviewed_at = now
            reply.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
            apply_transition(
                order, Action.REDO_APPROVAL, Status.ACCEPTED, actor, now, data=event_data
            )
            return order
        # Approved by both: the reply now counts, and goes on to the usual review and callback.
        reply.status = ReplyStatus.SUBMITTED
        reply.save(update_fields=["status"])
        order.replied_at = now
        apply_transition(
            order,
            Action.REDO_APPROVAL,
            Status.REPLIED,
            actor,
            now,
            changed_fields=("replied_at",),
            data=event_data,
        )
        hooks.redo_reply_approved(order, reply, now)
    return order


# --- Written report when no completion time can be given ----------------------------------------


def submit_report(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """File the written report (书面专报): the order is `reported` until the center head reviews."""
    now = now or timezone.now()
    policy = get_policy()
    reader = FieldReader(data)
    process = reader.string("process", required=True, max_length=policy.max_content_length)
    measures = reader.string("measures", required=True, max_length=policy.max_content_length)
    constraints = reader.string("constraints", required=True, max_length=policy.max_content_length)
    reader.raise_if_problems()
    with transaction.atomic():
        order = lock_order(order, expected_version)
        require_own_department(actor, order, Role.HANDLER, Role.DEPARTMENT_HEAD)
        check_transition(order, Action.REPORT, Status.REPORTED)
        request = OrderRequest.objects.create(
            order=order,
            kind=RequestKind.REPORT,
            status=RequestStatus.AWAITING_CENTER,
            requested_by=actor,
            requested_at=now,
            requesting_department=order.department,
            process=process,
            measures=measures,
            constraints=constraints,
        )
        apply_transition(
            order, Action.REPORT, Status.REPORTED, actor, now, data={"request": request.pk}
        )
        clocks.stop_clock(order, ClockName.RESOLUTION, now)
        hooks.approval_waiting(order, request, now)
    return order


def decide_report(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Accept the report as a special report (center head), or send it back to the department."""
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, Role.CENTER_HEAD)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        request = _require_open(order, RequestKind.REPORT)
        if decision == "approve" and not request.attachments.exists():
            raise InvalidTransition(
                _("Attach the signed and sealed scan of the report before approving it.")
            )
        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        request.status = RequestStatus.APPROVED if decision == "approve" else RequestStatus.REJECTED
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        target = Status.REPORTED if decision == "approve" else Status.ACCEPTED
        apply_transition(
            order,
            Action.REPORT_DECISION,
            target,
            actor,
            now,
            data={"request": request.pk, "decision": decision, "comment": comment},
        )
        if decision == "reject":
            _resume_resolution_clock(order, now)
    return order


def _resume_resolution_clock(order: WorkOrder, now: datetime.datetime) -> None:
    """Resume the resolution clock stopped by the report, moved by the time it was stopped."""
    clock = (
        order.clocks.filter(
            clock=ClockName.RESOLUTION, stopped_at__isnull=False, met_at__isnull=True
        )
        .order_by("-dispatch_round", "-id")
        .first()
    )
    if clock is None:
        return
    paused = now - clock.stopped_at
    clock.due_at += paused
    clock.warn_at += paused
    clock.stopped_at = None
    clock.save(update_fields=["due_at", "warn_at", "stopped_at"])


# --- Merging duplicates -------------------------------------------------------------------------


def merge_order(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Attach a duplicate to an earlier order (并单), whose reply then serves both reporters."""
    now = now or timezone.now()
    require_role(actor, *CENTER_DECISION_ROLES)
    reader = FieldReader(data)
    into_number = reader.string("into", required=True, max_length=32)
    reader.raise_if_problems()
    number = order if isinstance(order, str) else order.number
    if not WorkOrder.objects.filter(number=into_number).exists():
        raise InvalidInput.for_field(
            "into",
            INVALID,
            _("%(field)s: no order has the number %(number)s. Check the number and try again.")
            % {"field": field_label("into"), "number": into_number},
        )
    with transaction.atomic():
        # Lock both rows in number order, so that two merges of the same pair cannot deadlock.
        for locked_number in sorted({number, into_number}):
            lock_order(locked_number)
        order = lock_order(number, expected_version)
        target = lock_order(into_number)
        if target.pk == order.pk or target.merged_into_id is not None:
            raise InvalidInput.for_field(
                "into",
                INVALID,
                _("%(field)s must be another order that is not itself merged.")
                % {"field": field_label("into")},
            )
        if target.created_at > order.created_at:
            raise InvalidInput.for_field(
                "into",
                INVALID,
                _("%(field)s must be the earlier order; merge the later duplicate into it.")
                % {"field": field_label("into")},
            )
        if target.status in (Status.MERGED, Status.RETURNED):
            raise InvalidTransition(
                _("Order %(number)s is %(status)s and cannot take a duplicate.")
                % {"number": target.number, "status": Status(target.status).label}
            )
        order.merged_into = target
        order.closed_at = now
        _close_other_requests(order, None, now)
        apply_transition(
            order,
            Action.MERGE,
            Status.MERGED,
            actor,
            now,
            changed_fields=("merged_into", "closed_at"),
            data={"into": target.number},
        )
        clocks.stop_open_clocks(order, now)
        # The earlier order keeps its status. Its history records the duplicate it now covers.
        record_event(
            target,
            Action.MERGE,
            actor,
            now,
            from_status=target.status,
            to_status=target.status,
            data={"merged": order.number},
        )
    return order


# --- Assessment exemptions ----------------------------------------------------------------------


def decide_exemption(actor, order, data: dict, *, expected_version=None, now=None) -> WorkOrder:
    """Confirm or refuse the exclusion from the assessment that a reply's prefix proposed."""
    now = now or timezone.now()
    policy = get_policy()
    require_role(actor, Role.CENTER_HEAD)
    decision, comment = read_decision(data, policy, comment_required_on_reject=True)
    with transaction.atomic():
        order = lock_order(order, expected_version)
        if order.exemption_status != ExemptionStatus.PROPOSED:
            raise InvalidTransition(
                _("Order %(number)s has no proposed exclusion from the assessment.")
                % {"number": order.number}
            )
        order.exemption_status = (
            ExemptionStatus.APPROVED if decision == "approve" else ExemptionStatus.REJECTED
        )
        record_without_transition(
            order,
            Action.EXEMPTION_DECISION,
            actor,
            now,
            changed_fields=("exemption_status",),
            data={"decision": decision, "comment": comment, "kind": order.exemption_kind},
        )
    return order


# --- Attachments --------------------------------------------------------------------------------

# File types accepted as evidence or report scans, by their leading bytes (not the file name).
ATTACHMENT_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def add_attachment(actor, order, uploaded_file, *, now=None) -> OrderAttachment:
    """Keep a photo or PDF with the order; an open return or report request of the order gets it.

    The type is read from the file's first bytes, so a renamed file of another type is rejected.
    """
    now = now or timezone.now()
    if uploaded_file is None:
        raise InvalidInput.for_field("file", MISSING, _("Choose a file to upload."))
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput.for_field(
            "file",
            OUT_OF_RANGE,
            _("The file is %(size)d MB; at most %(max)d MB are allowed.")
            % {
                "size": uploaded_file.size // (1024 * 1024),
                "max": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            },
        )
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    content_type = next(
        (kind for signature, kind in ATTACHMENT_SIGNATURES.items() if head.startswith(signature)),
        None,
    )
    if content_type is None:
        raise InvalidInput.for_field(
            "file", INVALID, _("Only JPEG or PNG photos and PDF documents can be attached.")
        )
    with transaction.atomic():
        order = lock_order(order)
        require_own_department(actor, order, Role.HANDLER, Role.DEPARTMENT_HEAD)
        check_transition(order, Action.ATTACHMENT, order.status)
        request = (
            order.requests.filter(kind__in=[RequestKind.RETURN, RequestKind.REPORT])
            .filter(
                status__in=[RequestStatus.AWAITING_DEPARTMENT_HEAD, RequestStatus.AWAITING_CENTER]
            )
            .first()
        )
        attachment = OrderAttachment(
            order=order,
            request=request,
            original_name=(uploaded_file.name or "file")[:200],
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(uploaded_file.name or "file", uploaded_file, save=False)
        attachment.save()
        record_without_transition(
            order,
            Action.ATTACHMENT,
            actor,
            now,
            data={
                "attachment": attachment.pk,
                "name": attachment.original_name,
                "request": request.pk if request else None,
            },
        )
    return attachment
