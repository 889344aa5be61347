"""What the reminder failure drills share: due users, a recording SMTP server, the wait, the verdict.

The drills run the real thing: a Celery worker and beat as processes of their own
(tests/celery_helpers.py), the real send function, an aiosmtpd server on 127.0.0.1
(tests/smtp_helpers.py) that records every message it accepts. Every 20th user has
already logged a session today (the reminder is skipped), every 50th has an address
the server refuses with 550 (the delivery fails); the others should get one email.

With ``push`` (a push service of the tests' own, tests/push_helpers.py, on loopback too),
every user's reminders also go by push to one subscribed browser: every 25th has no browser
(the push is skipped), every 40th has a browser its push service calls gone (410: the push
fails, the subscription is removed); the others' browsers should get one push.
"""

import argparse
import collections
import datetime
import logging
import re
import signal
import sys
import time

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from tests.push_helpers import Browser
from tests.smtp_helpers import NO_SUCH_USER, RecordingHandler
from tracker.models import Delivery, DeliveryStatus, PushSubscription, ReminderSchedule, Session
from tracker.reminders.slots import zone_named

FINAL = [DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN]
PENDING = [DeliveryStatus.QUEUED, DeliveryStatus.RETRYING, DeliveryStatus.SENDING]
SESSION_EVERY = 20
BOUNCE_EVERY = 50
BOUNCE_PREFIX = "bounce-"
NO_BROWSER_EVERY = 25
GONE_EVERY = 40
ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]
# Short enough that the dispatcher's recovery runs within the drill; the send time limit
# must stay below the recovery delay, as in production (900 s and 120 s).
SEND_TIME_LIMIT = 8
RECOVER_AFTER = 12


def worker_env(smtp_port: int, *, dispatch_interval: float, batch_size: int = 200, send_batch_size: int = 20) -> dict:
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "REMINDER_DISPATCH_INTERVAL": str(dispatch_interval),
        "REMINDER_RETRY_BACKOFF": "1",
        "REMINDER_RETRY_BACKOFF_MAX": "2",
        "REMINDER_SEND_TIME_LIMIT": str(SEND_TIME_LIMIT),
        "REMINDER_RECOVER_AFTER": str(RECOVER_AFTER),
        "REMINDER_BATCH_SIZE": str(batch_size),
        # A send task's batch must finish within SEND_TIME_LIMIT at the drill's SMTP delay.
        "REMINDER_SEND_BATCH_SIZE": str(send_batch_size),
        # Redis only: a dead worker's unacknowledged tasks come back after 30 s, not an hour.
        "CELERY_VISIBILITY_TIMEOUT": "30",
    }


def argument_parser(doc: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000, help="users due now (default 1000)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds the drill may run (default 300)")
    parser.add_argument("--smtp-delay", type=float, default=0.05, help="seconds before each SMTP answer")
    parser.add_argument("--dispatch-interval", type=float, default=5, help="beat's dispatcher period, s (default 5)")
    return parser


class DrillSMTPHandler(RecordingHandler):
    """Records what it accepts (after an optional delay) and refuses the drill's bounce addresses."""

    refused = 0

    async def handle_DATA(self, server, session, envelope):
        if any(address.startswith(BOUNCE_PREFIX) for address in envelope.rcpt_tos):
            self.refused += 1  # only the server's event-loop thread runs this
            return NO_SUCH_USER
        return await super().handle_DATA(server, session, envelope)

    def received(self) -> int:
        with self._lock:
            return len(self.messages)

    def per_recipient(self) -> collections.Counter:
        with self._lock:
            return collections.Counter(str(message["To"]) for message in self.messages)


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.started = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return self.seconds - self.elapsed()


def quiet_smtp_log() -> None:
    # aiosmtpd logs every SMTP command at INFO: thousands of lines that hide the figures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)


def stop_by_itself(seconds: float) -> None:
    """TERM and a backstop alarm end the drill through its ``finally`` blocks, which stop what it started."""

    def overran(signum, frame):
        raise SystemExit(f"drill: stopped by signal {signum} (backstop {seconds:.0f} s or TERM)")

    signal.signal(signal.SIGTERM, overran)
    signal.signal(signal.SIGALRM, overran)
    signal.alarm(int(seconds))


def push_env(service, vapid_private_key: str) -> dict:
    """What the worker needs to push to the drill's push service."""
    return {"VAPID_PRIVATE_KEY": vapid_private_key, "PUSH_ALLOWED_ORIGINS": service.origin, "PUSH_TIMEOUT": "5"}


def add_due_users(count: int, *, push=None) -> dict:
    """``count`` users whose reminder is due now; returns {(user id, channel): the status expected}.

    With ``push`` (a PushService), each one's reminders go by email and push."""
    User = get_user_model()
    slot = timezone.now() - datetime.timedelta(seconds=30)
    User.objects.bulk_create(
        [
            User(
                username=f"drill{n:05d}",
                email=f"{BOUNCE_PREFIX if n % BOUNCE_EVERY == 1 else ''}drill{n:05d}@example.com",
                password="!",  # unusable: nobody logs in as these
                email_verified=True,  # reminders go only to verified addresses
                timezone=ZONES[n % len(ZONES)],
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    users = list(User.objects.filter(username__startswith="drill").order_by("username"))
    schedules, sessions, subscriptions, expected = [], [], [], {}
    channels = ["email", "push"] if push is not None else ["email"]
    for n, user in enumerate(users):
        local = slot.astimezone(zone_named(user.timezone))
        # An hour before the slot, local time: the next slot after this one is a day away.
        at = (local - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
        schedules.append(
            ReminderSchedule(user=user, enabled=True, time=at, skip_if_done=True, next_due_at=slot, channels=channels)
        )
        if n % SESSION_EVERY == 0:
            sessions.append(Session(user=user, date=local.date(), duration_minutes=10))
            expected[user.pk, "email"] = DeliveryStatus.SKIPPED
        elif user.email.startswith(BOUNCE_PREFIX):
            expected[user.pk, "email"] = DeliveryStatus.FAILED
        else:
            expected[user.pk, "email"] = DeliveryStatus.SENT
        if push is None:
            continue
        if n % NO_BROWSER_EVERY == 3:
            expected[user.pk, "push"] = DeliveryStatus.SKIPPED
            continue
        browser = Browser(push)
        browser.user_id = user.pk
        subscriptions.append(PushSubscription(user=user, endpoint=browser.endpoint, **browser.subscription()["keys"]))
        if n % SESSION_EVERY == 0:
            expected[user.pk, "push"] = DeliveryStatus.SKIPPED
        elif n % GONE_EVERY == 7:
            push.answer(browser.path, 410)
            expected[user.pk, "push"] = DeliveryStatus.FAILED
        else:
            expected[user.pk, "push"] = DeliveryStatus.SENT
    ReminderSchedule.objects.bulk_create(schedules, batch_size=500)
    Session.objects.bulk_create(sessions, batch_size=500)
    PushSubscription.objects.bulk_create(subscriptions, batch_size=500)
    return expected


def statuses() -> dict:
    counts = dict.fromkeys(FINAL + PENDING, 0)
    counts.update(dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by()))
    return counts


def line(deadline: Deadline, handler: DrillSMTPHandler, counts: dict) -> str:
    shown = " ".join(f"{status} {counts[status]}" for status in FINAL + PENDING if counts[status])
    return f"  t={deadline.elapsed():6.1f} s  emails {handler.received():5d}  deliveries: {shown or 'none yet'}"


def wait_for_emails(count: int, *, handler, deadline: Deadline, processes) -> bool:
    """Poll until ``count`` emails arrived; False at the deadline or when the worker died unasked."""
    while handler.received() < count:
        if deadline.left() <= 0:
            return False
        for process in (processes.worker, processes.beat):
            if process is not None and process.poll() is not None:
                print(f"drill: a Celery process exited with {process.returncode}")
                return False
        time.sleep(0.05)
    return True


def start_and_wait(processes, *, handler, users: int, fraction: float, timeout: float) -> "Deadline | None":
    """Start worker and beat, then wait until ``fraction`` of the users' emails arrived; None when they never do."""
    deadline = Deadline(timeout)
    processes.start()
    print(f"  t={deadline.elapsed():6.1f} s  worker and beat ready")
    target = max(1, round(users * fraction))
    if not wait_for_emails(target, handler=handler, deadline=deadline, processes=processes):
        print(f"drill: {target} emails never arrived; giving up")
        fail_with_logs(processes)
        return None
    return deadline


def mid_batch(counts: dict, users: int) -> bool:
    """Whether the fault landed while slots were still pending or not yet recorded."""
    return any(counts[status] for status in PENDING) or sum(counts.values()) < users


def wait_until_settled(
    deliveries: int, *, handler, deadline: Deadline, quiet: float = 3.0, push=None
) -> tuple[dict, bool]:
    """Poll until every due slot has a final delivery on each channel and no email nor push arrived for
    ``quiet`` seconds.

    Returns (counts by status, settled in time).
    """

    def arrived() -> int:
        return handler.received() + (push.total() if push is not None else 0)

    shown_at = 0.0
    while True:
        counts = statuses()
        final = sum(counts[status] for status in FINAL)
        if final >= deliveries and not any(counts[status] for status in PENDING):
            # A late duplicate (a redelivered or requeued task) would arrive in this window.
            received, still = arrived(), time.monotonic() + quiet
            while time.monotonic() < still and arrived() == received:
                time.sleep(0.1)
            if arrived() == received:
                return statuses(), True
            continue
        if deadline.left() <= 0:
            return counts, False
        if time.monotonic() - shown_at >= 5:
            print(line(deadline, handler, counts))
            shown_at = time.monotonic()
        time.sleep(0.25)


def verdict(
    *, title: str, expected: dict, handler, concurrency: int, deadline: Deadline, settled: bool, notes=(), push=None
):
    """Print the figures and the invariants as a table; returns True when every invariant holds.

    ``expected``: {(user id, channel): status}; with ``push``, the push channel's own checks beside the email's.
    """
    deliveries = list(Delivery.objects.select_related("user").order_by("user_id", "slot_at"))
    counts = collections.Counter(delivery.status for delivery in deliveries)
    per_address = handler.per_recipient()
    per_slot = collections.Counter((delivery.user_id, delivery.channel) for delivery in deliveries)
    emails = [delivery for delivery in deliveries if delivery.channel == "email"]
    status_of = {delivery.user_id: delivery.status for delivery in emails}
    emails_of = {delivery.user_id: per_address.get(delivery.user.email, 0) for delivery in emails}
    known = {delivery.user.email for delivery in emails}

    twice = [address for address, n in per_address.items() if n > 1]
    sent_without = [user for user, status in status_of.items() if status == DeliveryStatus.SENT and not emails_of[user]]
    mailed_anyway = [
        user
        for user, status in status_of.items()
        if status in (DeliveryStatus.SKIPPED, DeliveryStatus.FAILED) and emails_of[user]
    ]
    final_of = {(delivery.user_id, delivery.channel): delivery.status for delivery in deliveries}
    off_plan = [
        key
        for key, want in expected.items()
        if final_of.get(key) not in (want, DeliveryStatus.UNCERTAIN) and final_of.get(key) in FINAL
    ]
    uncertain = counts[DeliveryStatus.UNCERTAIN]
    uncertain_mailed = sum(
        1 for user, status in status_of.items() if status == DeliveryStatus.UNCERTAIN and emails_of[user]
    )
    not_final = len(expected) - sum(1 for key in expected if final_of.get(key) in FINAL)

    # (invariant, value, the most it may be)
    checks = [
        ("due slots not final (per channel)", not_final, 0),
        ("users with more than one delivery per channel", sum(1 for n in per_slot.values() if n > 1), 0),
        ("users with more than one email", len(twice), 0),
        ("deliveries 'sent' whose user got no email", len(sent_without), 0),
        ("skipped/failed users who got an email", len(mailed_anyway), 0),
        ("emails to an address not due", sum(n for address, n in per_address.items() if address not in known), 0),
        ("final status neither the planned one nor uncertain", len(off_plan), 0),
        ("uncertain deliveries (at most the concurrency)", uncertain, concurrency),
    ]
    push_rows = []
    if push is not None:
        push_checks, push_rows = _push_checks(push, deliveries)
        checks += push_checks
    ok = settled and all(value <= limit for _, value, limit in checks)

    planned = collections.Counter(expected.values())
    print()
    print(f"== {title}")
    for note in notes:
        print(f"   {note}")
    rows = [
        ("slots due (users × channels)", len(expected), ""),
        ("  planned: sent / skipped / failed", "", " / ".join(str(planned[s]) for s in FINAL[:3])),
        ("deliveries", len(deliveries), ""),
    ]
    rows += [(f"  {status}", counts[status], "") for status in FINAL + PENDING if counts[status] or status in FINAL]
    rows += [
        ("emails received by the SMTP server", sum(per_address.values()), ""),
        ("  distinct recipients", len(per_address), ""),
        ("  uncertain deliveries whose email did arrive", uncertain_mailed, ""),
        ("refused by the SMTP server (550, the bounce addresses)", handler.refused, ""),
        *push_rows,
        ("elapsed", f"{deadline.elapsed():.1f} s", "" if settled else f"NOT SETTLED within {deadline.seconds:.0f} s"),
    ]
    rows += [(name, value, f"{'ok' if value <= limit else 'FAIL'} (<= {limit})") for name, value, limit in checks]
    width = max(len(name) for name, _, _ in rows)
    for name, value, comment in rows:
        print(f"   {name:<{width}}  {value!s:>8}  {comment}")
    print(f"   verdict: {'PASS' if ok else 'FAIL'}")
    if twice:
        print(f"   users with two emails: {twice[:10]}")
    if off_plan:
        print(f"   off plan: {[(key, expected[key], final_of.get(key)) for key in off_plan[:10]]}")
    return ok


def _push_checks(push, deliveries) -> tuple[list, list]:
    """(invariants, figures) of the push channel: one push per browser at most, and only for deliveries sent."""
    per_browser = push.per_browser()
    path_of = {browser.user_id: path for path, browser in push.browsers.items()}
    gone = {push.browsers[path].endpoint for path, status, _ in push.refused if status == 410}
    gone_left = PushSubscription.objects.filter(endpoint__in=gone).count()
    pushes = [delivery for delivery in deliveries if delivery.channel == "push"]
    pushes_of = {delivery.user_id: per_browser.get(path_of.get(delivery.user_id), 0) for delivery in pushes}
    sent_without = [d for d in pushes if d.status == DeliveryStatus.SENT and not pushes_of[d.user_id]]
    pushed_anyway = [
        d for d in pushes if d.status in (DeliveryStatus.SKIPPED, DeliveryStatus.FAILED) and pushes_of[d.user_id]
    ]
    uncertain_pushed = sum(1 for d in pushes if d.status == DeliveryStatus.UNCERTAIN and pushes_of[d.user_id])
    checks = [
        ("browsers with more than one push", sum(1 for n in per_browser.values() if n > 1), 0),
        ("push deliveries 'sent' whose browser got none", len(sent_without), 0),
        ("skipped/failed push users whose browser got one", len(pushed_anyway), 0),
        ("subscriptions answered 410 and still stored", gone_left, 0),
    ]
    figures = [
        ("pushes received by the push service", sum(per_browser.values()), ""),
        ("  distinct browsers", len(per_browser), ""),
        ("  uncertain push deliveries whose push did arrive", uncertain_pushed, ""),
        ("answered 410 (gone) by the push service", sum(1 for _, status, _ in push.refused if status == 410), ""),
    ]
    return checks, figures


def requeued(processes) -> int:
    """How many send tasks the dispatcher's recovery queued again, from the worker's logs."""
    pattern = re.compile(r"queued (\d+) abandoned reminder deliveries again")
    return sum(
        int(match)
        for log in processes.log_files
        if log.exists()
        for match in pattern.findall(log.read_text(errors="replace"))
    )


def fail_with_logs(processes, lines: int = 40) -> None:
    print(processes.tail_logs(lines), file=sys.stderr)
