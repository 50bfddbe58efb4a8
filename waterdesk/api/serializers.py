"""Turning orders and their parts into the JSON of the API contract."""

import datetime
import re
from zoneinfo import ZoneInfo

from waterdesk.deadlines.models import Clock
from waterdesk.orders.history import history_of
from waterdesk.orders.models import WorkOrder
from waterdesk.orders.permissions import available_actions
from waterdesk.orders.request_models import OPEN_REQUEST_STATUSES, OrderRequest, RequestKind
from waterdesk.organization.models import Role

# Roles that need the citizen's phone and name to do their work; others see them masked.
PERSONAL_DATA_ROLES = (
    Role.DISPATCHER,
    Role.CENTER_HEAD,
    Role.HANDLER,
    Role.DEPARTMENT_HEAD,
    Role.CALLBACK_AGENT,
    Role.ADMIN,
)


def local_time(value: datetime.datetime | None, timezone_name: str) -> str | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(timezone_name)).isoformat()


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def localize_times(value, timezone_name: str):
    """Return event data with every ISO time in it converted to the utility's local time.

    Events store times in UTC; the contract returns times in local time everywhere.
    """
    if isinstance(value, dict):
        return {key: localize_times(item, timezone_name) for key, item in value.items()}
    if isinstance(value, list):
        return [localize_times(item, timezone_name) for item in value]
    if isinstance(value, str) and _ISO_TIME.match(value):
        return local_time(
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00")), timezone_name
        )
    return value


def mask_phone(phone: str | None) -> str | None:
    """Mask a phone number as 138****1234, keeping the first three and last four digits."""
    if not phone:
        return phone
    digits = phone.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def serialize_user(user) -> dict:
    return {
        "username": user.username,
        "name": user.display_name,
        "roles": list(user.roles),
        "department": user.department.code if user.department_id else None,
    }


def serialize_order_summary(order: WorkOrder, viewer, timezone_name: str) -> dict:
    shows_personal_data = viewer.has_role(*PERSONAL_DATA_ROLES)
    return {
        "number": order.number,
        "status": order.status,
        "channel": order.channel,
        "external_id": order.external_id,
        "order_type": order.order_type,
        "redo_of": order.redo_of.number if order.redo_of_id else None,
        "category": order.category.code,
        "address": order.address,
        "content": order.content,
        "reporter": order.reporter if shows_personal_data else mask_name(order.reporter),
        "phone": order.phone if shows_personal_data else mask_phone(order.phone),
        "department": order.department.code,
        "time_limit_hours": float(order.time_limit_hours),
        "due_at": local_time(order.due_at, timezone_name),
        "callback_required": order.callback_required,
        "night_contact_allowed": order.night_contact_allowed,
        "upstream_received_at": local_time(order.upstream_received_at, timezone_name),
        "created_at": local_time(order.created_at, timezone_name),
        "dispatched_at": local_time(order.dispatched_at, timezone_name),
        "accepted_at": local_time(order.accepted_at, timezone_name),
        "replied_at": local_time(order.replied_at, timezone_name),
        "closed_at": local_time(order.closed_at, timezone_name),
        "version": order.version,
        "extended": order.extended,
        "merged_into": order.merged_into.number if order.merged_into_id else None,
        "exemption_kind": order.exemption_kind or None,
        "exemption_status": order.exemption_status or None,
    }


def serialize_request(item: OrderRequest, timezone_name: str) -> dict:
    """An open hand-over, return, extension or report request, with the fields of its kind."""
    data = {
        "id": item.pk,
        "kind": item.kind,
        "status": item.status,
        "requested_by": item.requested_by.username,
        "requested_at": local_time(item.requested_at, timezone_name),
        "late": item.late,
        "note": item.note,
    }
    if item.kind == RequestKind.TRANSFER:
        data["department"] = item.target_department.code if item.target_department_id else None
        data["contact_person"] = item.contact_person
        data["contact_phone"] = item.contact_phone
    elif item.kind == RequestKind.RETURN:
        data.update(
            reason=item.reason,
            basis=item.basis,
            evidence=item.evidence,
            target_unit=item.target_unit,
        )
    elif item.kind == RequestKind.EXTENSION:
        data["reason"] = item.reason
        data["measures"] = item.measures
        data["expected_done_at"] = local_time(item.expected_done_at, timezone_name)
        data["citizen_agreed"] = item.citizen_agreed
    elif item.kind == RequestKind.REPORT:
        data.update(process=item.process, measures=item.measures, constraints=item.constraints)
    return data


def serialize_clock(clock: Clock, now: datetime.datetime, timezone_name: str) -> dict:
    breached = (
        clock.breached_at is not None
        or (clock.is_open and clock.due_at <= now)
        or (clock.met_at is not None and clock.met_at > clock.due_at)
    )
    return {
        "clock": clock.clock,
        "round": clock.dispatch_round,
        "started_at": local_time(clock.started_at, timezone_name),
        "due_at": local_time(clock.due_at, timezone_name),
        "met_at": local_time(clock.met_at, timezone_name),
        "stopped_at": local_time(clock.stopped_at, timezone_name),
        "breached": breached,
        "breached_at": local_time(clock.breached_at, timezone_name),
        "warned_at": local_time(clock.warned_at, timezone_name),
        "seconds_left": (int((clock.due_at - now).total_seconds()) if clock.is_open else None),
    }


def serialize_order_detail(
    order: WorkOrder, viewer, now: datetime.datetime, timezone_name: str
) -> dict:
    history = history_of(order)
    data = serialize_order_summary(order, viewer, timezone_name)
    data["redo_reasons"] = order.redo_reasons
    data["available_actions"] = available_actions(viewer, order, history)
    data["deadlines"] = [serialize_clock(clock, now, timezone_name) for clock in history.clocks]
    reply = history.replies[0] if history.replies else None
    data["reply"] = (
        {
            "content": reply.content,
            "status": reply.status,
            "submitted_at": local_time(reply.submitted_at, timezone_name),
            "author": reply.author.username,
            "warnings": reply.warnings,
            "policy_version": reply.policy_version,
            "review_comment": reply.review_comment,
        }
        if reply
        else None
    )
    data["replies"] = len(history.replies)
    data["open_requests"] = [
        serialize_request(item, timezone_name)
        for item in history.requests
        if item.status in OPEN_REQUEST_STATUSES
    ]
    data["requests"] = len(history.requests)
    data["buck_passing"] = sum(1 for item in history.requests if item.buck_passing)
    data["contact_attempts"] = [
        {
            "at": local_time(attempt.at, timezone_name),
            "outcome": attempt.outcome,
            "note": attempt.note,
            "actor": attempt.actor.username,
        }
        for attempt in history.contact_attempts
    ]
    data["callbacks"] = [
        {
            "at": local_time(callback.at, timezone_name),
            "kind": callback.kind,
            "outcome": callback.outcome,
            "reply_truthful": callback.reply_truthful,
            "note": callback.note,
            "agent": callback.agent.username,
        }
        for callback in history.callbacks
    ]
    data["timeline"] = [
        {
            "at": local_time(event.at, timezone_name),
            "actor": event.actor.username if event.actor_id else None,
            "action": event.action,
            "from_status": event.from_status or None,
            "to_status": event.to_status or None,
            "data": localize_times(event.data, timezone_name),
        }
        for event in history.events
    ]
    return data


def serialize_duplicates(found: list[dict], timezone_name: str) -> list[dict]:
    return [
        {
            "number": item["order"].number,
            "status": item["order"].status,
            "department": item["order"].department_code,
            "created_at": local_time(item["order"].created_at, timezone_name),
            "address": item["order"].address,
            "reasons": item["reasons"],
            "similarity": item["similarity"],
        }
        for item in found
    ]
