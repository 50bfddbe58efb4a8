"""Likely duplicates of a request: the same phone, or the same place and category, recently."""

import datetime

from django.db.models import Q
from rapidfuzz import fuzz

from waterdesk.policy.models import Policy

from .addresses import address_key
from .models import WorkOrder

# Orders compared per lookup; staff look at the first few, and the cap keeps the lookup fast
# as the form is typed.
MAX_CANDIDATES = 20
# Content similarity (rapidfuzz partial ratio, 0–100) above which a candidate that matches
# neither phone nor place is still shown.
SIMILAR_CONTENT_SCORE = 80


def find_likely_duplicates(
    *,
    phone: str | None,
    address: str | None,
    category_id: int | None,
    content: str | None,
    now: datetime.datetime,
    policy: Policy,
    exclude_id: int | None = None,
) -> list[dict]:
    """Return earlier orders in the policy window that are probably the same request.

    Each item has the order, why it matched (phone, place, content) and a content similarity.
    """
    since = now - datetime.timedelta(days=policy.duplicate_window_days)
    match = Q()
    if phone:
        match |= Q(phone=phone)
    key = address_key(address) if address else ""
    if key and category_id:
        match |= Q(address_key=key, category_id=category_id)
    if not match:
        return []
    candidates = (
        WorkOrder.objects.filter(match, created_at__gte=since, created_at__lte=now)
        .exclude(pk=exclude_id)
        .select_related("category", "department")
        .order_by("-created_at")[:MAX_CANDIDATES]
    )
    results = []
    for candidate in candidates:
        reasons = []
        if phone and candidate.phone == phone:
            reasons.append("phone")
        if key and candidate.address_key == key and candidate.category_id == category_id:
            reasons.append("place")
        similarity = round(fuzz.partial_ratio(content, candidate.content)) if content else None
        if similarity is not None and similarity >= SIMILAR_CONTENT_SCORE:
            reasons.append("content")
        results.append({"order": candidate, "reasons": reasons, "similarity": similarity})
    return results
