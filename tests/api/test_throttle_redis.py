"""The login throttle on Redis: failures counted by one process stop logins in another."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from tests.conftest import ApiClient

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.clear()
    yield cache
    cache.clear()


def test_failures_are_shared_through_redis(dispatcher, redis_cache):
    client = ApiClient()
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "dispatcher", "password": "wrong"})
    # A second cache client stands for another worker process reading the same Redis.
    other_process = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "waterdesk"})
    keys = [key for key in other_process._cache.get_client().keys("*login-failures*")]
    assert keys, "the failure counter is not in Redis"
    response = client.post(
        "/api/v1/auth/token", {"username": "dispatcher", "password": "test-password-1"}
    )
    assert response.status_code == 429
