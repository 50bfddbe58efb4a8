"""Fixtures of the 12345 adapter tests: a platform with category mappings, and signed pushes."""

import datetime
import json
import secrets
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from waterdesk.hotline12345.models import CategoryMapping, HotlinePlatform
from waterdesk.hotline12345.signing import compute_signature
from waterdesk.orders.models import Category

from .mock_platform import MockPlatform

PUSH_URL = "/api/v1/integrations/12345/orders"
PLATFORM_KEY = "city-12345"
PLATFORM_SECRET = "s" * 40


def make_platform(**overrides) -> HotlinePlatform:
    values = {"name": "市12345平台", "key": PLATFORM_KEY, "secret": PLATFORM_SECRET}
    values.update(overrides)
    platform = HotlinePlatform.objects.create(**values)
    for upstream, code in (("供水-管道漏水", "pipe_leak"), ("供水-停水", "no_water")):
        CategoryMapping.objects.create(
            platform=platform, upstream_category=upstream, category=Category.objects.get(code=code)
        )
    return platform


@pytest.fixture
def platform(preset):
    return make_platform()


def an_hour_ago() -> str:
    """Return the time an hour ago as the platforms send it: ISO 8601 with +08:00."""
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)
    return (now - datetime.timedelta(hours=1)).isoformat()


def push_body(**overrides) -> dict:
    body = {
        "hotline_id": "12345-20261204-0001",
        "received_at": an_hour_ago(),
        "category": "供水-管道漏水",
        "address": "确山县建设路与人民路交叉口",
        "reporter": "张先生",
        "phone": "13800001234",
        "content": "路口人行道下往外冒水，已经流了一上午。",
        "time_limit_hours": 24,
        "is_redo": False,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def sign_headers(
    body: bytes,
    *,
    key: str = PLATFORM_KEY,
    secret: str = PLATFORM_SECRET,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict:
    """Return Django test-client headers that sign `body` the way a platform does."""
    timestamp_text = str(
        timestamp if timestamp is not None else int(datetime.datetime.now().timestamp())
    )
    nonce = nonce or secrets.token_hex(16)
    return {
        "HTTP_X_HOTLINE_KEY": key,
        "HTTP_X_HOTLINE_TIMESTAMP": timestamp_text,
        "HTTP_X_HOTLINE_NONCE": nonce,
        "HTTP_X_HOTLINE_SIGNATURE": compute_signature(secret, timestamp_text, nonce, body),
    }


def encode(body) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()


def send_push(body, client: Client | None = None, **sign_options):
    """POST a correctly signed push; `sign_options` change the key, secret, timestamp or nonce."""
    raw = encode(body)
    client = client or Client()
    return client.post(
        PUSH_URL, raw, content_type="application/json", **sign_headers(raw, **sign_options)
    )


@pytest.fixture
def mock_platform():
    server = MockPlatform(PLATFORM_KEY, PLATFORM_SECRET).start()
    yield server
    server.stop()
