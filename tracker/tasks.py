"""Celery adapters for reminders: take ids, call tracker.reminders, own the retry policy."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from . import outcome_reminders, reminders


@shared_task(acks_late=True, reject_on_worker_lost=True)
def dispatch_reminders():
    """Run by beat every minute: queue the due reminders and any whose message was lost."""
    now = timezone.now()
    queued = reminders.dispatch_due(now=now, batch_size=settings.REMINDER_BATCH_SIZE)
    requeued = reminders.requeue_abandoned(
        now=now, older_than=datetime.timedelta(seconds=settings.REMINDER_RECOVER_AFTER)
    )
    return {"queued": queued, "requeued": requeued}


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # A database error before the send gave the claim back (retrying); the SMTP server was not contacted.
    autoretry_for=(reminders.TransientSendError, DatabaseError),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    # reminder_send records the last attempt as failed itself; this is only a backstop.
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    # A send that outlives this is killed, so a claim older than REMINDER_RECOVER_AFTER
    # can only belong to a dead worker.
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminder(delivery_id):
    return reminders.reminder_send(delivery_id=delivery_id)


# --- The fortnightly outcomes reminder (tracker/outcome_reminders.py) ---------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def dispatch_outcome_reminders():
    """Run by beat: claim today's outcomes reminders and queue one send each."""
    ids = outcome_reminders.outcome_reminders_dispatch(now=timezone.now())
    for reminder_id in ids:
        send_outcome_reminder.delay(reminder_id)
    return {"queued": len(ids)}


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(reminders.TransientSendError,),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_outcome_reminder(reminder_id):
    return outcome_reminders.outcome_reminder_send(reminder_id=reminder_id)
