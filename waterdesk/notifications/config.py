"""The SMS settings, parsed strictly: a wrong or missing value raises ImproperlyConfigured."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PROVIDERS = ("console", "aliyun", "tencent")

# The socket timeout may be at most this long. urllib applies it to the connect and to each
# read, so a call lasts about twice the timeout at worst: 2 minutes, well inside the 5 minutes
# after which a claimed message counts as stuck (a call still running must not).
MAX_TIMEOUT_SECONDS = 60

# Environment variables behind each credential, named in the error when one is missing.
ALIYUN_VARIABLES = {
    "ACCESS_KEY_ID": "WATERDESK_ALIYUN_SMS_ACCESS_KEY_ID",
    "ACCESS_KEY_SECRET": "WATERDESK_ALIYUN_SMS_ACCESS_KEY_SECRET",
    "SIGN_NAME": "WATERDESK_ALIYUN_SMS_SIGN_NAME",
    "ENDPOINT": "WATERDESK_ALIYUN_SMS_ENDPOINT",
    "REGION_ID": "WATERDESK_ALIYUN_SMS_REGION_ID",
}
TENCENT_VARIABLES = {
    "SECRET_ID": "WATERDESK_TENCENT_SMS_SECRET_ID",
    "SECRET_KEY": "WATERDESK_TENCENT_SMS_SECRET_KEY",
    "SDK_APP_ID": "WATERDESK_TENCENT_SMS_SDK_APP_ID",
    "SIGN_NAME": "WATERDESK_TENCENT_SMS_SIGN_NAME",
    "ENDPOINT": "WATERDESK_TENCENT_SMS_ENDPOINT",
    "REGION": "WATERDESK_TENCENT_SMS_REGION",
}


@dataclass(frozen=True)
class SmsLimits:
    """Per-phone limits: `rate_limit` messages in any `rate_window`, `daily_cap` per local day."""

    rate_limit: int
    rate_window: datetime.timedelta
    daily_cap: int


@dataclass(frozen=True)
class SmsConfig:
    provider: str
    timeout_seconds: int
    limits: SmsLimits
    # The credentials and endpoint of the chosen provider; empty for the console provider.
    credentials: dict[str, str]


def read_sms_config() -> SmsConfig:
    """Read and check the WATERDESK_SMS_* settings; raise ImproperlyConfigured on a bad value."""
    provider = getattr(settings, "WATERDESK_SMS_PROVIDER", "console")
    if provider not in PROVIDERS:
        raise ImproperlyConfigured(
            f"WATERDESK_SMS_PROVIDER must be one of {', '.join(PROVIDERS)}, got {provider!r}"
        )
    timeout = _positive_int("WATERDESK_SMS_TIMEOUT_SECONDS", 10)
    if timeout > MAX_TIMEOUT_SECONDS:
        raise ImproperlyConfigured(
            f"WATERDESK_SMS_TIMEOUT_SECONDS must be at most {MAX_TIMEOUT_SECONDS}, got {timeout}"
        )
    limits = SmsLimits(
        rate_limit=_positive_int("WATERDESK_SMS_RATE_LIMIT", 5),
        rate_window=datetime.timedelta(
            minutes=_positive_int("WATERDESK_SMS_RATE_WINDOW_MINUTES", 10)
        ),
        daily_cap=_positive_int("WATERDESK_SMS_DAILY_CAP", 50),
    )
    credentials: dict[str, str] = {}
    if provider == "aliyun":
        credentials = _credentials("WATERDESK_SMS_ALIYUN", ALIYUN_VARIABLES)
    elif provider == "tencent":
        credentials = _credentials("WATERDESK_SMS_TENCENT", TENCENT_VARIABLES)
    return SmsConfig(
        provider=provider, timeout_seconds=timeout, limits=limits, credentials=credentials
    )


def _positive_int(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, got {value!r}")
    return value


def _credentials(setting: str, variables: dict[str, str]) -> dict[str, str]:
    values = getattr(settings, setting, None) or {}
    missing = [
        variable for key, variable in variables.items() if not str(values.get(key) or "").strip()
    ]
    if missing:
        raise ImproperlyConfigured(
            f"The SMS provider {settings.WATERDESK_SMS_PROVIDER!r} needs {', '.join(missing)}. "
            "Set each variable (or VARIABLE_FILE for a secret), or set "
            "WATERDESK_SMS_PROVIDER=console."
        )
    credentials = {key: str(values[key]).strip() for key in variables}
    endpoint = urlsplit(credentials["ENDPOINT"])
    if endpoint.scheme not in {"http", "https"} or not endpoint.hostname:
        raise ImproperlyConfigured(
            f"{variables['ENDPOINT']} must be an http(s) URL, got {credentials['ENDPOINT']!r}"
        )
    return credentials
