"""The dispatcher console: the new-order form, the caller's history, and the live list."""

from django.db.models import Q, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from waterdesk.orders import actions
from waterdesk.orders.addresses import address_key
from waterdesk.orders.errors import ActionError
from waterdesk.orders.fields import normalize_phone
from waterdesk.orders.listing import SORT_NEAREST_DUE, page_of_orders
from waterdesk.orders.models import Category
from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import Status

from ..access import CENTER_ROLES, page
from ..forms import DispatchForm, NewOrderForm
from ..presenters import open_clocks_prefetch, running_clocks

LIVE_LIST_LIMIT = 50
HISTORY_LIMIT = 8
# Shorter input matches too many orders to help the dispatcher.
HISTORY_MIN_PHONE_DIGITS = 4
HISTORY_MIN_ADDRESS_CHARACTERS = 4


@page(*CENTER_ROLES)
def console(request):
    """Show the new-order form and the live list; create the order on POST."""
    if request.method == "POST":
        form = NewOrderForm(request.POST)
        if form.is_valid():
            try:
                order, _created = actions.create_order(request.user, form.action_data())
            except ActionError as error:
                form.add_action_error(error)
            else:
                # The console opens again, empty for the next call, naming the new order.
                return redirect(f"{reverse('web:dispatch')}?created={order.number}")
        status = 400
    else:
        form = NewOrderForm()
        status = 200
    created = visible_orders(request.user).filter(number=request.GET.get("created", "")).first()
    context = {
        "form": form,
        "created": created,
        "category_defaults": _category_defaults(),
        **_live_context(request.user),
    }
    return render(request, "web/dispatch.html", context, status=status)


def _category_defaults() -> dict:
    """Return each category's default department and time limit, which the form fills in."""
    return {
        item.code: {
            "department": item.default_department.code,
            "hours": item.time_limit_hours,
        }
        for item in Category.objects.filter(is_active=True).select_related("default_department")
    }


def _live_context(user) -> dict:
    now = timezone.now()
    orders = visible_orders(user).filter(status__in=[Status.NEW, Status.DISPATCHED])
    orders = orders.select_related("category", "department")
    page, _next = page_of_orders(orders, SORT_NEAREST_DUE, None, LIVE_LIST_LIMIT)
    prefetch_related_objects(page, open_clocks_prefetch())
    rows = [{"order": order, "clocks": running_clocks(order, now)} for order in page]
    return {
        "live_rows": rows,
        "dispatch_form": DispatchForm(),
        "live_updated_at": now,
    }


@page(*CENTER_ROLES)
def live_list(request):
    """Render the live list alone, which the console refreshes every few seconds."""
    return render(request, "web/partials/dispatch_live.html", _live_context(request.user))


@page(*CENTER_ROLES)
def history(request):
    """Earlier orders of the phone or address being typed into the new-order form."""
    phone = request.GET.get("phone", "").strip()
    address = request.GET.get("address", "").strip()
    conditions = Q()
    if phone:
        normalized = normalize_phone(phone)
        digits = "".join(char for char in phone if char.isdigit())
        if normalized:
            conditions |= Q(phone=normalized)
        elif len(digits) >= HISTORY_MIN_PHONE_DIGITS:
            conditions |= Q(phone__contains=digits)
    key = address_key(address)
    if len(key) >= HISTORY_MIN_ADDRESS_CHARACTERS:
        conditions |= Q(address_key__contains=key)
    orders = []
    if conditions:
        orders = list(
            visible_orders(request.user)
            .filter(conditions)
            .select_related("category", "department")
            .order_by("-created_at", "-id")[:HISTORY_LIMIT]
        )
    return render(
        request,
        "web/partials/history.html",
        {"history": orders, "searched": bool(conditions)},
    )
