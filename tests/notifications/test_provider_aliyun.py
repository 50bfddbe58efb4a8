"""The Alibaba Cloud provider: its signature, checked by the mock, and its error outcomes."""

import json

import pytest

from waterdesk.notifications.providers import AliyunProvider, Outcome, ProviderError, SmsRequest
from waterdesk.notifications.providers.aliyun import sign

from .conftest import ALIYUN_KEY_ID, aliyun_settings

REQUEST = SmsRequest(
    message_id=42,
    phone="13800001234",
    text="时限预警：工单QS20261204001的接单时限将于12月4日 10:00到期，请尽快登录工单系统办理。",
    template_code="deadline_warning",
    provider_template_id="SMS_000000002",
    params=(("number", "QS20261204001"), ("deadline", "接单"), ("due", "12月4日 10:00")),
)


def test_signature_matches_documented_example():
    # The worked example of Alibaba Cloud's RPC signature method (ECS DescribeRegions, GET,
    # AccessKeySecret "testsecret").
    params = {
        "Timestamp": "2016-02-23T12:46:24Z",
        "Format": "XML",
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "Version": "2014-05-26",
        "SignatureVersion": "1.0",
    }
    assert sign("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_mock_accepts_signed_request(aliyun_mock):
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url), timeout=5)

    provider_id = provider.send(REQUEST)

    assert provider_id == "000001^0"
    assert aliyun_mock.bad_signatures == 0
    assert len(aliyun_mock.accepted) == 1


def test_request_carries_sms_parameters(aliyun_mock):
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url), timeout=5)

    provider.send(REQUEST)

    params = aliyun_mock.accepted[0]
    assert params["AccessKeyId"] == ALIYUN_KEY_ID
    assert params["PhoneNumbers"] == "13800001234"
    assert params["SignName"] == "确山水务"
    assert params["TemplateCode"] == "SMS_000000002"
    assert params["OutId"] == "42"
    assert json.loads(params["TemplateParam"]) == {
        "number": "QS20261204001",
        "deadline": "接单",
        "due": "12月4日 10:00",
    }


def test_wrong_secret_is_rejected_without_retry(aliyun_mock):
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url, secret="wrong-secret"), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.code == "SignatureDoesNotMatch"
    assert raised.value.outcome is Outcome.REJECTED
    assert aliyun_mock.bad_signatures == 1
    assert aliyun_mock.accepted == []


def test_error_body_is_retryable(aliyun_mock):
    aliyun_mock.fail_next(1, mode="error_body")
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.code == "isv.BUSINESS_LIMIT_CONTROL"
    assert raised.value.outcome is Outcome.NOT_SENT


def test_http_500_is_retryable(aliyun_mock):
    aliyun_mock.fail_next(1)
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.outcome is Outcome.NOT_SENT


def test_refused_connection_is_retryable(aliyun_mock):
    url = aliyun_mock.url
    aliyun_mock.stop()
    provider = AliyunProvider(aliyun_settings(url), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.outcome is Outcome.NOT_SENT


def test_timeout_after_sending_has_unknown_outcome(aliyun_mock):
    aliyun_mock.answer_delay = 2
    provider = AliyunProvider(aliyun_settings(aliyun_mock.url), timeout=0.5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.outcome is Outcome.UNKNOWN
    assert len(aliyun_mock.accepted) == 1
