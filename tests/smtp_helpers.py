"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can refuse on demand."""

import asyncio
import contextlib
import email
import email.policy
import threading
import time

from aiosmtpd.controller import Controller

TRY_LATER = "451 4.3.0 Try again later"
NO_SUCH_USER = "550 5.1.1 No such user here"


class RecordingHandler:
    """Keeps every accepted message; ``refuse_next`` and ``refuse_all`` make DATA fail with a reply.

    ``refuse_for`` ({address: reply}) refuses the messages to one recipient, every time;
    ``drop_for`` (addresses) hangs up on the client instead of answering the DATA of a
    message to one of them, once each.
    """

    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.refuse_next: list[str] = []
        self.refuse_all: str | None = None
        self.refuse_for: dict[str, str] = {}
        self.drop_for: set[str] = set()
        self.attempts = 0
        self.peers: list[tuple] = []  # the client's address for each DATA: one per connection used
        self.messages: list[email.message.EmailMessage] = []
        self.noops = 0
        self._servers = []  # the session of each DATA, so the server can hang up on its clients
        self._lock = threading.Lock()

    async def handle_NOOP(self, server, session, envelope, arg):
        with self._lock:
            self.noops += 1
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.attempts += 1
            self.peers.append(session.peer)
            self._servers.append(server)
            dropped = self.drop_for.intersection(envelope.rcpt_tos)
            self.drop_for.difference_update(dropped)
            refusal = self.refuse_next.pop(0) if self.refuse_next else self.refuse_all
            refusal = next((self.refuse_for[to] for to in envelope.rcpt_tos if to in self.refuse_for), refusal)
            if dropped:
                refusal = "421 4.4.2 Closing the connection"
            if refusal is None:
                # Recorded on receipt: a client killed before it reads the answer has still
                # delivered, which is the case a duplicate would come from.
                self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        if dropped:
            server.transport.close()
        if refusal is not None:
            return refusal
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Accepted"

    def hang_up(self) -> None:
        """Close every connection that has sent a message, as a server does to an idle client."""
        with self._lock:
            servers = list(self._servers)
        for server in servers:
            closed = threading.Event()

            def close(server=server, closed=closed):
                if server.transport is not None:
                    server.transport.close()
                closed.set()

            server.loop.call_soon_threadsafe(close)
            closed.wait(5)

    def received_by(self, address: str) -> list:
        with self._lock:
            return [message for message in self.messages if message["To"] == address]

    def wait_for(self, count: int, *, timeout: float) -> list:
        """Poll until ``count`` messages arrived (or the deadline passed); returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        with self._lock:
            return list(self.messages)


class _LoopbackController(Controller):
    """Binds port 0 and learns the port the system chose before its self-test connects."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextlib.contextmanager
def smtp_server(handler: RecordingHandler | None = None):
    """Yield (handler, port) for an SMTP server on 127.0.0.1 that runs until the block ends."""
    handler = handler or RecordingHandler()
    controller = _LoopbackController(handler, hostname="127.0.0.1", port=0, ready_timeout=10)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def smtp_settings(settings, port: int) -> None:
    """Point Django's mail at the loopback server (pytest-django's ``settings`` fixture)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
