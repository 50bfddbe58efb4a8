"""Submitting a service request through Open311: check the form, reject duplicates, create.

Orders are created only through `orders.actions.create_order`, on channel `web`, and wait for a
dispatcher to check them. Crews are dispatched by street address, not by coordinates, so
`address_string` is required. `lat` and `long` (WGS84) are kept on the request and written into
the order's content, where the crew reads them. `address_id`, `email`, `device_id`,
`account_id` and `attribute[...]` are ignored: the utility has no master address register, calls
citizens by phone, and its services define no attributes.
"""

import datetime
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from waterdesk.orders.actions import create_order
from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.models import Category, WorkOrder
from waterdesk.orders.statuses import Channel

from .models import ApiKey, SubmittedRequest, hash_api_key
from .rendering import Open311Error

logger = logging.getLogger(__name__)

# An equal request (same key, service, address, description and phone) within this time is
# rejected as sent twice. A new problem at the same place has a new description, so it passes.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
MAX_MEDIA_URL_LENGTH = 500
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Submission:
    order: WorkOrder
    token: str


def authenticate_key(raw_key: str | None) -> ApiKey:
    if not raw_key:
        raise Open311Error(403, _("An api_key is required to submit service requests."))
    api_key = ApiKey.objects.filter(key_hash=hash_api_key(raw_key), is_active=True).first()
    if api_key is None:
        raise Open311Error(403, _("The api_key is not valid. Ask the utility for a key."))
    return api_key


def _normalize(text: str | None) -> str:
    return WHITESPACE.sub(" ", (text or "").strip())


def _read_coordinate(form, name: str, limit: int, problems: list[str]) -> Decimal | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        problems.append(
            _("%(name)s must be a number from -%(limit)d to %(limit)d, got %(value)s.")
            % {"name": name, "limit": limit, "value": raw[:40]}
        )
        return None
    return value.quantize(Decimal("0.000001"))


def _read_media_url(form, problems: list[str]) -> str:
    url = (form.get("media_url") or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if len(url) > MAX_MEDIA_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(
            _("media_url must be an http or https URL of at most %(max)d characters.")
            % {"max": MAX_MEDIA_URL_LENGTH}
        )
        return ""
    return url


def fingerprint(api_key: ApiKey, service_code: str, address: str, description: str, phone) -> str:
    parts = [str(api_key.pk), service_code, _normalize(address), _normalize(description)]
    parts.append(_normalize(phone))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def submit_request(api_key: ApiKey, form, *, now: datetime.datetime) -> Submission:
    """Create an order from an Open311 POST form, or raise Open311Error listing each problem."""
    problems: list[str] = []
    service_code = (form.get("service_code") or "").strip()
    if not service_code:
        problems.append(_("service_code is required."))
    elif not Category.objects.filter(code=service_code, is_active=True).exists():
        problems.append(
            _("service_code %(code)s is not a service of this server. See services.json.")
            % {"code": service_code[:40]}
        )
    lat = _read_coordinate(form, "lat", 90, problems)
    long = _read_coordinate(form, "long", 180, problems)
    if (lat is None) != (long is None) and not problems:
        problems.append(_("Give lat and long together."))
    address = _normalize(form.get("address_string"))
    if not address:
        problems.append(
            _(
                "address_string is required: the utility dispatches crews by street address. "
                "Send lat and long as well where known."
            )
        )
    description = (form.get("description") or "").strip()
    if not description:
        problems.append(_("description is required: describe the problem."))
    media_url = _read_media_url(form, problems)
    if problems:
        raise Open311Error(400, *problems)

    content = description
    if lat is not None:
        content += "\n" + _("Coordinates (WGS84): %(lat)s, %(long)s") % {"lat": lat, "long": long}
    if media_url:
        content += "\n" + _("Photo or video: %(url)s") % {"url": media_url}
    phone = (form.get("phone") or "").strip() or None
    reporter = (
        "".join(part.strip() for part in (form.get("last_name"), form.get("first_name")) if part)
        or None
    )
    order_data = {
        "channel": Channel.WEB,
        "category": service_code,
        "address": address,
        "content": content,
        "reporter": reporter,
        "phone": phone,
        "dispatch": False,
    }
    request_fingerprint = fingerprint(api_key, service_code, address, description, phone)
    token = secrets.token_urlsafe(16)
    try:
        with transaction.atomic():
            # Serializes this key's submissions, so two equal requests sent at once cannot both
            # pass the duplicate check.
            ApiKey.objects.select_for_update().filter(pk=api_key.pk).update(last_used_at=now)
            _reject_duplicate(request_fingerprint, now)
            order, _created = create_order(None, order_data, now=now)
            SubmittedRequest.objects.create(
                order=order,
                api_key=api_key,
                token=token,
                fingerprint=request_fingerprint,
                lat=lat,
                long=long,
                media_url=media_url,
                submitted_at=now,
            )
    except InvalidInput as error:
        raise Open311Error(400, *[item["message"] for item in error.details]) from None
    logger.info("Open311 key %s submitted order %s", api_key.key_prefix, order.number)
    return Submission(order, token)


def _reject_duplicate(request_fingerprint: str, now: datetime.datetime) -> None:
    earlier = (
        SubmittedRequest.objects.select_related("order")
        .filter(fingerprint=request_fingerprint, submitted_at__gt=now - DUPLICATE_WINDOW)
        .order_by("-submitted_at")
        .first()
    )
    if earlier is not None:
        logger.info("Open311 duplicate of order %s rejected", earlier.order.number)
        raise Open311Error(
            409,
            _(
                "The same request was already submitted as %(number)s within the last "
                "%(minutes)d minutes and is being handled."
            )
            % {"number": earlier.order.number, "minutes": DUPLICATE_WINDOW.seconds // 60},
        )
