"""The rows an order's detail shows beside the order itself: clocks, events, replies and the rest.

The detail view reads them with one query per kind. Creation attaches the rows it has just
written instead, so the response to a create request needs no read-back.
"""

from dataclasses import dataclass, field

from .models import WorkOrder

# The WorkOrder instance attribute that stores an attached OrderHistory.
_ATTACHED = "_attached_history"


@dataclass
class OrderHistory:
    """Everything an order's detail lists, each in the order the detail shows it."""

    clocks: list = field(default_factory=list)  # by start time
    events: list = field(default_factory=list)  # oldest first
    replies: list = field(default_factory=list)  # newest first
    requests: list = field(default_factory=list)  # oldest first
    contact_attempts: list = field(default_factory=list)  # oldest first
    callbacks: list = field(default_factory=list)  # oldest first


def read_history(order: WorkOrder) -> OrderHistory:
    """Read the order's related rows, with the users they name, one query per kind."""
    return OrderHistory(
        clocks=list(order.clocks.order_by("started_at", "id")),
        events=list(order.events.select_related("actor").order_by("at", "id")),
        replies=list(order.replies.select_related("author").order_by("-submitted_at", "-id")),
        requests=list(
            order.requests.select_related("target_department", "requested_by").order_by(
                "requested_at", "id"
            )
        ),
        contact_attempts=list(order.contact_attempts.select_related("actor")),
        callbacks=list(order.callbacks.select_related("agent")),
    )


def attach_history(order: WorkOrder, history: OrderHistory) -> None:
    """Attach the complete history an action has just written to the order it returns.

    Only an action that wrote every related row of the order may do this, so only creation does.
    The attached history lives on this instance only, and every other read of the order reads
    its rows from the database.
    """
    setattr(order, _ATTACHED, history)


def history_of(order: WorkOrder) -> OrderHistory:
    """Return the history attached to this instance, or read it."""
    attached = getattr(order, _ATTACHED, None)
    return attached if attached is not None else read_history(order)
