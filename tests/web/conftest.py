"""Fixtures of the page tests: orders in each state, logged-in clients, and a headless browser."""

import datetime
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import GOOD_REPLY, order_data
from waterdesk.orders import actions

CHROMIUM = "/usr/bin/chromium"
# The machine has no network: Chromium must not try to reach update or sync services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Debian's headless Chromium; skipped when it is not installed"
    )


def _browser_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: pip install playwright==1.65.2 (dev dependency)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash the test users' passwords cheaply; the slow production hasher is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Orders and clients ------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_new_order(dispatcher, **overrides):
    order, _ = actions.create_order(dispatcher, order_data(dispatch=False, **overrides))
    return order


def create_dispatched_order(dispatcher, **overrides):
    order, _ = actions.create_order(dispatcher, order_data(**overrides))
    return order


def create_accepted_order(dispatcher, handler, **overrides):
    order = create_dispatched_order(dispatcher, **overrides)
    return actions.accept_order(handler, order)


def create_replied_order(dispatcher, handler, **overrides):
    order = create_accepted_order(dispatcher, handler, **overrides)
    return actions.submit_reply(handler, order, GOOD_REPLY)


def create_callback_order(dispatcher, handler, **overrides):
    order = create_replied_order(dispatcher, handler, **overrides)
    return actions.review_reply(dispatcher, order, {"decision": "approve"})


def local_today_at(hour: int, minute: int = 0) -> datetime.datetime:
    """Return today in the utility's zone (Asia/Shanghai) at the given local time."""
    zone = ZoneInfo("Asia/Shanghai")
    today = timezone.localdate(timezone=zone)
    return datetime.datetime.combine(today, datetime.time(hour, minute), tzinfo=zone)


# --- Reading pages -----------------------------------------------------------------------------


class _ElementText(HTMLParser):
    """Collect the text inside the element with a given id."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id = element_id
        self.depth = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    """Return the text inside the element with `element_id`; fail if there is none."""
    parser = _ElementText(element_id)
    parser.feed(html)
    assert parser.found, f"no element with id {element_id!r} on the page"
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


class _VisibleText(HTMLParser):
    """Collect the text a person sees, plus the titles, placeholders and labels of controls."""

    HIDDEN = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__()
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
            return
        values = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


# --- Browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server():
    """The app served on 127.0.0.1 at a free port, for the browser tests."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def playwright_browser():
    """Headless Chromium driven by Playwright's sync API, shared by one module's tests.

    Playwright's sync API keeps an event loop running on the main thread. Django's guard against
    database calls from async code takes the tests for async code, so the guard is off meanwhile.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def browser_login(playwright_browser, live_server):
    """Return a function that opens a new browser context logged in as a user."""
    contexts = []

    def login(user, password: str = "test-password-1", viewport=None):
        context = playwright_browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.press("#id_password", "Enter")
        page.wait_for_url(re.compile(r".*/(dispatch|inbox|center|callbacks|dashboard)/$"))
        return page

    yield login
    for context in contexts:
        context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
