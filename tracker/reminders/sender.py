"""The sender: one batch of deliveries, each sent at most once, over one SMTP connection.

For a batch: load what it needs in a few queries (the deliveries with their users,
schedules and programs; who logged a session on their day; the content of every email),
decide the skips, render, then for each email in turn claim its delivery with a
conditional UPDATE, hand it to the SMTP server, and record the answer. So:

- a redelivered batch skips whatever is already claimed or settled;
- a worker killed mid-batch leaves at most one delivery claimed and unanswered (per
  process); the dispatcher's recovery finds it and settles it as uncertain, never sends it
  again;
- a transient SMTP error (4xx, a dropped connection) marks that delivery for a retry and the
  batch goes on; a permanent one (5xx) fails that delivery alone.

Push deliveries (``channel="push"``) go the same way, claimed the same, with the push channel
(``push.py``) as transport: one POST to each of the person's subscriptions. A delivery counts as
sent when one push service took it; it is retried only while none has (429, 5xx, no answer), so
no browser gets it twice. A subscription its push service calls gone (404/410) is deleted, and
the delivery's error says so.
"""

import dataclasses
import datetime
import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone as django_timezone

from backcare.accounts.verification import address_skip_reason

from ..models import Channel, Delivery, DeliveryKind, DeliveryStatus, PushSubscription, ReminderSchedule, Session
from . import email, push
from .content import reminder_push
from .messages import delivery_contexts, delivery_email
from .schedule import TURNED_OFF, WEEKLY_TURNED_OFF
from .slots import local_day

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class BatchResult:
    """What became of each delivery of a batch ({id: outcome}) and which ones to try again.

    Outcomes: 'sent', 'skipped', 'failed', 'retrying', 'uncertain' (a dead worker's claim
    found), 'in progress' (another live attempt holds the claim), 'already <status>', 'missing',
    'postponed' (not claimed before the batch's deadline; still claimable).
    """

    outcomes: dict[int, str] = dataclasses.field(default_factory=dict)

    def _with(self, outcome: str) -> list[int]:
        return [pk for pk, found in self.outcomes.items() if found == outcome]

    @property
    def retry(self) -> list[int]:
        return self._with("retrying")

    @property
    def postponed(self) -> list[int]:
        return self._with("postponed")


def skip_reason(delivery: Delivery, *, session_logged: bool) -> str:
    """Why this reminder should not be sent now, or '' to send it (the one place for this decision).

    ``session_logged``: the person logged a session on the slot's local day.
    """
    user = delivery.user
    if not user.is_active:
        return "The account is inactive."
    # An unconfirmed address stops email only: a push goes to a browser the person subscribed
    # while signed in, so it reaches no one else.
    if delivery.channel == Channel.EMAIL and (address_reason := address_skip_reason(user)):
        return address_reason
    try:
        schedule = user.reminder_schedule
    except ReminderSchedule.DoesNotExist:
        schedule = None
    if delivery.kind == DeliveryKind.WEEKLY_REPORT:
        # The report is sent whether or not a session was logged that day.
        return "" if schedule is not None and schedule.weekly_report else WEEKLY_TURNED_OFF
    if schedule is None or not schedule.enabled:
        return TURNED_OFF
    # A reminder goes on the channels the person chose (another kind, such as a weekly report, has its own).
    if delivery.kind == DeliveryKind.REMINDER and delivery.channel not in schedule.channels:
        return f"{Channel(delivery.channel).label} reminders were turned off before this one was sent."
    if delivery.channel == Channel.PUSH and not push.enabled():
        return push.OFF_REASON
    if schedule.skip_if_done and session_logged:
        return f"A session was already logged on {local_day(delivery.slot_at, user.timezone):%Y-%m-%d}."
    return ""


def _sessions_logged(deliveries: list[Delivery]) -> set[tuple[int, datetime.date]]:
    """(user id, date) of the deliveries' local days that have a session, in one query."""
    days = {delivery.user_id: local_day(delivery.slot_at, delivery.user.timezone) for delivery in deliveries}
    if not days:
        return set()
    logged = Session.objects.filter(user_id__in=days, date__in=set(days.values())).values_list("user_id", "date")
    return set(logged)


def _settled_elsewhere(delivery_ids, now: datetime.datetime) -> dict[int, str]:
    """Outcomes for deliveries that were not claimable: settled, held by a live send, or a dead one's."""
    outcomes = dict.fromkeys(delivery_ids, "missing")
    stale_before = now - datetime.timedelta(seconds=settings.REMINDER_RECOVER_AFTER)
    for delivery in Delivery.objects.filter(pk__in=delivery_ids).only("status", "claimed_at"):
        if delivery.status != DeliveryStatus.SENDING:
            outcomes[delivery.pk] = f"already {delivery.status}"
        elif delivery.claimed_at and delivery.claimed_at < stale_before:
            # The send time limit is shorter than this, so the claimant is dead; whether its
            # email went out is unknown, and sending again could make it two.
            stale = Delivery.objects.abandon_stale_claim(delivery.pk, claimed_at=delivery.claimed_at, now=now)
            outcomes[delivery.pk] = "uncertain" if stale else "in progress"
        else:
            outcomes[delivery.pk] = "in progress"
    return outcomes


def _retry_or_fail(delivery: Delivery, kind: str, error: str) -> tuple[str, str]:
    """(status, error to record) after an unsuccessful SMTP transaction or push; the claim counted the attempt."""
    attempts = delivery.attempts + 1
    transient = kind in (email.TRANSIENT, push.TRANSIENT)
    if transient and attempts < settings.REMINDER_MAX_ATTEMPTS:
        return DeliveryStatus.RETRYING, error
    if transient:
        return DeliveryStatus.FAILED, f"Gave up after {attempts} attempts: {error}"
    return DeliveryStatus.FAILED, error


def send_batch(*, delivery_ids, deadline: float | None = None) -> BatchResult:
    """Send the reminders of these deliveries, each at most once; see the module's docstring.

    ``deadline`` (a ``time.monotonic()`` value): no delivery is claimed after it; the ones left
    are 'postponed', still claimable, for the caller to queue again. A slow SMTP server then
    never lets a batch run into its hard time limit, which would leave one delivery uncertain.
    """
    result = BatchResult()
    now = django_timezone.now()
    deliveries = list(
        Delivery.objects.claimable()
        .filter(pk__in=delivery_ids)
        .select_related("user__reminder_schedule", "user__program", "content_item")
        .order_by("pk")
    )
    loaded = {delivery.pk for delivery in deliveries}
    result.outcomes.update(_settled_elsewhere([pk for pk in delivery_ids if pk not in loaded], now))

    logged = _sessions_logged(deliveries)
    to_send = []
    for delivery in deliveries:
        day = local_day(delivery.slot_at, delivery.user.timezone)
        reason = skip_reason(delivery, session_logged=(delivery.user_id, day) in logged)
        if not reason:
            to_send.append(delivery)
        elif Delivery.objects.settle_unsent(delivery.pk, now=now, status=DeliveryStatus.SKIPPED, skip_reason=reason):
            result.outcomes[delivery.pk] = "skipped"
        else:
            result.outcomes[delivery.pk] = "in progress"

    subscriptions = _subscriptions([delivery for delivery in to_send if delivery.channel == Channel.PUSH])
    for delivery in [delivery for delivery in to_send if delivery.channel == Channel.PUSH]:
        if subscriptions.get(delivery.user_id):
            continue
        to_send.remove(delivery)
        reason = "No browser is subscribed to push notifications."
        settled = Delivery.objects.settle_unsent(
            delivery.pk, now=now, status=DeliveryStatus.SKIPPED, skip_reason=reason
        )
        result.outcomes[delivery.pk] = "skipped" if settled else "in progress"

    contexts = _contexts(to_send)
    with email.Outbox() as outbox:
        for delivery in to_send:
            if deadline is not None and time.monotonic() >= deadline:
                result.outcomes[delivery.pk] = "postponed"
            elif delivery.channel == Channel.PUSH:
                result.outcomes[delivery.pk] = _push_one(
                    delivery, contexts[delivery.pk], subscriptions[delivery.user_id]
                )
            else:
                result.outcomes[delivery.pk] = _send_one(delivery, contexts[delivery.pk], outbox)
    return result


def _subscriptions(deliveries: list[Delivery]) -> dict[int, list[PushSubscription]]:
    """{user id: their push subscriptions, oldest first}, in one query."""
    found: dict[int, list[PushSubscription]] = {}
    if deliveries:
        users = {delivery.user_id for delivery in deliveries}
        for subscription in PushSubscription.objects.filter(user_id__in=users).order_by("pk"):
            found.setdefault(subscription.user_id, []).append(subscription)
    return found


def _contexts(deliveries: list[Delivery]) -> dict[int, dict | Exception]:
    """Each delivery's email context, built for the whole batch; should that fail on one person's
    data, built one by one, so that the error stays with that person's delivery."""
    try:
        return delivery_contexts(deliveries)
    except DatabaseError:
        raise  # the task tries the batch again; nothing was claimed
    except Exception:
        logger.exception("a batch's email contexts could not be built together; building them one by one")
    contexts = {}
    for delivery in deliveries:
        try:
            contexts.update(delivery_contexts([delivery]))
        except DatabaseError:
            raise
        except Exception as exc:
            contexts[delivery.pk] = exc
    return contexts


def _rendered(delivery: Delivery, context: dict | Exception, build, what: str):
    """(what ``build`` made of the context, None) or (None, the outcome of a delivery that could not be
    rendered: failed, before anything reached the SMTP server or the push service)."""
    try:
        if isinstance(context, Exception):
            raise context
        return build(delivery, context), None
    except Exception as exc:
        logger.exception("reminder %s could not be rendered", delivery.pk)
        settled = Delivery.objects.settle_unsent(
            delivery.pk,
            now=django_timezone.now(),
            status=DeliveryStatus.FAILED,
            error=f"Could not render the {what}: {exc!r}",
        )
        return None, "failed" if settled else "in progress"


def _send_one(delivery: Delivery, context: dict | Exception, outbox: email.Outbox) -> str:
    message, outcome = _rendered(delivery, context, delivery_email, "email")
    if outcome:
        return outcome
    # Claimed immediately before its SMTP transaction, with the content item it carries
    # (so that a retry carries the same one).
    if not Delivery.objects.claim(delivery.pk, now=django_timezone.now(), content_item=delivery.content_item):
        return "in progress"
    try:
        outbox.send(message)
    except Exception as exc:
        kind, error = email.classify_error(exc)
        status, error = _retry_or_fail(delivery, kind, error)
        Delivery.objects.record(delivery.pk, now=django_timezone.now(), status=status, error=error)
        if status == DeliveryStatus.FAILED:
            logger.warning("reminder %s failed: %s", delivery.pk, error)
        return status
    now = django_timezone.now()
    Delivery.objects.record(delivery.pk, now=now, status=DeliveryStatus.SENT, sent_at=now, error="")
    return "sent"


def _push_one(delivery: Delivery, context: dict | Exception, subscriptions: list[PushSubscription]) -> str:
    """Claim a push delivery, push it to each of the person's browsers, record what came of it."""
    payload, outcome = _rendered(delivery, context, reminder_push, "notification")
    if outcome:
        return outcome
    if not Delivery.objects.claim(delivery.pk, now=django_timezone.now()):
        return "in progress"
    accepted, notes, transient = 0, [], False
    for subscription in subscriptions:
        try:
            push.send(
                endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth, payload=payload
            )
        except push.PushError as exc:
            if exc.kind == push.GONE:
                # The browser unsubscribed or the subscription expired: pushing there again is pointless.
                PushSubscription.objects.filter(pk=subscription.pk).delete()
                logger.warning(
                    "push subscription %s of user %s is gone (%s); removed", subscription.pk, delivery.user_id, exc
                )
                notes.append(f"Subscription {subscription.pk} is gone ({exc}); removed.")
            else:
                transient = transient or exc.kind == push.TRANSIENT
                notes.append(f"Subscription {subscription.pk}: {exc}")
        else:
            accepted += 1
    now = django_timezone.now()
    error = " ".join(notes)
    if accepted:
        # Sent: trying the others again would push it twice to the browsers that have it.
        Delivery.objects.record(delivery.pk, now=now, status=DeliveryStatus.SENT, sent_at=now, error=error)
        return "sent"
    status, error = _retry_or_fail(delivery, push.TRANSIENT if transient else push.PERMANENT, error)
    Delivery.objects.record(delivery.pk, now=now, status=status, error=error)
    if status == DeliveryStatus.FAILED:
        logger.warning("push reminder %s failed: %s", delivery.pk, error)
    return status
