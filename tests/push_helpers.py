"""A push service of the tests' own, and browsers that subscribe to it.

``push_service()`` runs a threaded ``http.server`` on 127.0.0.1 that takes Web Push POSTs as
FCM or Mozilla's autopush would: it checks the VAPID ``Authorization`` header (the JWT's
signature, its ``aud`` and that ``k`` is the key we expect), decrypts the aes128gcm body
with the subscribing browser's private key and auth secret (http_ece), and records the JSON
payload. ``service.answer(path, 410)`` scripts what the next POSTs to that path get.

A ``Browser`` makes its P-256 key pair and auth secret as a browser does for
``pushManager.subscribe``, and gives the subscription JSON the API takes.

    with push_service(expected_key=application_server_key()) as service:
        browser = Browser(service)
        ...POST browser.subscription() to /api/v1/push-subscriptions/...
        service.pushes_to(browser)  # [decrypted payloads]
"""

import base64
import collections
import contextlib
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid.jwt import decode


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# A scripted answer: wait longer than the sender's PUSH_TIMEOUT, then refuse (the push is not delivered).
HANG = 0
HANG_SECONDS = 3


class Browser:
    """One browser's push subscription: its own key pair and secret, an endpoint on the service."""

    def __init__(self, service: "PushService"):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        self.path = f"/push/{uuid.uuid4().hex}"
        self.endpoint = f"{service.origin}{self.path}"
        service.browsers[self.path] = self

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def subscription(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret))


class PushService(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, expected_key: str, delay: float = 0.0):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay  # seconds before each answer, as a busy push service
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"
        self.expected_key = expected_key
        self.browsers: dict[str, Browser] = {}
        self.received: list[tuple[str, dict]] = []  # (path, payload) of the pushes accepted
        self.refused: list[tuple[str, int, str]] = []  # (path, status, why)
        self._answers: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self.lock = threading.Lock()

    def answer(self, path: str, *statuses: int) -> None:
        """The next POSTs to ``path`` get these statuses, in turn; then 201 again."""
        with self.lock:
            self._answers[path].extend(statuses)

    def next_answer(self, path: str) -> int:
        with self.lock:
            return self._answers[path].popleft() if self._answers[path] else 201

    def pushes_to(self, browser: Browser) -> list[dict]:
        with self.lock:
            return [payload for path, payload in self.received if path == browser.path]

    def total(self) -> int:
        with self.lock:
            return len(self.received)

    def per_browser(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(path for path, _ in self.received)


class _Handler(BaseHTTPRequestHandler):
    server: PushService

    def log_message(self, *args):  # quiet: the tests assert on what was received
        pass

    def _refuse(self, status: int, why: str) -> None:
        with self.server.lock:
            self.server.refused.append((self.path, status, why))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.delay:
            time.sleep(self.server.delay)
        why = self._vapid_problem()
        if why:
            return self._refuse(401, why)
        browser = self.server.browsers.get(self.path)
        if browser is None:
            return self._refuse(404, "unknown subscription")
        if self.headers.get("Content-Encoding") != "aes128gcm" or not self.headers.get("TTL"):
            return self._refuse(400, "not an RFC 8291 push")
        status = self.server.next_answer(self.path)
        if status == HANG:
            time.sleep(HANG_SECONDS)
            return self._refuse(503, "hung")
        if status >= 300:
            return self._refuse(status, "scripted")
        payload = browser.decrypt(body)  # raises, and so answers nothing, when not encrypted for this browser
        with self.server.lock:
            self.server.received.append((self.path, payload))
        self.send_response(201)
        self.send_header("Location", f"{self.path}/message/{len(self.server.received)}")
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def _vapid_problem(self) -> str:
        header = self.headers.get("Authorization", "")
        if not header.startswith("vapid "):
            return "no VAPID authorization"
        parts = dict(part.split("=", 1) for part in header[len("vapid ") :].split(","))
        if parts.get("k") != self.server.expected_key:
            return "signed with another key"
        try:
            claims = decode(parts["t"], parts["k"])
        except (InvalidSignature, KeyError):
            return "bad signature"
        if claims.get("exp", 0) < time.time():
            return "expired"
        if claims.get("aud") != self.server.origin or not str(claims.get("sub", "")).startswith("mailto:"):
            return "wrong claims"
        return ""


@contextlib.contextmanager
def push_service(*, expected_key: str, delay: float = 0.0):
    server = PushService(expected_key=expected_key, delay=delay)
    thread = threading.Thread(target=server.serve_forever, name="push-service", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
