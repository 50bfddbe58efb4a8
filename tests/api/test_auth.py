"""Token login, authentication errors and the login throttle."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import ApiClient, order_data


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_token_login_returns_token_and_user(dispatcher):
    client = ApiClient()
    response = client.post(
        "/api/v1/auth/token", {"username": "dispatcher", "password": "test-password-1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token"]
    assert body["user"] == {
        "username": "dispatcher",
        "name": "dispatcher",
        "roles": ["dispatcher"],
        "department": None,
    }


def test_handler_user_carries_department(handler):
    client = ApiClient(handler)
    assert client.get("/api/v1/me").json()["department"] == "supply_1"


def test_wrong_password_is_not_authenticated(dispatcher):
    response = ApiClient().post(
        "/api/v1/auth/token", {"username": "dispatcher", "password": "nope"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_missing_token_is_not_authenticated(preset):
    response = ApiClient().get("/api/v1/orders")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert "登录" in error["message"]


def test_bad_token_is_not_authenticated(preset):
    client = ApiClient()
    client.token = "forged"
    assert client.get("/api/v1/departments").status_code == 401


def test_login_is_throttled_after_repeated_failures(dispatcher):
    client = ApiClient()
    for _ in range(5):
        response = client.post("/api/v1/auth/token", {"username": "dispatcher", "password": "nope"})
        assert response.status_code == 401
    response = client.post(
        "/api/v1/auth/token", {"username": "dispatcher", "password": "test-password-1"}
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_token_login_with_missing_fields_is_invalid_input(preset):
    response = ApiClient().post("/api/v1/auth/token", {"username": "dispatcher"})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == "password"


def test_write_without_token_is_not_authenticated(preset):
    # The CSRF check applies only to a logged-in session, so a client without a token gets
    # not_authenticated.
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/orders", order_data(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    response = client.post(
        "/api/v1/orders",
        order_data(),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer forged",
    )
    assert response.status_code == 401


def test_session_write_without_csrf_token_is_forbidden(dispatcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dispatcher)
    response = client.post("/api/v1/orders", order_data(), content_type="application/json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert "CSRF" in error["message"]
    assert "刷新" in error["message"] or "重新加载" in error["message"]


def test_session_write_with_csrf_token_is_accepted(dispatcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dispatcher)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/orders", order_data(), content_type="application/json", HTTP_X_CSRFTOKEN=secret
    )
    assert response.status_code == 201
