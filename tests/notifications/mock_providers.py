"""Local stand-ins for the Alibaba Cloud and Tencent Cloud SMS APIs, on 127.0.0.1 only.

Each server checks every request's signature with the test's secret, written here a second
time from the providers' documentation rather than imported, so that a wrong signer fails.
A server can be set to fail the next N requests (HTTP 500 or the provider's error body) and to
respond slowly. It counts the messages it accepted: an accepted request is one SMS sent.
"""

import base64
import contextlib
import datetime
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus

ALIYUN_ERROR_BODY = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"}
TENCENT_ERROR_CODE = "RequestLimitExceeded"


class MockSmsServer:
    """A threading HTTP server on 127.0.0.1 with a random port. Subclasses implement the API."""

    def __init__(self, credential_id: str, secret: str) -> None:
        self.credential_id = credential_id
        self.secret = secret
        self.requests: list[dict] = []  # every request, signed correctly or not
        self.accepted: list[dict] = []  # requests that got a success response: SMS sent
        self.bad_signatures = 0
        self.failures_left = 0
        self.failure_mode = "http500"
        self.answer_delay = 0.0  # seconds to wait after accepting, before responding
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "MockSmsServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def fail_next(self, count: int, mode: str = "http500") -> None:
        """Fail the next `count` correctly signed requests instead of sending their messages."""
        assert mode in {"http500", "error_body"}
        self.failures_left = count
        self.failure_mode = mode

    def _handler_class(self):
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = mock.handle(self.headers, body)
                raw = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(raw)

            def log_message(self, format, *args):
                pass

        return Handler

    def handle(self, headers, body: bytes) -> tuple[int, dict]:
        with self.lock:
            request, problem = self.check(headers, body)
            self.requests.append(request)
            if problem is not None:
                self.bad_signatures += 1
                return problem
            if self.failures_left > 0:
                self.failures_left -= 1
                if self.failure_mode == "http500":
                    return 500, {"message": "internal server error"}
                return self.error_answer()
            self.accepted.append(request)
            answer = self.success_answer(request, len(self.accepted))
        if self.answer_delay:
            time.sleep(self.answer_delay)
        return answer

    def check(self, headers, body: bytes) -> tuple[dict, tuple[int, dict] | None]:
        raise NotImplementedError

    def error_answer(self) -> tuple[int, dict]:
        raise NotImplementedError

    def success_answer(self, request: dict, serial: int) -> tuple[int, dict]:
        raise NotImplementedError


def aliyun_signature(params: dict[str, str], secret: str, method: str) -> str:
    """Sign as Alibaba Cloud's documentation describes it, with the URLEncoder recipe."""

    def encode(value: str) -> str:
        return (
            quote_plus(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")
        )

    query = "&".join(f"{encode(name)}={encode(params[name])}" for name in sorted(params))
    string_to_sign = f"{method}&{encode('/')}&{encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunMock(MockSmsServer):
    def __init__(self, credential_id: str, secret: str) -> None:
        super().__init__(credential_id, secret)
        self.nonces: set[str] = set()

    def check(self, headers, body):
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        signature = params.pop("Signature", "")

        def error(code: str, message: str, status: int = 400):
            return status, {"Code": code, "Message": message, "RequestId": str(uuid.uuid4())}

        if params.get("AccessKeyId") != self.credential_id:
            return params, error(
                "InvalidAccessKeyId.NotFound", "Specified access key is not found."
            )
        if signature != aliyun_signature(params, self.secret, "POST"):
            return params, error("SignatureDoesNotMatch", "Specified signature is not matched.")
        if params.get("SignatureNonce") in self.nonces:
            return params, error("SignatureNonceUsed", "Specified signature nonce was used.")
        self.nonces.add(params.get("SignatureNonce"))
        sent_at = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ")
        skew = abs(datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - sent_at)
        if skew > datetime.timedelta(minutes=15):
            return params, error("InvalidTimeStamp.Expired", "Specified time stamp is expired.")
        expected = {
            "Action": "SendSms",
            "Version": "2017-05-25",
            "Format": "JSON",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
        }
        for name, value in expected.items():
            if params.get(name) != value:
                return params, error("MissingParameter", f"{name} must be {value}.")
        for name in ("PhoneNumbers", "SignName", "TemplateCode", "TemplateParam"):
            if not params.get(name):
                return params, error("MissingParameter", f"{name} is mandatory.")
        json.loads(params["TemplateParam"])
        return params, None

    def error_answer(self):
        return 200, {**ALIYUN_ERROR_BODY, "RequestId": str(uuid.uuid4())}

    def success_answer(self, request, serial):
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "BizId": f"{serial:06d}^0",
            "RequestId": str(uuid.uuid4()),
        }


AUTHORIZATION = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$"
)


def tencent_signature(
    secret: str, date: str, service: str, timestamp: str, canonical_request: str
) -> str:
    """Sign as Tencent Cloud's signature v3 documentation describes it."""

    def sign(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n"
        + hashlib.sha256(canonical_request.encode()).hexdigest()
    )
    key = sign(sign(sign(f"TC3{secret}".encode(), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class TencentMock(MockSmsServer):
    def check(self, headers, body):
        request = {
            "headers": {name.lower(): value for name, value in headers.items()},
            "body": body,
        }

        def error(code: str, message: str):
            return 200, {
                "Response": {"Error": {"Code": code, "Message": message}, "RequestId": "x"}
            }

        match = AUTHORIZATION.match(headers.get("Authorization", ""))
        if match is None:
            return request, error("AuthFailure.InvalidAuthorization", "Authorization is invalid.")
        if match["id"] != self.credential_id:
            return request, error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        signed = match["signed"].split(";")
        if "content-type" not in signed or "host" not in signed:
            return request, error("AuthFailure.InvalidAuthorization", "Sign content-type and host.")
        timestamp = headers.get("X-TC-Timestamp", "")
        utc_date = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC).date()
        if match["date"] != utc_date.isoformat():
            return request, error("AuthFailure.InvalidAuthorization", "Date mismatch.")
        if abs(time.time() - int(timestamp)) > 300:
            return request, error("AuthFailure.SignatureExpire", "Signature expired.")
        canonical_headers = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in signed)
        canonical_request = "\n".join(
            ["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(body).hexdigest()]
        )
        expected = tencent_signature(
            self.secret, match["date"], match["service"], timestamp, canonical_request
        )
        if match["signature"] != expected:
            return request, error("AuthFailure.SignatureFailure", "The signature is invalid.")
        if headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11":
            return request, error("InvalidAction", "The action or version is invalid.")
        payload = json.loads(body)
        request["payload"] = payload
        for name in ("PhoneNumberSet", "SmsSdkAppId", "SignName", "TemplateId"):
            if not payload.get(name):
                return request, error("MissingParameter", f"{name} is missing.")
        return request, None

    def error_answer(self):
        return 200, {
            "Response": {
                "Error": {"Code": TENCENT_ERROR_CODE, "Message": "Too many requests."},
                "RequestId": str(uuid.uuid4()),
            }
        }

    def success_answer(self, request, serial):
        phone = request["payload"]["PhoneNumberSet"][0]
        return 200, {
            "Response": {
                "SendStatusSet": [
                    {
                        "SerialNo": f"serial-{serial}",
                        "PhoneNumber": phone,
                        "Fee": 1,
                        "SessionContext": request["payload"].get("SessionContext", ""),
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }
                ],
                "RequestId": str(uuid.uuid4()),
            }
        }
