"""Email: rendering the reminder, choosing its content item, sending it, and reading SMTP errors.

One function per kind of email, each rendering a subject / text / HTML template set
under ``tracker/templates/tracker/emails/``.
"""

import contextlib
import os
import smtplib
import threading
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse

from routines.models import RoutineStep

from . import progress
from .dose import routine_plan
from .models import ContentItem, Delivery, DeliveryStatus
from .plans import todays_routine

TRANSIENT, PERMANENT = "transient", "permanent"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# Plain SQL, as in progress.py: asked for every reminder, where the annotated queryset cost the
# ORM eight times what the database needs (0.5 ms against 0.06 ms). The count reads only this
# user's deliveries of each item, through the (user, content_item) index.
NEXT_ITEM_SQL = f"""
    SELECT item.* FROM {ContentItem._meta.db_table} item
    WHERE item.active = %s
    ORDER BY (
        SELECT COUNT(*) FROM {Delivery._meta.db_table} delivery
        WHERE delivery.user_id = %s AND delivery.content_item_id = item.id AND delivery.status = %s
    ), item."order", item.id
    LIMIT 1
"""  # noqa: S608


def next_content_item(user) -> ContentItem | None:
    """The active item this user has been sent the fewest times; ties in the admin's order.

    So nothing repeats until every item was shown, and a new item comes before the old ones repeat.
    """
    return next(iter(ContentItem.objects.raw(NEXT_ITEM_SQL, [True, user.pk, DeliveryStatus.SENT])), None)


def pain_trend(pain: dict) -> str:
    """One line on the last week's pain, from progress's pain figures over the last two weeks."""
    average, change = pain["last_week_average"], pain["change"]
    if average is None:
        return "No pain check-ins this week: a ten-second check-in helps you see what works."
    line = f"Pain this week: {average:g}/10 on average"
    if change is None:
        return f"{line}."
    if change < 0:
        return f"{line}, down {-change:g} from the week before."
    if change > 0:
        return f"{line}, up {change:g} from the week before."
    return f"{line}, the same as the week before."


def reminder_context(delivery: Delivery) -> dict:
    from .reminders import unsubscribe_token, zone_named  # reminders imports this module

    user = delivery.user
    today = delivery.slot_at.astimezone(zone_named(user.timezone)).date()
    routine, why = todays_routine(user, today)
    if routine is not None:
        # The three templates show its estimated minutes, which add up the steps' doses.
        prefetch_related_objects([routine], Prefetch("steps", queryset=RoutineStep.objects.select_related("exercise")))
    figures = progress.week_in_review(user, end=today)
    log_query = {"routine": routine.slug} if routine else {}
    return {
        "user": user,
        "today": today,
        "routine": routine,
        # Today's routine with the person's own doses (tracker.dose): its minutes, any new dose waiting.
        "plan": routine_plan(user, routine) if routine else None,
        "why": why,
        "player_url": absolute_url(reverse("tracker:player", args=[routine.slug])) if routine else "",
        "log_url": absolute_url(reverse("tracker:session-new")) + (f"?{urlencode(log_query)}" if log_query else ""),
        "catalog_url": absolute_url(reverse("routines:catalog")),
        "self_check_url": absolute_url(reverse("routines:self-check")),
        "settings_url": absolute_url(reverse("tracker:reminders")),
        "unsubscribe_url": absolute_url(reverse("tracker:unsubscribe", args=[unsubscribe_token(user)])),
        "sessions": figures["sessions"],
        "minutes": figures["minutes"],
        "pain_line": pain_trend(figures["pain"]),
        "item": delivery.content_item,
    }


def reminder_message(delivery: Delivery) -> EmailMultiAlternatives:
    """The reminder for one delivery: today's routine, last week in two lines, one content item.

    Picks the content item when the delivery has none yet (a retry keeps the first pick).
    """
    if delivery.content_item is None:
        delivery.content_item = next_content_item(delivery.user)
    context = reminder_context(delivery)
    subject = " ".join(render_to_string("tracker/emails/reminder_subject.txt", context).split())
    text = render_to_string("tracker/emails/reminder.txt", context)
    html = render_to_string("tracker/emails/reminder.html", context)
    host = urlsplit(settings.SITE_URL).hostname or "backcare.localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[delivery.user.email],
        headers={
            # RFC 8058: a mail provider may POST to this URL to unsubscribe in one click.
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same id on every attempt lets a receiving server drop a duplicate.
            "Message-ID": f"<reminder-{delivery.pk}.{delivery.slot_at:%Y%m%d%H%M}@{host}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# One SMTP connection per worker process (or thread), reused from one reminder to the
# next: a TLS handshake and a login per email would cost more than the email itself.
_held = threading.local()
REUSE_IDLE_SECONDS = 60
REUSE_MESSAGES = 100
# A connection used less than this long ago is not checked with NOOP first: a server drops
# an idle client after minutes (RFC 5321 4.5.3.2.7 asks for at least five), and in a busy
# batch the check was a round trip per email. Should it have gone anyway, the MAIL command
# fails before any of the message is sent, and the error is a transient one, retried.
CHECK_AFTER_IDLE_SECONDS = 5


def _discard_connection() -> None:
    connection, _held.connection = getattr(_held, "connection", None), None
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


def _server() -> tuple:
    return (
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def _reusable_connection():
    connection = getattr(_held, "connection", None)
    if connection is None:
        return None
    idle = time.monotonic() - _held.used_at
    fresh = idle < REUSE_IDLE_SECONDS and _held.sent < REUSE_MESSAGES
    same = _held.pid == os.getpid() and _held.server == _server()
    if fresh and same and connection.connection is not None:
        if idle < CHECK_AFTER_IDLE_SECONDS:
            return connection
        try:
            # A server that dropped the idle connection answers nothing; then nothing was sent.
            if connection.connection.noop()[0] == 250:
                return connection
        except (smtplib.SMTPException, OSError):
            pass
    _discard_connection()
    return None


def _smtp_connection():
    connection = _reusable_connection()
    if connection is None:
        connection = get_connection(fail_silently=False)
        connection.open()
        _held.connection, _held.pid, _held.server = connection, os.getpid(), _server()
        _held.sent, _held.used_at = 0, time.monotonic()
    return connection


def send(message: EmailMultiAlternatives) -> None:
    """Hand one message to the configured backend; errors are raised, never swallowed.

    Over SMTP, one connection is reused (checked with NOOP when it has been idle a while);
    after any error it is dropped, as its state is then unknown. Other backends (files,
    memory) open and close each time.
    """
    connection = get_connection(fail_silently=False)
    if not isinstance(connection, SMTPBackend):
        connection.open()
        try:
            connection.send_messages([message])
        finally:
            connection.close()
        return
    connection = _smtp_connection()
    try:
        connection.send_messages([message])
    except BaseException:
        _discard_connection()
        raise
    _held.used_at = time.monotonic()
    _held.sent += 1


def _reply(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def send_error(exc: BaseException) -> tuple[str, str]:
    """(TRANSIENT or PERMANENT, message) for an error raised by ``send``.

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
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PERMANENT, f"SMTP server does not support a required extension: {exc}"
    if isinstance(exc, OSError):  # refused, reset, timed out, disconnected, name not found
        return TRANSIENT, f"{type(exc).__name__}: {exc}"
    return PERMANENT, f"{type(exc).__name__}: {exc}"
