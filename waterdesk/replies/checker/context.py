"""The order's facts that the reply check depends on, built by the caller."""

import datetime
from dataclasses import dataclass, field

from .policy import ReplyRules

ORDER_TYPES = ("general", "urgent", "redo", "thanks")


@dataclass(frozen=True)
class EarlierReply:
    """A reply to an earlier order of the same request, or the original of a redo order."""

    order_number: str
    reply_text: str
    created_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ReplyContext:
    """The order a reply is written for, as far as the reply rules depend on it.

    `has_contact` is False when the citizen left no phone: the reply must then describe a site
    check, and it needs no statement of acceptance. `earliest_order_number` is set when the order
    repeats an earlier request of the same citizen or address and problem, and the reply must cite
    it. `repeats_earlier` marks a repeat whose earliest number the caller does not know; the reply
    must then cite some order number.
    """

    order_type: str = "general"
    has_contact: bool = True
    callback_required: bool = True
    redo_reasons: str | None = None
    earlier_replies: tuple[EarlierReply, ...] = ()
    earliest_order_number: str | None = None
    rules: ReplyRules = field(default_factory=ReplyRules.preset)
    repeats_earlier: bool = False

    def __post_init__(self):
        if self.order_type not in ORDER_TYPES:
            raise ValueError(
                f"Unknown order type {self.order_type!r}; expected one of {', '.join(ORDER_TYPES)}."
            )

    @property
    def is_redo(self) -> bool:
        return self.order_type == "redo"

    @property
    def is_repeat(self) -> bool:
        return self.repeats_earlier or bool(self.earliest_order_number)

    @property
    def acceptance_required(self) -> bool:
        """Whether the reply must state if the citizen accepts: not without contact or callback."""
        return self.has_contact and self.callback_required
