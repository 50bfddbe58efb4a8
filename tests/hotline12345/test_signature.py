"""Signed pushes: the signature, the timestamp window and the nonce decide, before any order."""

import datetime

import pytest
import time_machine

from waterdesk.hotline12345.models import SeenNonce
from waterdesk.hotline12345.signing import compute_signature
from waterdesk.orders.models import WorkOrder

from .conftest import PLATFORM_SECRET, PUSH_URL, encode, push_body, send_push, sign_headers

NOW = datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC)


def body_at_now() -> dict:
    return push_body(received_at="2026-12-04T09:30:00+08:00")


def auth_error(response, header: str, code: str) -> None:
    assert response.status_code == 401, response.content
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["details"][0]["field"] == header
    assert error["details"][0]["code"] == code
    assert error["message"]


def test_signed_push_is_accepted(platform):
    response = send_push(push_body())
    assert response.status_code == 201, response.content
    assert WorkOrder.objects.count() == 1


def test_wrong_secret_is_rejected(platform):
    response = send_push(push_body(), secret="x" * 40)
    auth_error(response, "X-Hotline-Signature", "invalid")
    assert not WorkOrder.objects.exists()


def test_body_changed_after_signing_is_rejected(platform, client):
    raw = encode(push_body())
    headers = sign_headers(raw)
    tampered = raw.replace("建设路".encode(), "解放路".encode())
    response = client.post(PUSH_URL, tampered, content_type="application/json", **headers)
    auth_error(response, "X-Hotline-Signature", "invalid")
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "HTTP_X_HOTLINE_KEY",
        "HTTP_X_HOTLINE_TIMESTAMP",
        "HTTP_X_HOTLINE_NONCE",
        "HTTP_X_HOTLINE_SIGNATURE",
    ],
)
def test_missing_header_is_rejected(platform, client, header):
    raw = encode(push_body())
    headers = sign_headers(raw)
    del headers[header]
    response = client.post(PUSH_URL, raw, content_type="application/json", **headers)
    assert response.status_code == 401
    assert response.json()["error"]["details"][0]["code"] == "missing"
    assert not WorkOrder.objects.exists()


def test_unsigned_push_is_rejected(platform, client):
    response = client.post(PUSH_URL, encode(push_body()), content_type="application/json")
    assert response.status_code == 401
    assert not WorkOrder.objects.exists()


def test_unknown_key_is_rejected(platform):
    response = send_push(push_body(), key="other-city")
    auth_error(response, "X-Hotline-Key", "unknown")


def test_inactive_platform_is_rejected(platform):
    platform.is_active = False
    platform.save()
    response = send_push(push_body())
    auth_error(response, "X-Hotline-Key", "unknown")


def test_timestamp_in_milliseconds_is_rejected(platform):
    response = send_push(push_body(), timestamp=int(datetime.datetime.now().timestamp() * 1000))
    auth_error(response, "X-Hotline-Timestamp", "invalid")


def test_malformed_timestamp_is_rejected(platform, client):
    raw = encode(push_body())
    headers = sign_headers(raw)
    headers["HTTP_X_HOTLINE_TIMESTAMP"] = "2026-12-04T10:00:00"
    response = client.post(PUSH_URL, raw, content_type="application/json", **headers)
    auth_error(response, "X-Hotline-Timestamp", "invalid")


def test_short_nonce_is_rejected(platform):
    response = send_push(push_body(), nonce="abc")
    auth_error(response, "X-Hotline-Nonce", "invalid")


@pytest.mark.parametrize("offset", [-300, 300])
def test_timestamp_at_window_edge_is_accepted(platform, offset):
    with time_machine.travel(NOW, tick=False):
        response = send_push(body_at_now(), timestamp=int(NOW.timestamp()) + offset)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamp_past_window_is_expired(platform, offset):
    with time_machine.travel(NOW, tick=False):
        response = send_push(body_at_now(), timestamp=int(NOW.timestamp()) + offset)
    auth_error(response, "X-Hotline-Timestamp", "expired")
    assert not WorkOrder.objects.exists()


def test_replayed_push_is_rejected(platform, client):
    raw = encode(push_body())
    headers = sign_headers(raw)
    first = client.post(PUSH_URL, raw, content_type="application/json", **headers)
    replay = client.post(PUSH_URL, raw, content_type="application/json", **headers)
    assert first.status_code == 201
    auth_error(replay, "X-Hotline-Nonce", "replayed")
    assert WorkOrder.objects.count() == 1


def test_nonce_is_not_stored_for_a_bad_signature(platform):
    send_push(push_body(), secret="x" * 40, nonce="n" * 32)
    assert not SeenNonce.objects.exists()
    response = send_push(push_body(), secret=PLATFORM_SECRET, nonce="n" * 32)
    assert response.status_code == 201


def test_old_nonces_are_forgotten_after_twice_the_window(platform):
    with time_machine.travel(NOW, tick=False):
        send_push(body_at_now(), nonce="a" * 32)
    later = NOW + datetime.timedelta(seconds=601)
    with time_machine.travel(later, tick=False):
        send_push(push_body(hotline_id="12345-2", received_at="2026-12-04T09:30:00+08:00"))
    assert list(SeenNonce.objects.values_list("nonce", flat=True)) != ["a" * 32]
    assert not SeenNonce.objects.filter(nonce="a" * 32).exists()


def test_signature_matches_wire_format_example():
    body = (
        '{"hotline_id":"12345-20261204-0001","received_at":"2026-12-04T09:30:00+08:00",'
        '"category":"供水-管道漏水","address":"确山县建设路与人民路交叉口","reporter":"张先生",'
        '"phone":"13800001234","content":"路口人行道下往外冒水，已经流了一上午。",'
        '"time_limit_hours":24,"is_redo":false}'
    ).encode()
    signature = compute_signature(
        "example-secret-of-at-least-32-characters",
        "1796347800",
        "3f9c2a7d5e1b4c8a9d0e6f7a1b2c3d4e",
        body,
    )
    assert signature == "667c876f253dbf37a2c5bc142aeca9b710c3ce4cf0efb67b494692b71879c18f"
