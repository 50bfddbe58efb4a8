"""The exception paths through the HTTP API: each endpoint, its errors and the order detail."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import ApiClient, make_user, order_data
from waterdesk.organization.models import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def clients(dispatcher, handler, preset):
    return {
        "dispatcher": ApiClient(dispatcher),
        "handler": ApiClient(handler),
        "department_head": ApiClient(
            make_user("supply_1_head", [Role.DEPARTMENT_HEAD], "supply_1")
        ),
        "center_head": ApiClient(make_user("center_head", [Role.CENTER_HEAD])),
    }


@pytest.fixture
def accepted_number(clients):
    data = order_data(time_limit_hours=48, channel="upper_hotline", external_id="12345-API-1")
    response = clients["dispatcher"].post("/api/v1/orders", data)
    number = response.json()["number"]
    assert clients["handler"].post(f"/api/v1/orders/{number}/accept").status_code == 200
    return number


def test_transfer_request_and_approval(clients, accepted_number):
    body = {"department": "supply_2", "contact_person": "李工", "contact_phone": "13900001111"}
    response = clients["handler"].post(f"/api/v1/orders/{accepted_number}/transfers", body)
    assert response.status_code == 200
    [request] = response.json()["open_requests"]
    assert request["kind"] == "transfer"
    assert request["department"] == "supply_2"
    response = clients["dispatcher"].post(
        f"/api/v1/orders/{accepted_number}/transfers/decision", {"decision": "approve"}
    )
    assert response.json()["status"] == "dispatched"
    assert response.json()["department"] == "supply_2"


def test_transfer_with_bad_phone_is_invalid_input(clients, accepted_number):
    body = {"department": "supply_2", "contact_person": "李工", "contact_phone": "12"}
    response = clients["handler"].post(f"/api/v1/orders/{accepted_number}/transfers", body)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "contact_phone"


def test_return_through_both_heads(clients, accepted_number):
    body = {"reason": "非我公司管辖", "evidence": "现场为小区自建管网", "target_unit": "物业公司"}
    assert (
        clients["handler"].post(f"/api/v1/orders/{accepted_number}/returns", body).status_code
        == 200
    )
    path = f"/api/v1/orders/{accepted_number}/returns/decision"
    assert clients["center_head"].post(path, {"decision": "approve"}).status_code == 409
    assert clients["handler"].post(path, {"decision": "approve"}).status_code == 403
    assert clients["department_head"].post(path, {"decision": "approve"}).status_code == 200
    response = clients["center_head"].post(path, {"decision": "approve"})
    assert response.json()["status"] == "returned"


def test_extension_over_four_days_is_invalid_input(clients, accepted_number):
    too_late = timezone.now() + datetime.timedelta(hours=48, days=5)
    body = {
        "reason": "材料未到",
        "measures": "临时供水",
        "expected_done_at": too_late.isoformat(),
        "citizen_agreed": True,
    }
    response = clients["handler"].post(f"/api/v1/orders/{accepted_number}/extensions", body)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "expected_done_at"


def test_attachment_upload_accepts_png_and_rejects_other_files(clients, accepted_number):
    client = clients["handler"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.client.post(
        f"/api/v1/orders/{accepted_number}/attachments",
        {"file": SimpleUploadedFile("photo.png", PNG, content_type="image/png")},
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["content_type"] == "image/png"
    response = client.client.post(
        f"/api/v1/orders/{accepted_number}/attachments",
        {"file": SimpleUploadedFile("photo.png", b"GIF89a....", content_type="image/png")},
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "file"


def test_merge_and_duplicates(clients):
    dispatcher = clients["dispatcher"]
    first = dispatcher.post("/api/v1/orders", order_data()).json()["number"]
    response = dispatcher.post("/api/v1/orders", order_data(address="确山县 建设路与人民路交叉口"))
    second = response.json()
    assert [item["number"] for item in second["likely_duplicates"]] == [first]
    assert set(second["likely_duplicates"][0]["reasons"]) >= {"phone", "place"}
    typed = dispatcher.get("/api/v1/duplicates", {"phone": "138 0000 1234"}).json()
    assert {item["number"] for item in typed} == {first, second["number"]}
    response = dispatcher.post(f"/api/v1/orders/{second['number']}/merge", {"into": first})
    assert response.json()["status"] == "merged"
    assert response.json()["merged_into"] == first


def test_report_endpoint_moves_to_reported(clients, accepted_number):
    body = {"process": "已勘查", "measures": "临时供水", "constraints": "需道路改造"}
    response = clients["handler"].post(f"/api/v1/orders/{accepted_number}/reports", body)
    assert response.json()["status"] == "reported"


def test_exemption_decision_without_proposal_is_409(clients, accepted_number):
    response = clients["center_head"].post(
        f"/api/v1/orders/{accepted_number}/exemption/decision", {"decision": "approve"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_report_document_and_special_report_register(clients, accepted_number):
    body = {"process": "已勘查", "measures": "临时供水", "constraints": "需道路改造"}
    clients["handler"].post(f"/api/v1/orders/{accepted_number}/reports", body)
    response = clients["handler"].get(f"/api/v1/orders/{accepted_number}/reports/document.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    client = clients["handler"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.client.post(
        f"/api/v1/orders/{accepted_number}/attachments",
        {"file": SimpleUploadedFile("scan.png", PNG, content_type="image/png")},
        HTTP_AUTHORIZATION=f"Bearer {client.token}",
    )
    clients["center_head"].post(
        f"/api/v1/orders/{accepted_number}/reports/decision", {"decision": "approve"}
    )
    register = clients["center_head"].get("/api/v1/reports/special-reports").json()
    assert [item["number"] for item in register] == [accepted_number]
    assert register[0]["report"]["constraints"] == "需道路改造"


def test_report_document_of_order_without_report_is_404(clients, accepted_number):
    response = clients["handler"].get(f"/api/v1/orders/{accepted_number}/reports/document.pdf")
    assert response.status_code == 404


def test_exemption_list_rejects_unknown_status(clients):
    response = clients["center_head"].get("/api/v1/reports/exemptions", {"status": "maybe"})
    assert response.status_code == 400


def test_approvals_queue_shows_each_decision_to_its_decider(clients, accepted_number):
    body = {"reason": "非我公司管辖", "evidence": "现场为小区自建管网", "target_unit": "物业公司"}
    clients["handler"].post(f"/api/v1/orders/{accepted_number}/returns", body)
    head_queue = clients["department_head"].get("/api/v1/approvals").json()
    assert [(item["kind"], item["order"]["number"]) for item in head_queue] == [
        ("return", accepted_number)
    ]
    assert clients["center_head"].get("/api/v1/approvals").json() == []
    path = f"/api/v1/orders/{accepted_number}/returns/decision"
    clients["department_head"].post(path, {"decision": "approve"})
    assert clients["department_head"].get("/api/v1/approvals").json() == []
    center_queue = clients["center_head"].get("/api/v1/approvals", {"kind": "return"}).json()
    assert [item["order"]["number"] for item in center_queue] == [accepted_number]


def test_duplicates_show_a_handler_only_own_department(clients):
    dispatcher = clients["dispatcher"]
    other = dispatcher.post("/api/v1/orders", order_data(department="supply_2")).json()["number"]
    own = dispatcher.post("/api/v1/orders", order_data()).json()["number"]
    # For the handler of supply_1, the duplicates leave out supply_2's earlier order.
    found = clients["handler"].get(f"/api/v1/orders/{own}/duplicates").json()
    assert other not in {item["number"] for item in found}
    assert dispatcher.get(f"/api/v1/orders/{own}/duplicates").json()[0]["number"] == other
    # Looking up a phone as typed is for the roles that create orders.
    typed = clients["handler"].get("/api/v1/duplicates", {"phone": "13800001234"})
    assert typed.status_code == 403
    assert typed.json()["error"]["code"] == "forbidden"
