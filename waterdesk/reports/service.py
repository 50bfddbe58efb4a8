"""The monthly report: live figures, finalising a month, and comparing a finalised month."""

import datetime
import logging
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from waterdesk.orders.errors import InvalidInput, InvalidTransition
from waterdesk.orders.fields import INVALID, UNKNOWN, field_label
from waterdesk.orders.permissions import require_role
from waterdesk.organization.models import Department, Role
from waterdesk.policy.models import get_policy

from .figures import compute_month
from .models import MonthlySnapshot

logger = logging.getLogger(__name__)

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# Months outside these years have no orders and, at the ends, no datetime to bound them.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def read_month(value) -> str:
    match = MONTH_PATTERN.match(value) if isinstance(value, str) else None
    if match is None or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise InvalidInput.for_field(
            "month", INVALID, _("month must be a month in the form YYYY-MM, for example 2026-12.")
        )
    return value


def read_department(code: str | None) -> str | None:
    """Return the department code to filter by, after checking that such a department exists.

    Inactive departments count, because an earlier month may still have their orders.
    """
    if code is not None and not Department.objects.filter(code=code).exists():
        raise InvalidInput.for_field(
            "department",
            UNKNOWN,
            _("%(field)s: no department has the code %(code)s. See GET /api/v1/departments.")
            % {"field": field_label("department"), "code": code},
        )
    return code


def monthly_report(month: str, department: str | None = None, *, compare: bool = False) -> dict:
    """Return the month's figures: the frozen snapshot once finalised, else computed now.

    With `compare`, a finalised month is also recomputed and every figure that would change
    is listed under `differences`, instead of the frozen figures silently changing.
    """
    month = read_month(month)
    department = read_department(department)
    snapshot = MonthlySnapshot.objects.filter(month=month).first()
    if snapshot is None:
        policy = get_policy()
        return {
            "month": month,
            "policy_version": policy.version,
            "finalized": False,
            **_select(compute_month(month, policy.timezone), department),
        }
    report = {
        "month": month,
        "policy_version": snapshot.policy_version,
        "finalized": True,
        "finalized_at": snapshot.finalized_at.isoformat(),
        **_select(snapshot.figures, department),
    }
    if compare:
        current = _select(compute_month(month, get_policy().timezone), department)
        report["differences"] = _differences(report, current)
    return report


def finalize_month(actor, month: str, now: datetime.datetime) -> MonthlySnapshot:
    """Freeze the month's figures with the policy version in force; a month is finalised once."""
    require_role(actor, Role.CENTER_HEAD)
    month = read_month(month)
    policy = get_policy()
    figures = compute_month(month, policy.timezone)
    try:
        with transaction.atomic():
            snapshot = MonthlySnapshot.objects.create(
                month=month,
                policy_version=policy.version,
                figures=figures,
                finalized_at=now,
                finalized_by=actor,
            )
    except IntegrityError:
        raise InvalidTransition(
            _("The month %(month)s is already finalised.") % {"month": month}
        ) from None
    logger.info(
        "month %s finalised by %s with policy version %d", month, actor.username, policy.version
    )
    return snapshot


def _select(figures: dict, department: str | None) -> dict:
    if department is None:
        return figures
    rows = [row for row in figures["departments"] if row["department"] == department]
    return {"departments": rows, "total": rows[0] if rows else None}


def _differences(frozen: dict, current: dict) -> list[dict]:
    differences = []
    frozen_rows = {row["department"]: row for row in frozen["departments"]}
    for row in current["departments"]:
        old = frozen_rows.get(row["department"], {})
        for name, value in row.items():
            if name != "department" and old.get(name) != value:
                differences.append(
                    {
                        "department": row["department"],
                        "figure": name,
                        "finalized": old.get(name),
                        "now": value,
                    }
                )
    return differences
