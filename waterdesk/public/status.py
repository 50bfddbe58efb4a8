"""The progress of an order as shown to citizens: a status, and a note for special cases.

Internal steps (review, dispatch rounds, hand-overs) are folded into a few stages a citizen
understands. Both the citizen page and the Open311 server use this, so they never disagree.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from waterdesk.orders.models import OrderEvent, WorkOrder
from waterdesk.orders.statuses import Action, Status

# Statuses after which nothing more happens to the order here.
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.RETURNED, Status.MERGED})


@dataclass(frozen=True)
class CitizenStatus:
    code: str
    is_open: bool
    label: str
    # The reason for a special state (returned, merged, extended, reported), or None.
    note: str | None


def with_extension_flag(orders: QuerySet) -> QuerySet:
    """Annotate `has_extension`: an extension of the order's time limit was approved."""
    approved = OrderEvent.objects.filter(
        order=OuterRef("pk"), action=Action.EXTENSION_DECISION, data__decision="approve"
    )
    return orders.annotate(has_extension=Exists(approved))


def _has_extension(order: WorkOrder) -> bool:
    flag = getattr(order, "has_extension", None)
    if flag is not None:
        return flag
    return order.events.filter(action=Action.EXTENSION_DECISION, data__decision="approve").exists()


def citizen_status(order: WorkOrder) -> CitizenStatus:
    status = order.status
    if status == Status.RETURNED:
        return CitizenStatus(
            "returned",
            False,
            _("Passed back to the 12345 hotline"),
            _(
                "The request is outside the water utility's duty. It was passed back to the "
                "12345 hotline, which forwards it to the responsible unit."
            ),
        )
    if status == Status.MERGED:
        return CitizenStatus(
            "merged",
            False,
            _("Merged"),
            _(
                "The request was merged with an earlier request about the same problem, "
                "which is handled in its place."
            ),
        )
    if status == Status.CLOSED:
        return CitizenStatus("closed", False, _("Completed"), None)
    if status == Status.REPORTED:
        return CitizenStatus(
            "reported",
            True,
            _("Long-term handling"),
            _(
                "The problem cannot be fixed within a set time. The utility has filed a written "
                "report and keeps working on it."
            ),
        )
    note = None
    if _has_extension(order):
        note = _("The time limit was extended with the citizen's agreement.")
    if status in (Status.NEW, Status.DISPATCHED):
        return CitizenStatus("received", True, _("Received"), note)
    if status == Status.CALLBACK_PENDING:
        return CitizenStatus("handled", True, _("Handled, awaiting the callback"), note)
    return CitizenStatus("in_progress", True, _("Being handled"), note)
