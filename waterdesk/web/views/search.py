"""Searching orders by number, phone, address or text, with the filters of the API's list."""

from django.shortcuts import render
from django.utils import timezone

from waterdesk.orders.errors import InvalidInput
from waterdesk.orders.listing import filter_orders, page_of_orders

from ..access import page
from ..forms import SearchForm

PAGE_SIZE = 30


@page()
def search(request):
    form = SearchForm(request.GET or None)
    results, next_query, status = [], None, 200
    if form.is_bound and form.is_valid():
        orders = filter_orders(request.user, form.filters(), timezone.now())
        try:
            results, next_cursor = page_of_orders(
                orders, form.sort_order(), form.cleaned_data["cursor"] or None, PAGE_SIZE
            )
        except InvalidInput as error:
            form.add_error(None, error.message)
            status = 400
        else:
            if next_cursor:
                query = request.GET.copy()
                query["cursor"] = next_cursor
                next_query = query.urlencode()
    elif form.is_bound:
        status = 400
    return render(
        request,
        "web/search.html",
        {"form": form, "results": results, "next_query": next_query},
        status=status,
    )
