"""Fixtures of the citizen page tests: a private cache and media folder for each test."""

import io
import uuid

import pytest

SUBMIT_URL = "/public/"
LOOKUP_URL = "/public/lookup/"

# The smallest files whose first bytes make them a JPEG, PNG or WebP image.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP_BYTES = b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A cache of this test's own, so that throttle counts never leak between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"public-tests-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return file


def request_form(**overrides) -> dict:
    form = {
        "category": "pipe_leak",
        "address": "确山县建设路18号",
        "description": "小区门口水管破裂，水流到马路上。",
        "phone": "13800001234",
        "name": "王女士",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}
