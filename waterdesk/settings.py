"""Django settings for waterdesk.

Every value comes from an environment variable, parsed strictly so that a typo fails at start-up
instead of silently falling back. With no variables set, the product runs in the embedded default:
SQLite under ``var/``, tasks run in-process, no Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def _env_secret(name: str) -> str | None:
    """Read a secret from NAME or from the file that NAME_FILE points to."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from error
    return value or None


DATA_DIR = Path(os.environ.get("WATERDESK_DATA_DIR") or BASE_DIR / "var").resolve()

# Demo mode is the embedded default of `make run`: demo accounts with a shared password exist only
# there, and the data loader refuses to create them otherwise.
DEMO_MODE = _env_bool("WATERDESK_DEMO", False)
DEBUG = _env_bool("WATERDESK_DEBUG", False)

SECRET_KEY = _env_secret("SECRET_KEY")
if not SECRET_KEY:
    # Without a configured key, each installation gets a random key of its own, kept (mode 0600)
    # in the data folder so that sessions and tokens survive a restart.
    _key_file = DATA_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
    else:
        from django.core.management.utils import get_random_secret_key

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = get_random_secret_key()
        _key_file.write_text(SECRET_KEY, encoding="utf-8")
        _key_file.chmod(0o600)

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "waterdesk.organization",
    "waterdesk.policy",
    "waterdesk.orders",
    "waterdesk.deadlines",
    "waterdesk.replies",
    "waterdesk.callbacks",
    "waterdesk.reports",
    "waterdesk.api",
    "waterdesk.web",
    "waterdesk.hotline12345",
    "waterdesk.open311",
    "waterdesk.public",
    "waterdesk.notifications",
    # Apps added later go above this line, one per line.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "waterdesk.web.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "waterdesk.urls"
WSGI_APPLICATION = "waterdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_default_database_url = f"sqlite:///{DATA_DIR / 'waterdesk.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or _default_database_url
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite locks the whole file on write; a timeout lets concurrent requests queue instead of
    # failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organization.User"
LOGIN_URL = "/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns on every start while the folder that collectstatic fills is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WATERDESK_MEDIA_ROOT") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by WhiteNoise from the app folders too, so `make run` needs no
# collectstatic step and no web server in front.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("WATERDESK_SECURE_COOKIES", not (DEMO_MODE or DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Celery: with REDIS_URL set, tasks go to the Redis broker and run on workers; without it they run
# in-process at once (the embedded default).
REDIS_URL = os.environ.get("REDIS_URL") or None
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
# How often the deadline sweeper runs: Celery beat in production, a thread in `manage.py serve`.
DEADLINE_SWEEP_SECONDS = _env_int("WATERDESK_SWEEP_SECONDS", 30)
if DEADLINE_SWEEP_SECONDS <= 0:
    raise ImproperlyConfigured("WATERDESK_SWEEP_SECONDS must be a positive number of seconds")
# Orders whose assessment facts an event made stale are derived again this often; the monthly
# report derives any still stale in its month before counting.
ASSESSMENT_FACTS_SECONDS = _env_int("WATERDESK_ASSESSMENT_FACTS_SECONDS", 60)
if ASSESSMENT_FACTS_SECONDS <= 0:
    raise ImproperlyConfigured("WATERDESK_ASSESSMENT_FACTS_SECONDS must be a positive integer")
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {"task": "deadlines.sweep", "schedule": float(DEADLINE_SWEEP_SECONDS)},
    "refresh-assessment-facts": {
        "task": "reports.refresh_facts",
        "schedule": float(ASSESSMENT_FACTS_SECONDS),
    },
}

# API tokens live this long before the user must log in again.
API_TOKEN_TTL_HOURS = _env_int("WATERDESK_API_TOKEN_TTL_HOURS", 24 * 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WATERDESK_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The login throttle and other short-lived counters live in the cache: Redis when configured,
# so that every worker process shares them, else the process's own memory.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "waterdesk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Notifications: the SMS outbox (waterdesk.notifications) ------------------------------------
# WATERDESK_SMS_PROVIDER picks who sends the outbox: "console" (the default: writes each message
# to the log and sends nothing), "aliyun" (Alibaba Cloud SMS) or "tencent" (Tencent Cloud SMS).
# Each credential is read from its variable or from the file that VARIABLE_FILE names. The app
# checks at start-up that the chosen provider has every value it needs and stops otherwise.
WATERDESK_SMS_PROVIDER = os.environ.get("WATERDESK_SMS_PROVIDER") or "console"
WATERDESK_SMS_ALIYUN = {
    "ACCESS_KEY_ID": _env_secret("WATERDESK_ALIYUN_SMS_ACCESS_KEY_ID") or "",
    "ACCESS_KEY_SECRET": _env_secret("WATERDESK_ALIYUN_SMS_ACCESS_KEY_SECRET") or "",
    "SIGN_NAME": os.environ.get("WATERDESK_ALIYUN_SMS_SIGN_NAME", ""),
    "ENDPOINT": os.environ.get("WATERDESK_ALIYUN_SMS_ENDPOINT") or "https://dysmsapi.aliyuncs.com/",
    "REGION_ID": os.environ.get("WATERDESK_ALIYUN_SMS_REGION_ID") or "cn-hangzhou",
}
WATERDESK_SMS_TENCENT = {
    "SECRET_ID": _env_secret("WATERDESK_TENCENT_SMS_SECRET_ID") or "",
    "SECRET_KEY": _env_secret("WATERDESK_TENCENT_SMS_SECRET_KEY") or "",
    "SDK_APP_ID": os.environ.get("WATERDESK_TENCENT_SMS_SDK_APP_ID", ""),
    "SIGN_NAME": os.environ.get("WATERDESK_TENCENT_SMS_SIGN_NAME", ""),
    "ENDPOINT": (
        os.environ.get("WATERDESK_TENCENT_SMS_ENDPOINT") or "https://sms.tencentcloudapi.com/"
    ),
    "REGION": os.environ.get("WATERDESK_TENCENT_SMS_REGION") or "ap-guangzhou",
}
# Seconds one provider call may take (connect and response each). Messages whose call timed out
# are not resent automatically, because the provider may have sent them.
WATERDESK_SMS_TIMEOUT_SECONDS = _env_int("WATERDESK_SMS_TIMEOUT_SECONDS", 10)
# Per recipient phone: at most RATE_LIMIT messages in any RATE_WINDOW_MINUTES, and at most
# DAILY_CAP messages per local calendar day. Messages over a limit are held, never dropped.
WATERDESK_SMS_RATE_LIMIT = _env_int("WATERDESK_SMS_RATE_LIMIT", 5)
WATERDESK_SMS_RATE_WINDOW_MINUTES = _env_int("WATERDESK_SMS_RATE_WINDOW_MINUTES", 10)
WATERDESK_SMS_DAILY_CAP = _env_int("WATERDESK_SMS_DAILY_CAP", 50)
# The Celery queue of the sending task; "celery" is the queue every worker consumes by default.
WATERDESK_SMS_QUEUE = os.environ.get("WATERDESK_SMS_QUEUE") or "celery"
# Celery beat retries due messages (new ones and backed-off retries) this often.
WATERDESK_SMS_RETRY_SECONDS = _env_int("WATERDESK_SMS_RETRY_SECONDS", 30)
CELERY_BEAT_SCHEDULE["send-pending-sms"] = {
    "task": "notifications.send_pending",
    "schedule": float(WATERDESK_SMS_RETRY_SECONDS),
    "options": {"queue": WATERDESK_SMS_QUEUE},
}

# --- Channels: the 12345 adapter, the Open311 server and the citizen page -----------------------
# Outbound 12345 messages: after a failed attempt the next waits RETRY_BASE_SECONDS, doubling each
# time up to RETRY_MAX_SECONDS. After MAX_ATTEMPTS attempts the message is marked failed, for a
# person to send again from the admin. SEND_TIMEOUT_SECONDS bounds the connect and each read of
# one attempt. A send still unfinished STUCK_GRACE_SECONDS after that is flagged as uncertain.
HOTLINE12345_RETRY_BASE_SECONDS = _env_int("WATERDESK_HOTLINE12345_RETRY_BASE_SECONDS", 30)
HOTLINE12345_RETRY_MAX_SECONDS = _env_int("WATERDESK_HOTLINE12345_RETRY_MAX_SECONDS", 3600)
HOTLINE12345_MAX_ATTEMPTS = _env_int("WATERDESK_HOTLINE12345_MAX_ATTEMPTS", 12)
HOTLINE12345_SEND_TIMEOUT_SECONDS = _env_int("WATERDESK_HOTLINE12345_SEND_TIMEOUT_SECONDS", 10)
HOTLINE12345_STUCK_GRACE_SECONDS = _env_int("WATERDESK_HOTLINE12345_STUCK_GRACE_SECONDS", 60)
# Celery beat sends due messages and flags stuck sends this often; without beat (the embedded
# default) run `manage.py deliver_hotline_messages --every 60` beside the server.
HOTLINE12345_DUE_SECONDS = _env_int("WATERDESK_HOTLINE12345_DUE_SECONDS", 60)
CELERY_BEAT_SCHEDULE["hotline12345-deliver-due"] = {
    "task": "hotline12345.deliver_due",
    "schedule": float(HOTLINE12345_DUE_SECONDS),
}
# Open311: the jurisdiction_id this server serves (empty: any value is accepted, because the
# server serves one jurisdiction), and the contact texts of discovery.json.
OPEN311_JURISDICTION_ID = os.environ.get("WATERDESK_OPEN311_JURISDICTION_ID", "")
OPEN311_CONTACT = os.environ.get("WATERDESK_OPEN311_CONTACT", "")
OPEN311_KEY_SERVICE = os.environ.get("WATERDESK_OPEN311_KEY_SERVICE", "")
# Citizen page: the largest photo accepted, in bytes.
PUBLIC_PHOTO_MAX_BYTES = _env_int("WATERDESK_PUBLIC_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
for _name in (
    "HOTLINE12345_RETRY_BASE_SECONDS",
    "HOTLINE12345_RETRY_MAX_SECONDS",
    "HOTLINE12345_MAX_ATTEMPTS",
    "HOTLINE12345_SEND_TIMEOUT_SECONDS",
    "HOTLINE12345_DUE_SECONDS",
    "PUBLIC_PHOTO_MAX_BYTES",
):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"WATERDESK_{_name} must be a positive integer")
