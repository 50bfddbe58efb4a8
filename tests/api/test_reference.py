"""Departments and categories of the preset."""

from tests.conftest import ApiClient


def test_departments_list_the_preset(viewer):
    body = ApiClient(viewer).get("/api/v1/departments").json()
    codes = [item["code"] for item in body]
    assert len(codes) == 13
    assert codes[0] == "dispatch_center"
    assert body[0]["is_dispatch_center"] is True
    assert {"code": "finance", "name": "财务科（收费室）", "is_dispatch_center": False} in body


def test_categories_list_defaults(viewer):
    body = ApiClient(viewer).get("/api/v1/categories").json()
    by_code = {item["code"]: item for item in body}
    for code in [
        "no_water",
        "low_pressure",
        "water_quality",
        "pipe_leak",
        "meter",
        "billing",
        "installation",
        "sewage",
        "construction",
        "consultation",
        "other",
    ]:
        assert code in by_code
    assert by_code["no_water"]["default_department"] == "supply_1"
    assert by_code["no_water"]["time_limit_hours"] == 24


def test_chinese_text_is_not_escaped(viewer):
    response = ApiClient(viewer).get("/api/v1/departments")
    assert "调度服务中心".encode() in response.content
    assert b"\\u" not in response.content


def test_openapi_document_lists_order_paths(preset):
    response = ApiClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/orders" in paths
    assert "/api/v1/orders/{number}/accept" in paths
    assert "requestBody" in paths["/api/v1/orders"]["post"]


def test_docs_page_is_served_without_cdn(preset):
    response = ApiClient().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content
