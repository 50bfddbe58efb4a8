"""The dashboard: live counts by department and status, today's breaches, clocks due soon."""

import datetime

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from waterdesk.deadlines.models import Clock
from waterdesk.orders.permissions import visible_orders
from waterdesk.orders.statuses import OPEN_STATUSES, Status

from ..access import page
from ..presenters import present_clock
from .center import open_clocks

DUE_SOON = datetime.timedelta(hours=1)
LIST_LIMIT = 50


def dashboard_context(user) -> dict:
    now = timezone.now()
    orders = visible_orders(user)
    counts = orders.values("department__code", "department__name", "status").annotate(
        count=Count("id")
    )
    statuses = list(Status)
    table: dict[str, dict] = {}
    for row in counts:
        entry = table.setdefault(
            row["department__code"],
            {"name": row["department__name"], "counts": dict.fromkeys(Status.values, 0)},
        )
        entry["counts"][row["status"]] = row["count"]
    rows = [
        {
            "code": code,
            "name": entry["name"],
            "cells": [entry["counts"][status] for status in Status.values],
            "open": sum(entry["counts"][status] for status in OPEN_STATUSES),
        }
        for code, entry in sorted(table.items(), key=lambda item: -item[1]["counts"]["new"])
    ]
    totals = [sum(row["cells"][index] for row in rows) for index in range(len(statuses))]

    local_now = timezone.localtime(now)
    today_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    breaches = (
        Clock.objects.filter(
            order__in=orders,
            breached_at__gte=today_start,
            breached_at__lt=today_start + datetime.timedelta(days=1),
        )
        .select_related("order", "order__department")
        .order_by("-breached_at")
    )
    due_soon = (
        open_clocks(user).filter(due_at__gt=now, due_at__lte=now + DUE_SOON).order_by("due_at")
    )
    open_statuses = [status for status in statuses if status in OPEN_STATUSES]
    chart = {
        "departments": [row["name"] for row in rows],
        "series": [
            {
                "name": str(status.label),
                "data": [row["cells"][Status.values.index(status.value)] for row in rows],
            }
            for status in open_statuses
        ],
    }
    return {
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "breach_count": breaches.count(),
        "breaches": [present_clock(clock, now) for clock in breaches[:LIST_LIMIT]],
        "due_soon_count": due_soon.count(),
        "due_soon": [
            present_clock(clock, now) for clock in due_soon.order_by("due_at")[:LIST_LIMIT]
        ],
        "chart": chart,
        "updated_at": now,
    }


@page()
def dashboard(request):
    return render(request, "web/dashboard.html", dashboard_context(request.user))


@page()
def dashboard_live(request):
    return render(request, "web/partials/dashboard_live.html", dashboard_context(request.user))
