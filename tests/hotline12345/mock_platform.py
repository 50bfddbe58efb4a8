"""A local stand-in for a 12345 platform's reply endpoint, on 127.0.0.1 with a free port.

It checks each request's signature like a real platform would, responds with 500 to the first
`fail_times` correctly signed requests, and records every message it accepted.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class MockPlatform:
    def __init__(self, key: str, secret: str, *, fail_times: int = 0, status_after: int = 200):
        self.key = key
        self.secret = secret
        self.fail_times = fail_times
        self.status_after = status_after
        self.hang_seconds = 0.0
        # The result code in the JSON body of a 2xx response, which platforms that always respond
        # with HTTP 200 use to report acceptance. None sends a body without it.
        self.result_code = 0
        self.accepted: list[dict] = []
        self.received_count = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/12345/replies"

    def start(self) -> "MockPlatform":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _signature_ok(self, headers, body: bytes) -> bool:
        timestamp = headers.get("X-Hotline-Timestamp", "")
        nonce = headers.get("X-Hotline-Nonce", "")
        given = headers.get("X-Hotline-Signature", "")
        if headers.get("X-Hotline-Key") != self.key:
            return False
        text = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
        expected = hmac.new(self.secret.encode(), text, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, given)

    def _handle(self, headers, body: bytes) -> tuple[int, dict]:
        if self.hang_seconds:
            time.sleep(self.hang_seconds)
        with self.lock:
            self.received_count += 1
            if not self._signature_ok(headers, body):
                self.bad_signatures += 1
                return 401, {"code": "bad_signature"}
            if self.fail_times > 0:
                self.fail_times -= 1
                return 500, {"code": "busy", "message": "platform busy, try later"}
            if self.status_after >= 300:
                return self.status_after, {"code": "rejected"}
            message = json.loads(body)
            message["_message_id_header"] = headers.get("X-Hotline-Message-Id")
            if self.result_code is None:
                return self.status_after, {"message": "ok"}
            if self.result_code != 0:
                return self.status_after, {"code": self.result_code, "message": "rejected"}
            self.accepted.append(message)
            return self.status_after, {"code": 0, "message": "ok"}

    def _handler_class(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server dispatches to
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = platform._handle(self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
                pass

        return Handler
