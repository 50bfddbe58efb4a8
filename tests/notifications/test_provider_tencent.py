"""The Tencent Cloud provider: its signature, checked by the mock, and its error outcomes."""

import json

import pytest

from waterdesk.notifications.providers import Outcome, ProviderError, TencentProvider
from waterdesk.notifications.providers.tencent import authorization

from .conftest import tencent_settings
from .mock_providers import TENCENT_ERROR_CODE
from .test_provider_aliyun import REQUEST


def test_signature_matches_documented_example():
    # The worked example of Tencent Cloud's signature v3 (CVM DescribeInstances at timestamp
    # 1551113065, SecretKey "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", signed headers content-type;host).
    payload = (
        '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    )

    header = authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        timestamp=1551113065,
        method="POST",
        canonical_query="",
        signed_headers={
            "Content-Type": "application/json; charset=utf-8",
            "Host": "cvm.tencentcloudapi.com",
        },
        payload=payload.encode(),
    )

    assert header == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
        "tc3_request, SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_mock_accepts_signed_request(tencent_mock):
    provider = TencentProvider(tencent_settings(tencent_mock.url), timeout=5)

    provider_id = provider.send(REQUEST)

    assert provider_id == "serial-1"
    assert tencent_mock.bad_signatures == 0
    assert len(tencent_mock.accepted) == 1


def test_request_carries_sms_parameters(tencent_mock):
    provider = TencentProvider(tencent_settings(tencent_mock.url), timeout=5)

    provider.send(REQUEST)

    payload = tencent_mock.accepted[0]["payload"]
    assert payload["PhoneNumberSet"] == ["+8613800001234"]
    assert payload["SmsSdkAppId"] == "1400000000"
    assert payload["SignName"] == "确山水务"
    assert payload["TemplateId"] == "SMS_000000002"
    assert payload["TemplateParamSet"] == ["QS20261204001", "接单", "12月4日 10:00"]
    assert payload["SessionContext"] == "42"


def test_request_signs_the_action_header(tencent_mock):
    provider = TencentProvider(tencent_settings(tencent_mock.url), timeout=5)

    provider.send(REQUEST)

    headers = tencent_mock.accepted[0]["headers"]
    assert "SignedHeaders=content-type;host;x-tc-action," in headers["authorization"]
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert json.loads(tencent_mock.accepted[0]["body"])  # the body is the signed JSON


def test_wrong_secret_is_rejected_without_retry(tencent_mock):
    provider = TencentProvider(tencent_settings(tencent_mock.url, secret="wrong"), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.code == "AuthFailure.SignatureFailure"
    assert raised.value.outcome is Outcome.REJECTED
    assert tencent_mock.bad_signatures == 1
    assert tencent_mock.accepted == []


def test_error_body_is_retryable(tencent_mock):
    tencent_mock.fail_next(1, mode="error_body")
    provider = TencentProvider(tencent_settings(tencent_mock.url), timeout=5)

    with pytest.raises(ProviderError) as raised:
        provider.send(REQUEST)

    assert raised.value.code == TENCENT_ERROR_CODE
    assert raised.value.outcome is Outcome.NOT_SENT
