"""Request body shapes for the OpenAPI document.

The endpoints read their bodies with orders.fields.FieldReader, which gives the contract's Chinese
field errors; these classes only describe the bodies for /api/v1/openapi.json and /api/v1/docs.
"""

from datetime import datetime
from typing import Literal

from ninja import Schema


class TokenRequest(Schema):
    username: str
    password: str


class OrderCreateRequest(Schema):
    channel: Literal["hotline", "web", "upper_hotline", "media", "letter_visit"]
    external_id: str | None = None
    order_type: Literal["general", "urgent", "redo", "thanks"] = "general"
    redo_of: str | None = None
    redo_reasons: str | None = None
    category: str
    address: str
    content: str
    reporter: str | None = None
    phone: str | None = None
    department: str | None = None
    time_limit_hours: float | None = None
    due_at: datetime | None = None
    callback_required: bool = True
    night_contact_allowed: bool = False
    upstream_received_at: datetime | None = None
    dispatch: bool = True


class VersionedRequest(Schema):
    version: int | None = None


class DispatchRequest(VersionedRequest):
    department: str


class ContactAttemptRequest(VersionedRequest):
    at: datetime
    outcome: Literal["reached", "no_answer", "powered_off", "site_visit"]
    note: str | None = None


class ReplyRequest(VersionedRequest):
    content: str


class DecisionRequest(VersionedRequest):
    decision: Literal["approve", "reject"]
    comment: str | None = None


class CallbackRequest(VersionedRequest):
    kind: Literal["process", "result"]
    outcome: Literal["satisfied", "basically_satisfied", "unsatisfied", "unreachable"]
    reply_truthful: bool | None = None
    note: str | None = None
    script_steps: (
        list[Literal["greeting", "introduction", "inquiry", "thanks", "record", "statistics"]]
        | None
    ) = None
    staff_contacted: bool | None = None
    work_done: str | None = None
    problem_solved: bool | None = None


class CloseRequest(VersionedRequest):
    reason: str


class TransferRequest(VersionedRequest):
    department: str
    contact_person: str
    contact_phone: str
    note: str | None = None


class ReturnRequest(VersionedRequest):
    reason: str
    basis: str | None = None
    evidence: str | None = None
    target_unit: str


class ExtensionRequest(VersionedRequest):
    reason: str
    measures: str
    expected_done_at: datetime
    citizen_agreed: bool


class ReportRequest(VersionedRequest):
    process: str
    measures: str
    constraints: str


class MergeRequest(VersionedRequest):
    into: str


class ReplyCheckRequest(Schema):
    content: str
    order: str | None = None


def request_body(schema: type[Schema]) -> dict:
    """Return `openapi_extra` that documents `schema` as the JSON request body."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }
