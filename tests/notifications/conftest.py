"""Fixtures of the SMS outbox tests: staff with phones, an order, and the provider mocks."""

import importlib

import pytest
from django.apps import apps
from django.db import transaction

from tests.conftest import at, order_data
from waterdesk.notifications.models import MessageTemplate
from waterdesk.notifications.outbox import notify
from waterdesk.orders import actions

from .mock_providers import AliyunMock, TencentMock

NOW = at("2026-12-04 10:00:00")
HEAD_PHONE = "13800001234"
CENTER_HEAD_PHONE = "13900005678"
WARNING_CONTEXT = {"number": "QS20261204001", "deadline": "接单", "due": NOW}

ALIYUN_KEY_ID = "test-access-key-id"
ALIYUN_SECRET = "test-access-key-secret"
TENCENT_SECRET_ID = "AKIDtestsecretid"
TENCENT_SECRET_KEY = "test-secret-key"


def with_phone(user, phone: str):
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


@pytest.fixture
def head(department_head):
    """The head of 供水一部 with a mobile number."""
    return with_phone(department_head, HEAD_PHONE)


@pytest.fixture
def center_head_with_phone(center_head):
    return with_phone(center_head, CENTER_HEAD_PHONE)


@pytest.fixture
def order(dispatcher):
    created, _ = actions.create_order(dispatcher, order_data(), now=NOW)
    return created


def enqueue(recipients, *, key="deadline_warning:test", now=NOW, template="deadline_warning", **kw):
    """Call notify inside a transaction, as an order action does."""
    context = kw.pop("context", WARNING_CONTEXT)
    with transaction.atomic():
        return notify(
            key=key, template=template, context=context, recipients=recipients, now=now, **kw
        )


@pytest.fixture
def preset_templates(db):
    """Write the preset templates again: a transactional test before this one may have flushed
    the rows that the data migration wrote."""
    migration = importlib.import_module(
        "waterdesk.notifications.migrations.0002_add_preset_templates"
    )
    migration.add_preset_templates(apps, None)


@pytest.fixture
def aliyun_mock():
    server = AliyunMock(ALIYUN_KEY_ID, ALIYUN_SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def tencent_mock():
    server = TencentMock(TENCENT_SECRET_ID, TENCENT_SECRET_KEY).start()
    yield server
    server.stop()


def aliyun_settings(endpoint: str, secret: str = ALIYUN_SECRET) -> dict:
    return {
        "ACCESS_KEY_ID": ALIYUN_KEY_ID,
        "ACCESS_KEY_SECRET": secret,
        "SIGN_NAME": "确山水务",
        "ENDPOINT": endpoint,
        "REGION_ID": "cn-hangzhou",
    }


def tencent_settings(endpoint: str, secret: str = TENCENT_SECRET_KEY) -> dict:
    return {
        "SECRET_ID": TENCENT_SECRET_ID,
        "SECRET_KEY": secret,
        "SDK_APP_ID": "1400000000",
        "SIGN_NAME": "确山水务",
        "ENDPOINT": endpoint,
        "REGION": "ap-guangzhou",
    }


@pytest.fixture
def use_aliyun(settings, aliyun_mock, preset_templates):
    """Send through the Alibaba Cloud mock, with provider template codes on every template."""
    settings.WATERDESK_SMS_PROVIDER = "aliyun"
    settings.WATERDESK_SMS_ALIYUN = aliyun_settings(aliyun_mock.url)
    for number, template in enumerate(MessageTemplate.objects.order_by("code"), start=1):
        template.aliyun_template_code = f"SMS_{number:09d}"
        template.save(update_fields=["aliyun_template_code"])
    return aliyun_mock


@pytest.fixture
def use_tencent(settings, tencent_mock, preset_templates):
    """Send through the Tencent Cloud mock, with provider template IDs on every template."""
    settings.WATERDESK_SMS_PROVIDER = "tencent"
    settings.WATERDESK_SMS_TENCENT = tencent_settings(tencent_mock.url)
    for number, template in enumerate(MessageTemplate.objects.order_by("code"), start=1):
        template.tencent_template_id = str(100000 + number)
        template.save(update_fields=["tencent_template_id"])
    return tencent_mock
