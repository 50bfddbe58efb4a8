"""Shared fixtures: the preset reference data, users of every role, and an API client."""

import datetime
import os

import pytest
from django.test import Client

from waterdesk.organization.models import Department, Role, User
from waterdesk.policy.loading import load_preset

GOOD_REPLY = (
    "接单后工作人员于12月4日10点电话联系用户并到现场查看，经查系小区门前供水管道接口老化漏水，"
    "造成水压下降。已组织维修人员关阀抢修，更换接口后恢复供水，现场水压已恢复正常。"
    "用户对处理结果表示满意。"
)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL and Redis tests when their services are not configured."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    for item in items:
        if "postgres" in item.keywords and not database_url.startswith(
            ("postgres://", "postgresql://")
        ):
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing to PostgreSQL"))
        if "redis" in item.keywords and not redis_url:
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL"))


SERVICE_MARKERS = ("postgres", "redis", "browser")
_service_outcomes: dict[str, list[str]] = {marker: [] for marker in SERVICE_MARKERS}


def pytest_runtest_logreport(report):
    markers = getattr(report, "service_markers", ())
    if report.when == "call" or (report.when == "setup" and report.skipped):
        for marker in markers:
            _service_outcomes[marker].append(report.outcome)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.service_markers = [marker for marker in SERVICE_MARKERS if marker in item.keywords]


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if a service test was skipped or none ran, with WATERDESK_REQUIRE_SERVICES=1."""
    if os.environ.get("WATERDESK_REQUIRE_SERVICES") != "1":
        return
    if session.config.option.collectonly or getattr(session.config.option, "markexpr", ""):
        return
    for marker, outcomes in _service_outcomes.items():
        if not outcomes or "skipped" in outcomes:
            print(
                f"\nERROR: WATERDESK_REQUIRE_SERVICES=1 but {outcomes.count('skipped')} of "
                f"{len(outcomes)} {marker} tests were skipped; set DATABASE_URL and REDIS_URL."
            )
            session.exitstatus = 1


@pytest.fixture(autouse=True)
def fresh_policy():
    """Each test reads the policy and reference data of its own database, not an earlier test's."""
    from waterdesk.orders.reference import forget_reference_data
    from waterdesk.policy.models import forget_cached_policy

    forget_cached_policy()
    forget_reference_data()
    yield
    forget_cached_policy()
    forget_reference_data()


@pytest.fixture
def preset(db):
    load_preset()


def make_user(username: str, roles: list[str], department_code: str | None = None) -> User:
    department = Department.objects.get(code=department_code) if department_code else None
    user = User(username=username, name=username, roles=roles, department=department)
    user.set_password("test-password-1")
    user.save()
    return user


@pytest.fixture
def dispatcher(preset):
    return make_user("dispatcher", [Role.DISPATCHER])


@pytest.fixture
def center_head(preset):
    return make_user("center_head", [Role.CENTER_HEAD])


@pytest.fixture
def callback_agent(preset):
    return make_user("callback_agent", [Role.CALLBACK_AGENT])


@pytest.fixture
def viewer(preset):
    return make_user("viewer", [Role.VIEWER])


@pytest.fixture
def handler(preset):
    return make_user("supply_1_handler", [Role.HANDLER], "supply_1")


@pytest.fixture
def other_handler(preset):
    return make_user("supply_2_handler", [Role.HANDLER], "supply_2")


@pytest.fixture
def department_head(preset):
    return make_user("supply_1_head", [Role.DEPARTMENT_HEAD], "supply_1")


def order_data(**overrides) -> dict:
    data = {
        "channel": "hotline",
        "category": "pipe_leak",
        "address": "确山县建设路与人民路交叉口",
        "reporter": "张先生",
        "phone": "13800001234",
        "content": "路口人行道下往外冒水，已经流了一上午。",
        "department": "supply_1",
    }
    data.update(overrides)
    return data


class ApiClient:
    """A JSON client that logs in through the token endpoint, as outside clients do."""

    def __init__(self, user=None, password: str = "test-password-1"):
        self.client = Client()
        self.token = None
        if user is not None:
            response = self.post(
                "/api/v1/auth/token", {"username": user.username, "password": password}
            )
            assert response.status_code == 200, response.content
            self.token = response.json()["token"]

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, **self._headers())

    def post(self, path: str, data=None):
        import json

        body = data if isinstance(data, str | bytes) else json.dumps(data or {})
        return self.client.post(path, body, content_type="application/json", **self._headers())


@pytest.fixture
def api_as():
    return ApiClient


def at(text: str) -> datetime.datetime:
    """Parse a local Asia/Shanghai time such as '2026-12-04 10:00:00' into an aware datetime."""
    from zoneinfo import ZoneInfo

    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
