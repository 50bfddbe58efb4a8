"""The default provider: writes each message to the log and sends nothing."""

import logging

from ..phones import mask_phone
from .base import SmsRequest

logger = logging.getLogger("waterdesk.notifications.console")


class ConsoleProvider:
    name = "console"
    needs_template_id = False

    def send(self, request: SmsRequest) -> str:
        logger.info(
            "sms %s to %s (template %s, not sent: console provider): %s",
            request.message_id,
            mask_phone(request.phone),
            request.template_code,
            request.text,
        )
        return f"console-{request.message_id}"
