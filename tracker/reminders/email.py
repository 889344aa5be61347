"""The email channel, a leaf: a message from a template name and a context; send over one connection; read SMTP errors.

It knows nothing of deliveries or schedules. ``message("tracker/emails/reminder", ...)``
renders ``…_subject.txt``, ``….txt`` and ``….html``; an ``Outbox`` holds one connection to the
configured backend (one SMTP session for a whole batch) and sends one message at a time,
so that the caller can claim each delivery just before its SMTP transaction.
"""

import contextlib
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

TRANSIENT, PERMANENT = "transient", "permanent"


def message(template: str, *, to: str, context: dict, headers: dict | None = None) -> EmailMultiAlternatives:
    """The email of ``template``: a one-line subject, a text part and an HTML part, from the default sender."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    built = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to], headers=headers or {}
    )
    built.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return built


class Outbox:
    """One connection to the configured backend, opened on the first send and reused for the next ones.

        with Outbox() as outbox:
            outbox.send(first)     # raises what the backend raised; classify it with classify_error
            outbox.send(second)

    After the server refused a message (a 4xx or 5xx reply) smtplib resets the session, which
    stays usable; after a 421 or a dropped connection the next send opens a new one.
    """

    def __init__(self):
        self.connection = None
        self.opened = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            # The server may have gone away already; then nothing is left to close.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()

    def send(self, email: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
            self.opened += 1
        try:
            self.connection.send_messages([email])
        except BaseException:
            if not self._still_connected():
                self.close()
            raise

    def _still_connected(self) -> bool:
        # smtplib resets the session after a refusal and closes it after a 421 or a dropped line.
        session = getattr(self.connection, "connection", None)
        return getattr(session, "sock", None) is not None


def _reply(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify_error(exc: BaseException) -> tuple[str, str]:
    """(TRANSIENT or PERMANENT, message) for an error raised by ``Outbox.send``.

    4xx replies, refused or dropped connections and timeouts are worth retrying; 5xx
    replies are final.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        kind = PERMANENT if replies and all(code >= 500 for code, _ in replies) else TRANSIENT
        return kind, "; ".join(_reply(code, text) for code, text in replies) or "All recipients refused."
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = PERMANENT if 500 <= exc.smtp_code < 600 else TRANSIENT
        return kind, _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):  # nothing was accepted: try again
        return TRANSIENT, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PERMANENT, f"SMTP server does not support a required extension: {exc}"
    if isinstance(exc, OSError):  # refused, reset, timed out, disconnected, name not found
        return TRANSIENT, f"{type(exc).__name__}: {exc}"
    return PERMANENT, f"{type(exc).__name__}: {exc}"
