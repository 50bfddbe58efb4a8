"""HMAC-SHA256 signatures of the 12345 wire format, and the check of an incoming push.

Both directions sign the same string: the Unix timestamp in seconds, a newline, the nonce, a
newline, and the raw body bytes. The signature is the lowercase hex digest.
"""

import datetime
import hashlib
import hmac
import logging
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from waterdesk.orders.errors import NotAuthenticated

from .models import HotlinePlatform, SeenNonce

logger = logging.getLogger(__name__)

KEY_HEADER = "X-Hotline-Key"
TIMESTAMP_HEADER = "X-Hotline-Timestamp"
NONCE_HEADER = "X-Hotline-Nonce"
SIGNATURE_HEADER = "X-Hotline-Signature"
MESSAGE_ID_HEADER = "X-Hotline-Message-Id"

NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TIMESTAMP_PATTERN = re.compile(r"^[0-9]{1,12}$")
SIGNATURE_PATTERN = re.compile(r"^[0-9a-fA-F]{64}$")


def signing_input(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode("ascii") + b"\n" + nonce.encode("ascii") + b"\n" + body


def compute_signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), signing_input(timestamp, nonce, body), hashlib.sha256)
    return digest.hexdigest()


def signed_headers(platform: HotlinePlatform, body: bytes, now: datetime.datetime) -> dict:
    """Return the key, timestamp, nonce and signature headers for sending `body` at `now`."""
    timestamp = str(int(now.timestamp()))
    nonce = secrets.token_hex(16)
    return {
        KEY_HEADER: platform.key,
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: compute_signature(platform.secret, timestamp, nonce, body),
    }


def _reject(header: str, code: str, message: str) -> NotAuthenticated:
    return NotAuthenticated(message, details=[{"field": header, "code": code, "message": message}])


def verify_push(headers, body: bytes, now: datetime.datetime) -> HotlinePlatform:
    """Check the signature headers of a push and return the platform that signed it.

    Steps, each failing with NotAuthenticated (401) that names the header:
    1. every header is present and well-formed;
    2. the key belongs to an active platform;
    3. the signature matches the body (compared in constant time);
    4. the timestamp is within the platform's window of `now`;
    5. the nonce was not used before; it is stored only after steps 1-4 passed, so unsigned
       requests cannot fill the nonce table.
    """
    values = {}
    for header in (KEY_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER):
        value = (headers.get(header) or "").strip()
        if not value:
            raise _reject(
                header,
                "missing",
                _("The header %(header)s is missing. Sign every push as the wire format says.")
                % {"header": header},
            )
        values[header] = value
    if not TIMESTAMP_PATTERN.match(values[TIMESTAMP_HEADER]):
        raise _reject(
            TIMESTAMP_HEADER,
            "invalid",
            _("The header %(header)s must be the Unix time in whole seconds.")
            % {"header": TIMESTAMP_HEADER},
        )
    if not NONCE_PATTERN.match(values[NONCE_HEADER]):
        raise _reject(
            NONCE_HEADER,
            "invalid",
            _("The header %(header)s must be 16 to 64 letters, digits, '-' or '_'.")
            % {"header": NONCE_HEADER},
        )

    platform = HotlinePlatform.objects.filter(key=values[KEY_HEADER], is_active=True).first()
    if platform is None:
        logger.warning("12345 push with unknown or inactive key %s", values[KEY_HEADER][:64])
        raise _reject(
            KEY_HEADER,
            "unknown",
            _("No active 12345 platform has the key %(key)s.") % {"key": values[KEY_HEADER][:64]},
        )

    expected = compute_signature(
        platform.secret, values[TIMESTAMP_HEADER], values[NONCE_HEADER], body
    )
    received = values[SIGNATURE_HEADER]
    if not SIGNATURE_PATTERN.match(received) or not hmac.compare_digest(expected, received.lower()):
        logger.warning("12345 push from %s with a wrong signature", platform.key)
        raise _reject(
            SIGNATURE_HEADER,
            "invalid",
            _(
                "The signature does not match the body. Sign the timestamp, nonce and raw body "
                "with HMAC-SHA256 and the shared secret."
            ),
        )

    signed_at = int(values[TIMESTAMP_HEADER])
    skew = abs(now.timestamp() - signed_at)
    if skew > platform.timestamp_window_seconds:
        logger.warning("12345 push from %s expired: clock differs by %d s", platform.key, skew)
        raise _reject(
            TIMESTAMP_HEADER,
            "expired",
            _(
                "The timestamp differs from the server's clock by %(skew)d seconds; at most "
                "%(window)d are allowed. Check the sender's clock and sign the push again."
            )
            % {"skew": skew, "window": platform.timestamp_window_seconds},
        )

    _consume_nonce(platform, values[NONCE_HEADER], now)
    return platform


def _consume_nonce(platform: HotlinePlatform, nonce: str, now: datetime.datetime) -> None:
    try:
        with transaction.atomic():
            SeenNonce.objects.create(platform=platform, nonce=nonce, seen_at=now)
    except IntegrityError:
        logger.warning("12345 push from %s replayed nonce %s", platform.key, nonce)
        raise _reject(
            NONCE_HEADER,
            "replayed",
            _("This nonce was already used. Every push needs a new nonce and a new signature."),
        ) from None
    # A nonce older than twice the window can no longer come with an accepted timestamp, so
    # forgetting it keeps the table small without letting a replay through.
    horizon = now - datetime.timedelta(seconds=2 * platform.timestamp_window_seconds)
    SeenNonce.objects.filter(platform=platform, seen_at__lt=horizon).delete()
