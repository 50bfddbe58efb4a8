"""Counters that slow down floods of citizen requests and guessing of lookup digits.

Counts live in Django's cache (Redis when configured, so that every process shares them) in
fixed windows that start with the first hit. Values are hashed, so no phone number or address is
stored in the cache in clear text.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    max_count: int
    window_seconds: int

    @property
    def window_minutes(self) -> int:
        return self.window_seconds // 60


# Submissions from one client address: one office or family rarely reports ten problems an hour.
SUBMIT_PER_CLIENT = Limit("submit-client", 10, 60 * 60)
# Submissions with one phone: a citizen's later reports of the same problem add nothing.
SUBMIT_PER_PHONE = Limit("submit-phone", 3, 60 * 60)
# Submissions about one address: a burst main floods the page with the same report, and the
# first few are enough for the crew.
SUBMIT_PER_ADDRESS = Limit("submit-address", 5, 60 * 60)
# Lookups from one client address.
LOOKUP_PER_CLIENT = Limit("lookup-client", 30, 10 * 60)
# Wrong digits for one order number: the last four digits have only 10,000 values, so guessing
# must stop long before it could succeed.
LOOKUP_FAILURES_PER_ORDER = Limit("lookup-failures", 5, 60 * 60)


def _key(limit: Limit, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"public-throttle:{limit.name}:{digest}"


def is_exceeded(limit: Limit, value: str) -> bool:
    return cache.get(_key(limit, value), 0) >= limit.max_count


def count(limit: Limit, value: str) -> None:
    key = _key(limit, value)
    if cache.add(key, 1, limit.window_seconds):
        return
    try:
        cache.incr(key)
    except ValueError:
        # The window ended between add() and incr(): this hit opens a new one.
        cache.set(key, 1, limit.window_seconds)
