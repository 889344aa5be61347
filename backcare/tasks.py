import datetime
import smtplib

from celery import current_app, shared_task
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from kombu.transport import sqlalchemy as sqlalchemy_transport

from .models import WorkerHeartbeat


@shared_task
def heartbeat(name="worker"):
    """Prove that a worker took a task off the broker and reached the database."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_email(*, subject, body, to, from_email=None, html=None):
    """Send one account email (a password reset) outside the request that asked for it."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def delete_consumed_messages(connection, *, handed_out_before: datetime.datetime) -> int:
    """Delete the messages an embedded (SQLAlchemy) broker handed out before that local time; returns how many.

    Other brokers delete a message once it is acknowledged; for them this does nothing.
    """
    if not isinstance(connection.transport, sqlalchemy_transport.Transport):
        return 0
    channel = connection.default_channel
    message = channel.message_cls
    # kombu stamps a message with the local time when it hands it out, and hides it.
    deleted = (
        channel.session.query(message)
        .filter(message.visible.is_(False), message.sent_at < handed_out_before)
        .delete(synchronize_session=False)
    )
    channel.session.commit()
    return deleted


@shared_task
def prune_broker(keep_hours=24):
    """Run by beat on the embedded broker: forget the messages handed out more than ``keep_hours`` ago.

    kombu's SQLAlchemy transport hides a consumed message and never deletes it, so its file
    grew by about a kilobyte a task: with beat's two tasks a minute, a gigabyte a year. A
    hidden message is never handed out again (this transport does not redeliver; the
    reminder dispatcher queues again what a dead worker took), so an old one is only history.
    SQLite reuses the freed pages: the file stops growing, it does not shrink.
    """
    before = datetime.datetime.now() - datetime.timedelta(hours=keep_hours)
    with current_app.connection_for_write() as connection:
        return delete_consumed_messages(connection, handed_out_before=before)
