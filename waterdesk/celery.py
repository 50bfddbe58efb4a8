"""The Celery application: Redis as broker in production, in-process without REDIS_URL."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waterdesk.settings")

app = Celery("waterdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
