"""The citizen page: report a problem, then look up its progress by number and phone digits.

The lookup shows only citizen-facing data: the number, the kind of problem, the citizen-facing
status and the approved reply. Handler names, internal comments and the event history stay out.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.core.files.base import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from waterdesk.api.auth import client_address
from waterdesk.orders.actions import create_order
from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.models import ReplyStatus, WorkOrder
from waterdesk.orders.permissions import can_view_order

from . import throttle
from .forms import LookupForm, RequestForm
from .models import CitizenPhoto
from .photos import PhotoSizeLimitHandler
from .status import citizen_status

logger = logging.getLogger(__name__)

SESSION_SUBMITTED = "public_submitted_number"
THROTTLED = 429


@csrf_exempt
@require_http_methods(["GET", "POST"])
def submit(request):
    """Show the request form, or take a submitted one.

    The size limit must be in place before the body is read, and the CSRF check reads it, so
    the check runs in `_submit` after the handler is added.
    """
    if request.method == "POST":
        request.upload_handlers.insert(0, PhotoSizeLimitHandler(request))
    return _submit(request)


@csrf_protect
def _submit(request):
    if request.method != "POST":
        return render(request, "public/submit.html", {"form": RequestForm()})

    client = client_address(request)
    form = RequestForm(
        request.POST,
        request.FILES,
        photo_too_large=getattr(request, "photo_too_large", False),
    )
    if throttle.is_exceeded(throttle.SUBMIT_PER_CLIENT, client):
        form.add_error(None, _too_many_message(throttle.SUBMIT_PER_CLIENT))
        return render(request, "public/submit.html", {"form": form}, status=THROTTLED)
    throttle.count(throttle.SUBMIT_PER_CLIENT, client)
    if not form.is_valid():
        return render(request, "public/submit.html", {"form": form}, status=400)

    data = form.cleaned_data
    if throttle.is_exceeded(throttle.SUBMIT_PER_PHONE, data["phone"]):
        form.add_error("phone", _too_many_message(throttle.SUBMIT_PER_PHONE))
        return render(request, "public/submit.html", {"form": form}, status=THROTTLED)
    if throttle.is_exceeded(throttle.SUBMIT_PER_ADDRESS, data["address"]):
        form.add_error(
            "address",
            _(
                "Several requests about this address arrived within the last %(minutes)d "
                "minutes, and the utility is already on it. For a different problem there, "
                "call the service hotline."
            )
            % {"minutes": throttle.SUBMIT_PER_ADDRESS.window_minutes},
        )
        return render(request, "public/submit.html", {"form": form}, status=THROTTLED)

    now = timezone.now()
    try:
        with transaction.atomic():
            order, _created = create_order(None, form.order_data(), now=now)
            if data["photo"] is not None:
                _save_photo(order, data["photo"], form.photo_type, now)
    except InvalidInput as error:
        form.add_order_problems(error.details)
        return render(request, "public/submit.html", {"form": form}, status=400)
    throttle.count(throttle.SUBMIT_PER_PHONE, data["phone"])
    throttle.count(throttle.SUBMIT_PER_ADDRESS, data["address"])
    logger.info("citizen page created order %s", order.number)
    request.session[SESSION_SUBMITTED] = order.number
    return redirect("public-submitted")


def _save_photo(order: WorkOrder, photo, photo_type: tuple[str, str], now) -> CitizenPhoto:
    content_type, extension = photo_type
    row = CitizenPhoto(order=order, content_type=content_type, size=photo.size, uploaded_at=now)
    row.file.save(f"photo.{extension}", File(photo), save=False)
    row.save()
    return row


def _too_many_message(limit: throttle.Limit) -> str:
    return _(
        "Too many requests within %(minutes)d minutes. Wait a while and try again, or call the "
        "service hotline."
    ) % {"minutes": limit.window_minutes}


@require_GET
def submitted(request):
    number = request.session.get(SESSION_SUBMITTED)
    if not number:
        return redirect("public-submit")
    return render(request, "public/submitted.html", {"number": number})


@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method != "POST":
        return render(request, "public/lookup.html", {"form": LookupForm()})

    form = LookupForm(request.POST)
    client = client_address(request)
    if throttle.is_exceeded(throttle.LOOKUP_PER_CLIENT, client):
        form.add_error(None, _too_many_message(throttle.LOOKUP_PER_CLIENT))
        return render(request, "public/lookup.html", {"form": form}, status=THROTTLED)
    throttle.count(throttle.LOOKUP_PER_CLIENT, client)
    if not form.is_valid():
        return render(request, "public/lookup.html", {"form": form}, status=400)

    number = form.cleaned_data["number"]
    if throttle.is_exceeded(throttle.LOOKUP_FAILURES_PER_ORDER, number):
        form.add_error(
            None,
            _(
                "Too many wrong attempts for this number. Try again in %(minutes)d minutes, "
                "or call the service hotline."
            )
            % {"minutes": throttle.LOOKUP_FAILURES_PER_ORDER.window_minutes},
        )
        return render(request, "public/lookup.html", {"form": form}, status=THROTTLED)

    order = WorkOrder.objects.select_related("category").filter(number=number).first()
    if order is None or not _phone_ends_with(order.phone, form.cleaned_data["phone_last_four"]):
        throttle.count(throttle.LOOKUP_FAILURES_PER_ORDER, number)
        # One message for an unknown number and for wrong digits, so that the page does not
        # tell which numbers exist.
        form.add_error(
            None,
            _(
                "No request matches this number and these digits. Check both and try again. "
                "Requests made without a phone number cannot be looked up here."
            ),
        )
        return render(request, "public/lookup.html", {"form": form}, status=404)

    return render(request, "public/result.html", _result_context(order))


def _phone_ends_with(phone: str | None, last_four: str) -> bool:
    if not phone:
        return False
    digits = "".join(character for character in phone if character.isdigit())
    return digits.endswith(last_four)


def _result_context(order: WorkOrder) -> dict:
    reply = (
        order.replies.filter(status=ReplyStatus.APPROVED)
        .order_by("-reviewed_at", "-id")
        .only("content", "reviewed_at")
        .first()
    )
    return {
        "number": order.number,
        "category": order.category.name,
        "created_at": order.created_at,
        "closed_at": order.closed_at,
        "status": citizen_status(order),
        "reply": reply.content if reply else None,
        "replied_at": reply.reviewed_at if reply else None,
    }


@login_required
@require_GET
def photo(request, photo_id: int):
    """Serve a citizen's photo to staff who may see its order."""
    row = get_object_or_404(CitizenPhoto.objects.select_related("order"), pk=photo_id)
    if not can_view_order(request.user, row.order):
        raise Http404
    return FileResponse(row.file.open("rb"), content_type=row.content_type)
