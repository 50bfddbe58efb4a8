"""SMS providers: console (the default), Alibaba Cloud and Tencent Cloud."""

from ..config import SmsConfig, read_sms_config
from .aliyun import AliyunProvider
from .base import Outcome, ProviderError, SmsRequest
from .console import ConsoleProvider
from .tencent import TencentProvider

__all__ = [
    "AliyunProvider",
    "ConsoleProvider",
    "Outcome",
    "ProviderError",
    "SmsRequest",
    "TencentProvider",
    "build_provider",
]


def build_provider(config: SmsConfig | None = None):
    """Return the provider that WATERDESK_SMS_PROVIDER names, built from its settings."""
    config = config or read_sms_config()
    if config.provider == "aliyun":
        return AliyunProvider(config.credentials, timeout=config.timeout_seconds)
    if config.provider == "tencent":
        return TencentProvider(config.credentials, timeout=config.timeout_seconds)
    return ConsoleProvider()
