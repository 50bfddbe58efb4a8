"""Login page, its throttle, the home page of each role, and CSRF on forms."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import make_user
from waterdesk.orders.models import WorkOrder
from waterdesk.organization.models import Role

from .conftest import client_for, text_of, visible_text


def test_login_page_is_chinese_with_autofocus(db):
    response = Client().get("/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in html
    assert "登录" in visible_text(html)
    assert 'id="id_username"' in html
    assert "autofocus" in html.split('id="id_username"')[1].split(">")[0]


def test_anonymous_user_is_sent_to_login(db):
    response = Client().get("/orders/GD1/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_login_opens_the_role_home(dispatcher):
    response = Client().post(
        "/login/", {"username": "dispatcher", "password": "test-password-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dispatch/"


@pytest.mark.parametrize(
    ("roles", "department", "home"),
    [
        ([Role.DISPATCHER], None, "/dispatch/"),
        ([Role.CENTER_HEAD, Role.DISPATCHER], None, "/center/"),
        ([Role.CALLBACK_AGENT], None, "/callbacks/"),
        ([Role.HANDLER], "supply_1", "/inbox/"),
        ([Role.DEPARTMENT_HEAD], "supply_1", "/inbox/"),
        ([Role.VIEWER], None, "/dashboard/"),
    ],
)
def test_home_redirects_to_role_page(preset, roles, department, home):
    user = make_user(f"user-{uuid.uuid4().hex[:8]}", roles, department)
    response = client_for(user).get("/")
    assert response.status_code == 302
    assert response["Location"] == home


def _wrong_login(client, username):
    return client.post("/login/", {"username": username, "password": "wrong-password"})


def test_login_refused_after_five_failures(preset):
    username = f"throttled-{uuid.uuid4().hex[:8]}"
    make_user(username, [Role.DISPATCHER])
    client = Client()
    for _attempt in range(5):
        response = _wrong_login(client, username)
        assert response.status_code == 200
    rejected = client.post("/login/", {"username": username, "password": "test-password-1"})
    assert rejected.status_code == 429
    assert "登录失败次数过多" in visible_text(rejected.content.decode())
    assert "_auth_user_id" not in client.session


def test_login_throttle_counts_per_user_name(preset):
    username = f"throttled-{uuid.uuid4().hex[:8]}"
    other = f"other-{uuid.uuid4().hex[:8]}"
    make_user(other, [Role.DISPATCHER])
    client = Client()
    for _attempt in range(5):
        _wrong_login(client, username)
    response = client.post("/login/", {"username": other, "password": "test-password-1"})
    assert response.status_code == 302


def test_successful_login_resets_failures(preset):
    username = f"forgetful-{uuid.uuid4().hex[:8]}"
    make_user(username, [Role.DISPATCHER])
    client = Client()
    for _attempt in range(4):
        _wrong_login(client, username)
    assert (
        client.post("/login/", {"username": username, "password": "test-password-1"}).status_code
        == 302
    )
    assert cache.get(f"login-failures:{username}:127.0.0.1") is None


def test_wrong_password_message_is_chinese(preset):
    response = _wrong_login(Client(), f"nobody-{uuid.uuid4().hex[:8]}")
    assert "请输入" in visible_text(response.content.decode())


def test_login_form_needs_csrf_token(dispatcher):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "dispatcher", "password": "test-password-1"})
    assert response.status_code == 403
    assert "表单" in visible_text(response.content.decode())


def test_create_order_needs_csrf_token(dispatcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dispatcher)
    response = client.post("/dispatch/", {"address": "确山县建设路1号", "content": "漏水"})
    assert response.status_code == 403
    assert WorkOrder.objects.count() == 0


def test_logout_page_form_posts_with_token(dispatcher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dispatcher)
    page = client.get("/dispatch/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/dispatch/").status_code == 302
    assert text_of(Client().get("/login/").content.decode(), "id_username") == ""


def test_expired_session_in_live_list_redirects_page(db):
    response = Client().get(
        "/dispatch/live/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://127.0.0.1:8000/dispatch/",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=%2Fdispatch%2F"
