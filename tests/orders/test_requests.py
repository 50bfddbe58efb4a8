"""Exception paths through the actions: hand-over, return, extension, redo, report, merge,
exemption — each with its guards, clocks and events."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import GOOD_REPLY, at, make_user, order_data
from waterdesk.deadlines.models import Clock
from waterdesk.orders import actions
from waterdesk.orders import request_actions as requests
from waterdesk.orders.errors import InvalidInput, InvalidTransition
from waterdesk.orders.models import OrderEvent, OrderRequest
from waterdesk.organization.models import Role

ACCEPTED_AT = at("2026-12-04 09:00:00")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def accepted(dispatcher, handler):
    # From the 12345 hotline, so that it may also be returned there.
    data = order_data(time_limit_hours=72, channel="upper_hotline", external_id="12345-REQ-1")
    order, _ = actions.create_order(dispatcher, data, now=ACCEPTED_AT)
    return actions.accept_order(handler, order, now=ACCEPTED_AT)


@pytest.fixture
def supply_2_handler(preset):
    return make_user("supply_2_handler", [Role.HANDLER], "supply_2")


def transfer_body(**overrides):
    body = {"department": "supply_2", "contact_person": "李工", "contact_phone": "13900001111"}
    body.update(overrides)
    return body


def events(order, action):
    return list(OrderEvent.objects.filter(order=order, action=action).order_by("at", "id"))


# --- Hand-over --------------------------------------------------------------------------------


def test_transfer_within_four_hours_awaits_center(accepted, handler):
    now = ACCEPTED_AT + datetime.timedelta(hours=4) - datetime.timedelta(seconds=1)
    order = requests.request_transfer(handler, accepted, transfer_body(), now=now)
    request = OrderRequest.objects.get(order=order, kind="transfer")
    assert request.status == "awaiting_center"
    assert request.late is False
    assert Clock.objects.get(order=order, clock="transfer").met_at == now


def test_approved_transfer_dispatches_to_new_department(
    accepted, handler, dispatcher, supply_2_handler
):
    requests.request_transfer(handler, accepted, transfer_body(), now=ACCEPTED_AT)
    order = requests.decide_transfer(dispatcher, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    assert order.status == "dispatched"
    assert order.department.code == "supply_2"
    [decision] = events(order, "transfer_decision")
    assert decision.data["from_department"] == "supply_1"
    assert Clock.objects.filter(order=order, clock="accept", met_at__isnull=True).count() == 1
    order = actions.accept_order(supply_2_handler, order)
    assert order.status == "accepted"


def test_rejected_transfer_is_buck_passing_and_first_department_keeps_it(
    accepted, handler, dispatcher
):
    requests.request_transfer(handler, accepted, transfer_body(), now=ACCEPTED_AT)
    order = requests.decide_transfer(
        dispatcher, accepted, {"decision": "reject", "comment": "属本部门职责"}, now=ACCEPTED_AT
    )
    assert order.status == "accepted"
    assert order.department.code == "supply_1"
    assert OrderRequest.objects.get(order=order).buck_passing is True


def test_transfer_after_four_hours_is_buck_passing_at_once(accepted, handler):
    late = ACCEPTED_AT + datetime.timedelta(hours=4)
    order = requests.request_transfer(
        handler, accepted, transfer_body(), now=late + datetime.timedelta(seconds=1)
    )
    request = OrderRequest.objects.get(order=order)
    assert request.late is True
    assert request.buck_passing is True
    assert request.status == "rejected"
    assert [event.data["clock"] for event in events(order, "breach")] == ["transfer"]


def test_transfer_without_named_person_is_buck_passing(accepted, handler):
    order = requests.request_transfer(
        handler, accepted, transfer_body(contact_person=""), now=ACCEPTED_AT
    )
    assert OrderRequest.objects.get(order=order).buck_passing is True
    assert order.status == "accepted"


def test_transfer_to_own_department_is_invalid(accepted, handler):
    with pytest.raises(InvalidInput):
        requests.request_transfer(handler, accepted, transfer_body(department="supply_1"))


def test_transfer_decision_without_request_is_invalid_transition(accepted, dispatcher):
    with pytest.raises(InvalidTransition):
        requests.decide_transfer(dispatcher, accepted, {"decision": "approve"})


def test_second_open_transfer_is_refused(accepted, handler):
    requests.request_transfer(handler, accepted, transfer_body(), now=ACCEPTED_AT)
    with pytest.raises(InvalidTransition):
        requests.request_transfer(
            handler, accepted, transfer_body(department="supply_3"), now=ACCEPTED_AT
        )


# --- Return -------------------------------------------------------------------------------------

RETURN_BODY = {
    "reason": "该路段雨水管网属市政管理处管辖",
    "basis": "《城市排水管理办法》第八条",
    "target_unit": "县市政管理处",
}


@pytest.fixture
def heads(preset):
    return (
        make_user("supply_1_head", [Role.DEPARTMENT_HEAD], "supply_1"),
        make_user("center_head", [Role.CENTER_HEAD]),
    )


def test_return_needs_both_heads(accepted, handler, heads):
    department_head, center_head = heads
    requests.request_return(handler, accepted, RETURN_BODY, now=ACCEPTED_AT)
    order = requests.decide_return(
        department_head, accepted, {"decision": "approve"}, now=ACCEPTED_AT
    )
    assert order.status == "accepted"
    assert OrderRequest.objects.get(order=order).status == "awaiting_center"
    order = requests.decide_return(center_head, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    assert order.status == "returned"
    assert not Clock.objects.filter(
        order=order, clock="resolution", stopped_at__isnull=True, met_at__isnull=True
    ).exists()


def test_center_head_cannot_skip_department_head(accepted, handler, heads):
    _department_head, center_head = heads
    requests.request_return(handler, accepted, RETURN_BODY, now=ACCEPTED_AT)
    with pytest.raises(InvalidTransition):
        requests.decide_return(center_head, accepted, {"decision": "approve"})


def test_late_return_is_accepted_and_marked_late(accepted, handler):
    late = ACCEPTED_AT + datetime.timedelta(hours=24, seconds=1)
    order = requests.request_return(handler, accepted, RETURN_BODY, now=late)
    assert OrderRequest.objects.get(order=order).late is True


def test_return_in_time_is_not_late(accepted, handler):
    order = requests.request_return(
        handler, accepted, RETURN_BODY, now=ACCEPTED_AT + datetime.timedelta(hours=24)
    )
    assert OrderRequest.objects.get(order=order).late is False


def test_return_needs_basis_or_evidence(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        requests.request_return(handler, accepted, {**RETURN_BODY, "basis": ""})
    assert raised.value.details[0]["field"] == "basis"


def test_redo_order_can_never_be_returned(dispatcher, handler):
    redo, _ = actions.create_order(
        dispatcher, order_data(order_type="redo", redo_reasons="用户反映仍未修复")
    )
    actions.accept_order(handler, redo)
    with pytest.raises(InvalidTransition) as raised:
        requests.request_return(handler, redo, RETURN_BODY)
    assert "重办" in raised.value.message


def test_order_not_from_12345_cannot_be_returned(dispatcher, handler):
    order, _ = actions.create_order(dispatcher, order_data(channel="hotline"))
    actions.accept_order(handler, order)
    with pytest.raises(InvalidTransition) as raised:
        requests.request_return(handler, order, RETURN_BODY)
    assert "12345" in raised.value.message


def test_approved_return_closes_other_open_requests(accepted, handler, heads):
    department_head, center_head = heads
    requests.request_transfer(handler, accepted, transfer_body(), now=ACCEPTED_AT)
    requests.request_return(handler, accepted, RETURN_BODY, now=ACCEPTED_AT)
    requests.decide_return(department_head, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    requests.decide_return(center_head, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    transfer = OrderRequest.objects.get(order=accepted, kind="transfer")
    assert transfer.status == "rejected"


def test_rejected_return_keeps_order_with_department(accepted, handler, heads):
    department_head, _center_head = heads
    requests.request_return(handler, accepted, RETURN_BODY, now=ACCEPTED_AT)
    order = requests.decide_return(
        department_head, accepted, {"decision": "reject", "comment": "属我公司职责"}
    )
    assert order.status == "accepted"
    assert OrderRequest.objects.get(order=order).status == "rejected"


# --- Extension ----------------------------------------------------------------------------------


def extension_body(days: float = 2, **overrides):
    due = ACCEPTED_AT + datetime.timedelta(hours=72) + datetime.timedelta(days=days)
    body = {
        "reason": "需更换主管道，材料调运中",
        "measures": "已临时供水",
        "expected_done_at": due.isoformat(),
        "citizen_agreed": True,
    }
    body.update(overrides)
    return body


def test_approved_extension_moves_resolution_clock(accepted, handler, dispatcher):
    requests.request_extension(handler, accepted, extension_body(days=4), now=ACCEPTED_AT)
    order = requests.decide_extension(
        dispatcher, accepted, {"decision": "approve"}, now=ACCEPTED_AT
    )
    resolution = Clock.objects.get(order=order, clock="resolution")
    assert resolution.due_at == ACCEPTED_AT + datetime.timedelta(hours=72, days=4)
    assert order.extended is True
    assert order.process_callback_pending is True


def test_extension_longer_than_four_days_is_refused(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        requests.request_extension(handler, accepted, extension_body(days=4.01), now=ACCEPTED_AT)
    assert raised.value.details[0]["field"] == "expected_done_at"


def test_extension_before_current_due_is_refused(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        requests.request_extension(handler, accepted, extension_body(days=-1), now=ACCEPTED_AT)
    assert raised.value.details[0]["field"] == "expected_done_at"
    assert not OrderRequest.objects.filter(order=accepted).exists()


def test_extension_without_citizen_agreement_is_refused(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        requests.request_extension(handler, accepted, extension_body(citizen_agreed=False))
    assert raised.value.details[0]["field"] == "citizen_agreed"


@pytest.mark.parametrize("order_type", ["urgent", "redo", "thanks"])
def test_extension_refused_for_order_type(dispatcher, handler, order_type):
    extra = {"redo_reasons": "未解决"} if order_type == "redo" else {}
    order, _ = actions.create_order(
        dispatcher, order_data(order_type=order_type, **extra), now=ACCEPTED_AT
    )
    actions.accept_order(handler, order, now=ACCEPTED_AT)
    with pytest.raises(InvalidTransition):
        requests.request_extension(handler, order, extension_body(days=1), now=ACCEPTED_AT)


def test_second_extension_is_refused(accepted, handler, dispatcher):
    requests.request_extension(handler, accepted, extension_body(days=1), now=ACCEPTED_AT)
    requests.decide_extension(dispatcher, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    with pytest.raises(InvalidTransition):
        requests.request_extension(handler, accepted, extension_body(days=2), now=ACCEPTED_AT)


def test_process_callback_after_extension(accepted, handler, dispatcher, callback_agent):
    from waterdesk.callbacks.actions import record_callback

    requests.request_extension(handler, accepted, extension_body(days=1), now=ACCEPTED_AT)
    requests.decide_extension(dispatcher, accepted, {"decision": "approve"}, now=ACCEPTED_AT)
    order = record_callback(
        callback_agent,
        accepted,
        {"kind": "process", "outcome": "satisfied"},
        now=ACCEPTED_AT + datetime.timedelta(hours=1),
    )
    assert order.status == "accepted"
    assert order.process_callback_pending is False


# --- Redo orders ----------------------------------------------------------------------------------


@pytest.fixture
def redo(dispatcher, handler):
    original, _ = actions.create_order(dispatcher, order_data())
    order, _ = actions.create_order(
        dispatcher,
        order_data(order_type="redo", redo_of=original.number, redo_reasons="用户反映水压仍然偏低"),
    )
    return actions.accept_order(handler, order)


REDO_REPLY = (
    "针对重办理由中水压仍然偏低的问题，工作人员于12月4日10点电话联系用户并到现场查看，经查系小区二次供水泵老化"
    "造成水压不足。已更换加压泵并调整出水压力，现场水压已恢复正常。用户对处理结果表示满意。"
)


def test_redo_reply_counts_only_after_both_heads(redo, handler, heads):
    department_head, center_head = heads
    order = actions.submit_reply(handler, redo, REDO_REPLY)
    assert order.status == "accepted"
    order = requests.approve_redo_reply(department_head, redo, {"decision": "approve"})
    assert order.status == "accepted"
    order = requests.approve_redo_reply(center_head, redo, {"decision": "approve"})
    assert order.status == "replied"
    assert [event.data["level"] for event in events(order, "redo_approval")] == [
        "department_head",
        "center_head",
    ]


def test_redo_reply_rejected_by_head_goes_back_to_handler(redo, handler, heads):
    department_head, _ = heads
    actions.submit_reply(handler, redo, REDO_REPLY)
    requests.approve_redo_reply(
        department_head, redo, {"decision": "reject", "comment": "未逐条答复"}
    )
    order = actions.submit_reply(handler, redo, REDO_REPLY + "已逐条答复。")
    assert order.replies.count() == 2


def test_second_redo_reply_while_one_awaits_is_refused(redo, handler):
    actions.submit_reply(handler, redo, REDO_REPLY)
    with pytest.raises(InvalidTransition):
        actions.submit_reply(handler, redo, REDO_REPLY)


# --- Written report -----------------------------------------------------------------------------

REPORT_BODY = {
    "process": "已多次现场勘查",
    "measures": "临时接管供水",
    "constraints": "需市政道路改造后方可施工",
}


def test_report_moves_order_to_reported_and_needs_scan(accepted, handler, heads):
    _, center_head = heads
    order = requests.submit_report(handler, accepted, REPORT_BODY, now=ACCEPTED_AT)
    assert order.status == "reported"
    with pytest.raises(InvalidTransition):
        requests.decide_report(center_head, accepted, {"decision": "approve"})
    requests.add_attachment(handler, accepted, SimpleUploadedFile("scan.png", PNG))
    order = requests.decide_report(center_head, accepted, {"decision": "approve"})
    assert order.status == "reported"
    assert OrderRequest.objects.get(order=order, kind="report").status == "approved"


def test_rejected_report_resumes_resolution_clock(accepted, handler, heads):
    _, center_head = heads
    before = Clock.objects.get(order=accepted, clock="resolution").due_at
    requests.submit_report(handler, accepted, REPORT_BODY, now=ACCEPTED_AT)
    order = requests.decide_report(
        center_head,
        accepted,
        {"decision": "reject", "comment": "可以给出完成时间"},
        now=ACCEPTED_AT + datetime.timedelta(hours=2),
    )
    assert order.status == "accepted"
    resolution = Clock.objects.get(order=order, clock="resolution")
    assert resolution.stopped_at is None
    assert resolution.due_at == before + datetime.timedelta(hours=2)


def test_attachment_type_is_read_from_content(accepted, handler):
    with pytest.raises(InvalidInput) as raised:
        requests.add_attachment(
            handler, accepted, SimpleUploadedFile("photo.png", b"MZ not an image")
        )
    assert raised.value.details[0]["field"] == "file"


# --- Merging and exemptions ---------------------------------------------------------------------


def test_merge_attaches_later_duplicate_to_earlier_order(dispatcher):
    first, _ = actions.create_order(dispatcher, order_data())
    duplicate, _ = actions.create_order(dispatcher, order_data())
    order = requests.merge_order(dispatcher, duplicate, {"into": first.number})
    assert order.status == "merged"
    assert order.merged_into == first
    assert events(first, "merge")[0].data["merged"] == duplicate.number


def test_merge_into_later_order_is_refused(dispatcher):
    first, _ = actions.create_order(dispatcher, order_data())
    later, _ = actions.create_order(dispatcher, order_data())
    with pytest.raises(InvalidInput):
        requests.merge_order(dispatcher, first, {"into": later.number})


def test_exemption_prefix_proposes_exclusion_and_center_head_decides(accepted, handler, heads):
    _, center_head = heads
    reply = (
        "【用户诉求不符合《确山县城市供水管理办法》的要求，建议不计入考核】工作人员于12月4日10点电话联系用户并到现场查看，"
        "用户要求免除管道维修费用，根据《确山县城市供水管理办法》第二十条，户表后管道由用户负责维修。"
        "已向用户解释相关规定并联系维修单位上门，目前漏点已修复。用户表示理解认可。"
    )
    order = actions.submit_reply(handler, accepted, reply)
    assert order.exemption_status == "proposed"
    assert order.exemption_kind == "policy"
    order = requests.decide_exemption(center_head, order, {"decision": "approve"})
    assert order.exemption_status == "approved"


def test_exemption_decision_without_proposal_is_invalid(accepted, heads):
    _, center_head = heads
    with pytest.raises(InvalidTransition):
        requests.decide_exemption(center_head, accepted, {"decision": "approve"})


def test_redispatch_after_unsatisfied_callback(dispatcher, handler, callback_agent):
    from waterdesk.callbacks.actions import record_callback

    order, _ = actions.create_order(dispatcher, order_data(), now=ACCEPTED_AT)
    actions.accept_order(handler, order, now=ACCEPTED_AT)
    actions.submit_reply(handler, order, GOOD_REPLY, now=ACCEPTED_AT)
    actions.review_reply(dispatcher, order, {"decision": "approve"}, now=ACCEPTED_AT)
    with pytest.raises(InvalidTransition):
        actions.dispatch_order(dispatcher, order, "supply_1", now=ACCEPTED_AT)
    record_callback(
        callback_agent,
        order,
        {"kind": "result", "outcome": "unsatisfied", "reply_truthful": True},
        now=ACCEPTED_AT + datetime.timedelta(hours=1),
    )
    order = actions.dispatch_order(dispatcher, order, "supply_1", now=timezone.now())
    assert order.status == "dispatched"


def test_merge_into_unknown_number_names_the_field(dispatcher):
    order, _ = actions.create_order(dispatcher, order_data(), now=ACCEPTED_AT)
    with pytest.raises(InvalidInput) as raised:
        requests.merge_order(dispatcher, order, {"into": "GD209901010001"}, now=ACCEPTED_AT)
    assert raised.value.details[0]["field"] == "into"
    order.refresh_from_db()
    assert order.status == "dispatched"
