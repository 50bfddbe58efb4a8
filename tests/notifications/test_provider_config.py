"""Choosing the provider from settings, strictly, and the console provider's log line."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from waterdesk.notifications.config import read_sms_config
from waterdesk.notifications.providers import (
    AliyunProvider,
    ConsoleProvider,
    TencentProvider,
    build_provider,
)

from .conftest import aliyun_settings, tencent_settings
from .test_provider_aliyun import REQUEST


def test_console_is_the_default(settings):
    assert isinstance(build_provider(), ConsoleProvider)


def test_aliyun_is_chosen_by_setting(settings):
    settings.WATERDESK_SMS_PROVIDER = "aliyun"
    settings.WATERDESK_SMS_ALIYUN = aliyun_settings("https://dysmsapi.aliyuncs.com/")

    assert isinstance(build_provider(), AliyunProvider)


def test_tencent_is_chosen_by_setting(settings):
    settings.WATERDESK_SMS_PROVIDER = "tencent"
    settings.WATERDESK_SMS_TENCENT = tencent_settings("https://sms.tencentcloudapi.com/")

    assert isinstance(build_provider(), TencentProvider)


def test_unknown_provider_is_rejected(settings):
    settings.WATERDESK_SMS_PROVIDER = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        read_sms_config()


def test_missing_credential_names_its_variable(settings):
    settings.WATERDESK_SMS_PROVIDER = "aliyun"
    settings.WATERDESK_SMS_ALIYUN = {
        **aliyun_settings("https://dysmsapi.aliyuncs.com/"),
        "ACCESS_KEY_SECRET": "",
    }

    with pytest.raises(ImproperlyConfigured, match="WATERDESK_ALIYUN_SMS_ACCESS_KEY_SECRET"):
        read_sms_config()


def test_endpoint_must_be_http_url(settings):
    settings.WATERDESK_SMS_PROVIDER = "tencent"
    settings.WATERDESK_SMS_TENCENT = tencent_settings("sms.tencentcloudapi.com")

    with pytest.raises(ImproperlyConfigured, match="WATERDESK_TENCENT_SMS_ENDPOINT"):
        read_sms_config()


def test_rate_limit_must_be_positive(settings):
    settings.WATERDESK_SMS_RATE_LIMIT = 0

    with pytest.raises(ImproperlyConfigured, match="WATERDESK_SMS_RATE_LIMIT"):
        read_sms_config()


def test_console_log_masks_phone(caplog):
    with caplog.at_level(logging.INFO, logger="waterdesk.notifications.console"):
        provider_id = ConsoleProvider().send(REQUEST)

    assert provider_id == "console-42"
    assert "138****1234" in caplog.text
    assert "13800001234" not in caplog.text
    assert "sms 42" in caplog.text
