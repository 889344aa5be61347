import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

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
