"""Pages. The full role pages are yet to come; the home page links to the API and the admin."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import Status


@login_required
def home(request):
    orders = visible_orders(request.user)
    counts = {status: orders.filter(status=status).count() for status in Status.values}
    return render(
        request,
        "web/home.html",
        {
            "status_counts": [(Status(value).label, count) for value, count in counts.items()],
            "recent_orders": orders.select_related("department", "category")[:20],
        },
    )
