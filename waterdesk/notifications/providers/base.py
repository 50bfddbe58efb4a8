"""The request every SMS provider receives, and the error it raises when a send fails."""

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class SmsRequest:
    message_id: int
    phone: str  # 11-digit mainland mobile number
    text: str  # the rendered text, for providers that send free text or only log it
    template_code: str  # our template code, for logs
    provider_template_id: str  # the provider's approved template (aliyun/tencent)
    # Placeholder values in order of first appearance in the template text; Tencent Cloud
    # templates take them by position, Alibaba Cloud templates by name.
    params: tuple[tuple[str, str], ...]


class Outcome(enum.Enum):
    # The provider rejected the request or was not reached: nothing was sent, a retry is safe.
    NOT_SENT = "not_sent"
    # Nothing was sent and a retry would fail the same way (bad credentials, invalid number).
    REJECTED = "rejected"
    # The request may have been sent (timeout after sending, connection lost before the response).
    UNKNOWN = "unknown"


class ProviderError(Exception):
    """A provider call that did not end in an accepted message."""

    def __init__(self, message: str, outcome: Outcome, code: str = "") -> None:
        super().__init__(message)
        self.outcome = outcome
        self.code = code
