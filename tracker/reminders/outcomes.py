"""The fortnightly outcomes reminder: "how far can you walk and stand now?" (PRODUCT.md §4.3).

It rides on the person's reminder settings: only with reminders enabled (so one-click unsubscribe
stops it too), on one of their reminder weekdays, from their reminder time on, and only when no
outcome was recorded and no such reminder was sent in the last 14 days. Never two for one person
and day: the row is the claim (unique per user and local date), and the send claims it again with
a conditional UPDATE before talking to the SMTP server.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from backcare.accounts.verification import address_skip_reason

from ..models import DeliveryStatus, Outcome, OutcomeReminder, ReminderSchedule
from ..outcomes.rules import EVERY, outcomes_due
from . import email
from .content import absolute_url
from .schedule import unsubscribe_token
from .slots import zone_named

logger = logging.getLogger(__name__)

NOT_ENABLED = "Reminders are off."
ALREADY_RECORDED = "Outcomes were recorded in the last 14 days."
TEMPLATE = "tracker/emails/outcomes"


class TransientSendError(Exception):
    """The SMTP server asked us to try again later; the task retries with backoff."""


def _latest(model, date_field):
    return Subquery(
        model.objects.filter(user=OuterRef("user")).values("user").annotate(latest=Max(date_field)).values("latest")[:1]
    )


def due_today(
    schedule: ReminderSchedule, *, now: datetime.datetime, latest_outcome, latest_asked
) -> datetime.date | None:
    """The person's local date when the outcomes reminder is due for them at ``now``, else None."""
    local = now.astimezone(zone_named(schedule.user.timezone))
    today = local.date()
    weekdays = schedule.weekday_list
    if weekdays and today.weekday() not in weekdays:
        return None
    if local.time() < schedule.time:
        return None
    if not outcomes_due(today=today, latest_date=latest_outcome):
        return None
    if latest_asked is not None and today - latest_asked < EVERY:
        return None
    return today


def outcome_reminders_dispatch(*, now: datetime.datetime) -> list[int]:
    """Claim today's outcomes reminder for everyone it is due for; the ids to send, enqueued by the caller."""
    schedules = (
        ReminderSchedule.objects.filter(enabled=True)
        .exclude(user__email="")
        .select_related("user")
        .annotate(
            latest_outcome=_latest(Outcome, "date"),
            latest_asked=_latest(OutcomeReminder, "due_on"),
        )
    )
    claimed = []
    for schedule in schedules:
        today = due_today(schedule, now=now, latest_outcome=schedule.latest_outcome, latest_asked=schedule.latest_asked)
        if today is None:
            continue
        try:
            with transaction.atomic():
                claimed.append(OutcomeReminder.objects.create(user=schedule.user, due_on=today).pk)
        except IntegrityError:  # another dispatcher claimed it first
            continue
    return claimed


def outcome_reminder_context(reminder: OutcomeReminder) -> dict:
    user = reminder.user
    return {
        "user": user,
        "form_url": absolute_url(reverse("tracker:outcome-new")),
        "outcomes_url": absolute_url(reverse("tracker:outcomes")),
        "settings_url": absolute_url(reverse("tracker:reminders")),
        "warning_signs_url": absolute_url(reverse("warning-signs")),
        "unsubscribe_url": absolute_url(reverse("tracker:unsubscribe", args=[unsubscribe_token(user)])),
    }


def outcome_reminder_message(reminder: OutcomeReminder):
    context = outcome_reminder_context(reminder)
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return email.message(TEMPLATE, to=reminder.user.email, context=context, headers=headers)


def _skip_reason(reminder: OutcomeReminder) -> str:
    user = reminder.user
    schedule = ReminderSchedule.objects.filter(user=user).first()
    if schedule is None or not schedule.enabled:
        return NOT_ENABLED
    if address_reason := address_skip_reason(user):
        return address_reason
    latest = Outcome.objects.for_user(user).aggregate(latest=Max("date"))["latest"]
    if not outcomes_due(today=reminder.due_on, latest_date=latest):
        return ALREADY_RECORDED
    return ""


def _finish(reminder_id: int, **fields) -> None:
    OutcomeReminder.objects.filter(pk=reminder_id).update(**fields)


def outcome_reminder_send(*, reminder_id: int) -> str:
    """Claim, decide skip, send, record; the status it ended in. A transient SMTP error gives the
    claim back (queued) and raises TransientSendError for the task to retry."""
    claimed = OutcomeReminder.objects.filter(pk=reminder_id, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENDING
    )
    if not claimed:
        return "not-claimed"
    reminder = OutcomeReminder.objects.select_related("user").get(pk=reminder_id)
    reason = _skip_reason(reminder)
    if reason:
        _finish(reminder_id, status=DeliveryStatus.SKIPPED, error=reason)
        return DeliveryStatus.SKIPPED
    try:
        with email.Outbox() as outbox:
            outbox.send(outcome_reminder_message(reminder))
    except Exception as exc:
        kind, text = email.classify_error(exc)
        if kind == email.TRANSIENT:
            _finish(reminder_id, status=DeliveryStatus.QUEUED, error=text)
            raise TransientSendError(text) from exc
        _finish(reminder_id, status=DeliveryStatus.FAILED, error=text)
        logger.warning("outcomes reminder %s failed: %s", reminder_id, text)
        return DeliveryStatus.FAILED
    _finish(reminder_id, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    return DeliveryStatus.SENT
