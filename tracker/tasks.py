"""Celery adapters for reminders: take ids, call tracker.reminders, own the retry policy."""

import collections
import datetime
import time

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from .reminders import dispatcher, outcomes, sender


@shared_task(acks_late=True, reject_on_worker_lost=True)
def dispatch_reminders():
    """Run by beat at the start of every minute: queue the due reminders and any whose message was lost."""
    now = timezone.now()
    queued = dispatcher.dispatch_due(now=now, batch_size=settings.REMINDER_BATCH_SIZE)
    requeued = dispatcher.requeue_abandoned(
        now=now, older_than=datetime.timedelta(seconds=settings.REMINDER_RECOVER_AFTER)
    )
    return {"queued": queued, "requeued": requeued}


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # A database error: the deliveries not yet claimed are still claimable; the next try takes them.
    autoretry_for=(DatabaseError,),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    # The sender records a delivery's last attempt as failed itself; this is only a backstop.
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    # A batch that outlives this is killed, so a claim older than REMINDER_RECOVER_AFTER
    # can only belong to a dead worker.
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_reminders(self, delivery_ids):
    """Send one batch; the deliveries a transient SMTP error hit are tried again, alone, after a backoff.

    The batch stops claiming at half its time limit and queues what is left as a new task, so
    a slow SMTP server slows the batches down instead of getting them killed.
    """
    result = sender.send_batch(
        delivery_ids=delivery_ids, deadline=time.monotonic() + settings.REMINDER_SEND_TIME_LIMIT / 2
    )
    if result.postponed:
        dispatcher.enqueue(result.postponed)
    if result.retry:
        countdown = get_exponential_backoff_interval(
            factor=settings.REMINDER_RETRY_BACKOFF,
            retries=self.request.retries,
            maximum=settings.REMINDER_RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        raise self.retry(args=[result.retry], countdown=countdown)
    # How many of each outcome, for the worker's log; each delivery's own is in the admin.
    return dict(collections.Counter(result.outcomes.values()))


# --- The fortnightly outcomes reminder (tracker/reminders/outcomes.py) ---------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def dispatch_outcome_reminders():
    """Run by beat: claim today's outcomes reminders and queue one send each."""
    ids = outcomes.outcome_reminders_dispatch(now=timezone.now())
    for reminder_id in ids:
        send_outcome_reminder.delay(reminder_id)
    return {"queued": len(ids)}


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(outcomes.TransientSendError,),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=settings.REMINDER_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
)
def send_outcome_reminder(reminder_id):
    return outcomes.outcome_reminder_send(reminder_id=reminder_id)
