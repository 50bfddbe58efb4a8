"""Tencent Cloud SMS (API 3.0, version 2021-01-11): the SendSms call.

The request signature follows Tencent Cloud's signature v3 (TC3-HMAC-SHA256):
1. CanonicalRequest = method, "/", the query string (empty for POST), the signed headers as
   lowercase "name:value" lines, the signed header names joined by ";", and the hex SHA-256 of
   the body, joined by newlines.
2. StringToSign = "TC3-HMAC-SHA256", the Unix timestamp, the credential scope
   "<UTC date>/<service>/tc3_request" and the hex SHA-256 of CanonicalRequest, joined by
   newlines.
3. The signing key is derived by HMAC-SHA256 chaining: key "TC3" + SecretKey over the date,
   then over the service, then over "tc3_request".
4. Signature = hex HMAC-SHA256(signing key, StringToSign), sent in the Authorization header
   with the SecretId, the credential scope and the signed header names.
"""

import datetime
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from .base import Outcome, ProviderError, SmsRequest
from .http import post, server_error

API_VERSION = "2021-01-11"
SERVICE = "sms"
CONTENT_TYPE = "application/json; charset=utf-8"
ALGORITHM = "TC3-HMAC-SHA256"

# Error-code families after which a retry cannot succeed until a person changes the
# credentials, the template, the signature name or the number. Other codes (rate limits such as
# LimitExceeded.*, RequestLimitExceeded, InternalError.*) are retried with backoff.
# NOTE: chosen from the families of Tencent Cloud's common and SMS error codes. An unlisted
# permanent error is retried until the attempts run out, then fails.
REJECTED_PREFIXES = (
    "AuthFailure",
    "InvalidParameter",
    "MissingParameter",
    "UnknownParameter",
    "UnauthorizedOperation",
    "UnsupportedOperation",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
)
# The provider timed out delivering to the carrier, which may still deliver the message.
UNKNOWN_CODES = frozenset({"InternalError.Timeout"})


def _hmac_sha256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    timestamp: int,
    method: str,
    canonical_query: str,
    signed_headers: dict[str, str],
    payload: bytes,
) -> str:
    """Return the Authorization header value for a request signed with `signed_headers`."""
    names = sorted(name.lower() for name in signed_headers)
    values = {name.lower(): value.strip() for name, value in signed_headers.items()}
    canonical_headers = "".join(f"{name}:{values[name].lower()}\n" for name in names)
    signed_names = ";".join(names)
    canonical_request = "\n".join(
        [
            method,
            "/",
            canonical_query,
            canonical_headers,
            signed_names,
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    secret_date = _hmac_sha256(f"TC3{secret_key}".encode(), date)
    secret_service = _hmac_sha256(secret_date, service)
    secret_signing = _hmac_sha256(secret_service, "tc3_request")
    signature = hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"{ALGORITHM} Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_names}, Signature={signature}"
    )


def _outcome_of(code: str) -> Outcome:
    if code in UNKNOWN_CODES:
        return Outcome.UNKNOWN
    if code.startswith(REJECTED_PREFIXES):
        return Outcome.REJECTED
    return Outcome.NOT_SENT


class TencentProvider:
    name = "tencent"
    needs_template_id = True

    def __init__(self, credentials: dict[str, str], *, timeout: float) -> None:
        self.secret_id = credentials["SECRET_ID"]
        self.secret_key = credentials["SECRET_KEY"]
        self.sdk_app_id = credentials["SDK_APP_ID"]
        self.sign_name = credentials["SIGN_NAME"]
        self.endpoint = credentials["ENDPOINT"]
        self.region = credentials["REGION"]
        self.host = urlsplit(self.endpoint).netloc
        self.timeout = timeout

    def request(self, request: SmsRequest, timestamp: int) -> tuple[bytes, dict[str, str]]:
        """Return the JSON body and the signed headers of the SendSms call for `request`."""
        payload = json.dumps(
            {
                "PhoneNumberSet": [f"+86{request.phone}"],
                "SmsSdkAppId": self.sdk_app_id,
                "SignName": self.sign_name,
                "TemplateId": request.provider_template_id,
                "TemplateParamSet": [value for _name, value in request.params],
                # Our outbox id, returned with the send status, to find a message later.
                "SessionContext": str(request.message_id),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        signed = {"Content-Type": CONTENT_TYPE, "Host": self.host, "X-TC-Action": "SendSms"}
        headers = {
            **signed,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": API_VERSION,
            "X-TC-Region": self.region,
            "Authorization": authorization(
                secret_id=self.secret_id,
                secret_key=self.secret_key,
                service=SERVICE,
                timestamp=timestamp,
                method="POST",
                canonical_query="",
                signed_headers=signed,
                payload=payload,
            ),
        }
        return payload, headers

    def send(self, request: SmsRequest) -> str:
        """Send one message and return Tencent Cloud's SerialNo; raise ProviderError otherwise."""
        # The signature carries the wall-clock time of the call itself: the provider rejects a
        # timestamp more than 5 minutes from its own clock.
        payload, headers = self.request(request, int(time.time()))

        status, raw = post(
            self.endpoint, payload, headers, timeout=self.timeout, provider=self.name
        )
        if status >= 500:
            raise server_error(status, self.name, self.endpoint)

        try:
            response = json.loads(raw)["Response"]
        except (ValueError, KeyError, TypeError) as error:
            outcome = Outcome.UNKNOWN if status < 300 else Outcome.NOT_SENT
            raise ProviderError(
                f"tencent: HTTP {status} with a body that is not an API 3.0 response: "
                f"{raw[:200]!r}",
                outcome,
            ) from error

        request_id = response.get("RequestId", "-")
        error = response.get("Error")
        if error:
            code = str(error.get("Code", ""))
            raise ProviderError(
                f"tencent: {code}: {error.get('Message', '')} (request {request_id})",
                _outcome_of(code),
                code=code,
            )

        statuses = response.get("SendStatusSet") or []
        if not statuses:
            raise ProviderError(
                f"tencent: HTTP {status} without a send status (request {request_id})",
                Outcome.UNKNOWN,
            )
        send_status = statuses[0]
        code = str(send_status.get("Code", ""))
        if code == "Ok":
            return str(send_status.get("SerialNo") or request_id)
        raise ProviderError(
            f"tencent: {code}: {send_status.get('Message', '')} (request {request_id})",
            _outcome_of(code),
            code=code,
        )
