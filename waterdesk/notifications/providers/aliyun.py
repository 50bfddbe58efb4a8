"""Alibaba Cloud SMS (Dysmsapi, API version 2017-05-25): the RPC-style SendSms call.

The request signature follows Alibaba Cloud's RPC signature method (version 1.0, HMAC-SHA1):
1. Sort every parameter except Signature by name and percent-encode names and values by
   RFC 3986 (only A-Z a-z 0-9 - _ . ~ stay as they are, a space becomes %20).
2. Join them as name=value with &: the canonicalized query string.
3. StringToSign = HTTP method + "&" + encode("/") + "&" + encode(canonicalized query string).
4. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
The request is a POST with the parameters form-encoded in the body, because a POST is not
retried by proxies the way a GET may be.
"""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid

from .base import Outcome, ProviderError, SmsRequest
from .http import post, server_error

API_VERSION = "2017-05-25"

# Error codes after which a retry cannot succeed until a person changes the credentials, the
# template or the number. Other codes (throttling such as isv.BUSINESS_LIMIT_CONTROL, system
# errors) are retried with backoff.
# NOTE: the list covers the common codes of Alibaba Cloud's SMS error-code page, not all. An
# unlisted permanent error is retried until the attempts run out, then fails.
REJECTED_CODES = frozenset(
    {
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId.Inactive",
        "isp.RAM_PERMISSION_DENY",
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.INVALID_PARAMETERS",
        "isv.INVALID_JSON_PARAM",
        "isv.PARAM_LENGTH_LIMIT",
    }
)


def percent_encode(value: str) -> str:
    """Encode `value` as UTF-8 percent escapes, keeping only RFC 3986 unreserved characters."""
    return urllib.parse.quote(value, safe="")


def sign(method: str, params: dict[str, str], access_key_secret: str) -> str:
    """Return the Signature parameter for a request with `params` (Signature excluded)."""
    canonicalized = "&".join(
        f"{percent_encode(name)}={percent_encode(value)}" for name, value in sorted(params.items())
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonicalized)}"
    digest = hmac.new(
        f"{access_key_secret}&".encode(), string_to_sign.encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


class AliyunProvider:
    name = "aliyun"
    needs_template_id = True

    def __init__(self, credentials: dict[str, str], *, timeout: float) -> None:
        self.access_key_id = credentials["ACCESS_KEY_ID"]
        self.access_key_secret = credentials["ACCESS_KEY_SECRET"]
        self.sign_name = credentials["SIGN_NAME"]
        self.endpoint = credentials["ENDPOINT"]
        self.region_id = credentials["REGION_ID"]
        self.timeout = timeout

    def request_params(self, request: SmsRequest, timestamp: datetime.datetime) -> dict[str, str]:
        """Return the signed parameters of the SendSms call for `request`."""
        params = {
            "Action": "SendSms",
            "Version": API_VERSION,
            "Format": "JSON",
            "RegionId": self.region_id,
            "AccessKeyId": self.access_key_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            # A fresh nonce per call: the provider rejects a reused one as a replay.
            "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": timestamp.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "PhoneNumbers": request.phone,
            "SignName": self.sign_name,
            "TemplateCode": request.provider_template_id,
            "TemplateParam": json.dumps(
                dict(request.params), ensure_ascii=False, separators=(",", ":")
            ),
            # Our outbox id, returned in delivery receipts, to find a message at the provider.
            "OutId": str(request.message_id),
        }
        params["Signature"] = sign("POST", params, self.access_key_secret)
        return params

    def send(self, request: SmsRequest) -> str:
        """Send one message and return Alibaba Cloud's BizId; raise ProviderError otherwise."""
        # The signature carries the wall-clock time of the call itself: the provider rejects a
        # timestamp too far from its own clock, so the time of the sending run would be too old.
        params = self.request_params(request, datetime.datetime.now(datetime.UTC))
        body = urllib.parse.urlencode(params, quote_via=urllib.parse.quote).encode("ascii")

        status, raw = post(
            self.endpoint,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
            timeout=self.timeout,
            provider=self.name,
        )
        if status >= 500:
            raise server_error(status, self.name, self.endpoint)

        try:
            response = json.loads(raw)
        except ValueError as error:
            # An unreadable body with a success status may follow a sent message.
            outcome = Outcome.UNKNOWN if status < 300 else Outcome.NOT_SENT
            raise ProviderError(
                f"aliyun: HTTP {status} with a body that is not JSON: {raw[:200]!r}", outcome
            ) from error

        code = str(response.get("Code", ""))
        if status < 300 and code == "OK":
            return str(response.get("BizId") or response.get("RequestId") or "")
        outcome = Outcome.REJECTED if code in REJECTED_CODES else Outcome.NOT_SENT
        raise ProviderError(
            f"aliyun: HTTP {status} {code}: {response.get('Message', '')} "
            f"(request {response.get('RequestId', '-')})",
            outcome,
            code=code,
        )
