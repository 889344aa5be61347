"""Reminders at scale: one dispatcher pass over many due users, then emails per second.

    .venv/bin/python bench/reminders.py [--users 100000] [--due 10000] [--emails 1000]
                                        [--seconds 60] [--concurrency 2]

Self-contained: it creates a throwaway test database the way Django's test runner
does (SQLite by default; the server of DATABASE_URL when it is set), fills it, and
drops it at the end. Loopback only.

1. Dispatcher: --users users with a schedule, --due of them due at once; one pass of
   ``dispatch_due`` is timed and its SQL queries counted. The send tasks it queues
   after commit are captured in a list instead of going to a broker (``delay`` is
   replaced for this pass), so the figure is the database work alone.
2. Sending, to an aiosmtpd server on 127.0.0.1 (a process of its own), three ways in
   the same run, each with deliveries of its own:
   - raw smtplib loops sending pre-built messages, with one connection per message
     and with one connection for all;
   - the real send function (``reminder_send``: claim, skip check, render the subject /
     text / HTML with progress and the rotating item, SMTP, record), one reminder after
     the other in this process;
   - one real Celery worker (prefork, --concurrency processes, as ``make run`` starts
     it) on the broker the settings name (Redis when REDIS_URL is set, else the SQLite
     broker). The ``send_reminder`` tasks are published first (the publishing rate is
     printed), then the worker starts on the full queue, as at a minute when many
     reminders fall due; it is timed from the first claim to the last delivery settled,
     from the deliveries' own timestamps, so neither its start-up nor this process's
     polling counts. Its processes' CPU time is read from /proc.
   Both senders reuse an SMTP connection between reminders (checked with NOOP only
   after 5 s idle). Prints the rates, CPU per reminder, and the ratios.
3. The worker's ceiling: the same worker and broker running as many ``heartbeat``
   tasks, the app's cheapest (one row written each): what Celery itself allows per
   second on this machine, whatever a task does.

The target (>= 0.5) is for the worker against the plain smtplib loop, one connection
per message. Django runs with DEBUG off, as in production.
"""

import argparse
import datetime
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import setup_django, throwaway_database

# As production runs: the test settings import local.py, whose DEBUG defaults to true, and
# DEBUG must be off before Django starts (settings, template engines, query logging).
os.environ["DEBUG"] = "false"
setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.template import engines  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from backcare.models import WorkerHeartbeat  # noqa: E402
from backcare.tasks import heartbeat  # noqa: E402
from tests.celery_helpers import CeleryProcesses  # noqa: E402
from tracker import emails, tasks  # noqa: E402
from tracker.models import Delivery, DeliveryStatus, ReminderSchedule  # noqa: E402
from tracker.reminders import dispatch_due, reminder_send  # noqa: E402

BATCH = 5000


# The SMTP server runs in a process of its own, as a real one would: in a thread of
# this process it would compete with the sender for the GIL.
SMTP_SERVER = """
import sys
from aiosmtpd.controller import Controller


class Counting:
    accepted = 0

    async def handle_DATA(self, server, session, envelope):
        Counting.accepted += 1
        return "250 2.0.0 Accepted"


class Loopback(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


controller = Loopback(Counting(), hostname="127.0.0.1", port=0, ready_timeout=10)
controller.start()
print(controller.port, flush=True)
sys.stdin.read()
controller.stop()
print(Counting.accepted, flush=True)
"""


def start_smtp_server() -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return server, int(server.stdout.readline())


def stop_smtp_server(server: subprocess.Popen) -> int:
    """Stop it; returns how many messages it accepted."""
    accepted, _ = server.communicate(timeout=30)
    return int(accepted or 0)


def fill(users: int, due: int, now: datetime.datetime) -> None:
    User = get_user_model()
    zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]
    started = time.perf_counter()
    for start in range(0, users, BATCH):
        User.objects.bulk_create(
            User(
                username=f"bench{n:06d}",
                email=f"bench{n:06d}@example.com",
                password="!",  # unusable: nobody logs in as these
                email_verified=True,  # reminders go only to verified addresses
                timezone=zones[n % len(zones)],
            )
            for n in range(start, min(users, start + BATCH))
        )
    ids = list(User.objects.filter(username__startswith="bench").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        ReminderSchedule.objects.bulk_create(
            ReminderSchedule(
                user_id=user_id,
                enabled=True,
                time=datetime.time(7, 30),
                # The first ``due`` users are due now; the others at some minute of the next day.
                next_due_at=now - datetime.timedelta(seconds=30)
                if index < due
                else now + datetime.timedelta(minutes=1 + index % 1440),
            )
            for index, user_id in enumerate(ids[start : start + BATCH], start=start)
        )
    print(f"filled {users:,} users with schedules, {due:,} due, in {time.perf_counter() - started:.1f} s")


def bench_dispatch(now: datetime.datetime) -> list[int]:
    queued: list[int] = []
    real_delay = tasks.send_reminder.delay
    tasks.send_reminder.delay = queued.append
    try:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            count = dispatch_due(now=now, batch_size=settings.REMINDER_BATCH_SIZE)
            elapsed = time.perf_counter() - started
    finally:
        tasks.send_reminder.delay = real_delay
    assert count == len(queued) == Delivery.objects.count(), (count, len(queued))
    print(
        f"dispatch: {count:,} due of {ReminderSchedule.objects.count():,} schedules claimed, recorded and queued"
        f" in {elapsed:.2f} s, {len(queries.captured_queries)} SQL queries"
        f" (batch size {settings.REMINDER_BATCH_SIZE}; send tasks captured in a list, not sent to a broker)"
    )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        dispatch_due(now=now, batch_size=settings.REMINDER_BATCH_SIZE)
        elapsed = time.perf_counter() - started
    print(f"dispatch again, nothing due: {elapsed * 1000:.1f} ms, {len(queries.captured_queries)} SQL queries")
    return queued


def bench_send(delivery_ids: list[int], port: int, seconds: float) -> float:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    sent = 0
    cpu_started, started = time.process_time(), time.perf_counter()
    for delivery_id in delivery_ids:
        if reminder_send(delivery_id=delivery_id) == "sent":
            sent += 1
        if time.perf_counter() - started > seconds:
            break
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = sent / elapsed
    print(
        f"send function: {sent:,} reminders rendered and sent in {elapsed:.2f} s = {rate:,.0f}/s"
        f" (one process; {cpu / max(sent, 1) * 1000:.1f} ms of CPU per reminder)"
    )
    return rate


def cpu_seconds(root: int) -> dict[int, float]:
    """{pid: CPU seconds so far} for a process and its children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid, parent = int(stat.parent.name), int(fields[1])
        if root in (pid, parent):
            found[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return found


def run_worker(publish, settled, *, concurrency: int, seconds: float, env: dict | None = None):
    """Publish tasks with ``publish()``, then run one real Celery worker on them until ``settled()``.

    The worker (prefork, ``concurrency`` processes, on the broker the settings name) starts
    on the full queue, as at a minute when many reminders fall due. Returns the publishing
    time, the broker's name and the CPU seconds each of the worker's processes used after
    start-up, the main process first.
    """
    with tempfile.TemporaryDirectory() as tmp, CeleryProcesses(Path(tmp), env=env, concurrency=concurrency) as celery:
        celery.prepare_broker()
        undo = celery.publish_here()
        try:
            started = time.perf_counter()
            publish()
            published = time.perf_counter() - started
        finally:
            undo()
        celery.start_worker()
        cpu_before = cpu_seconds(celery.worker.pid)  # start-up left out
        deadline = time.perf_counter() + seconds
        # Polled gently, as the check shares the machine with the worker.
        while not settled() and time.perf_counter() < deadline:
            time.sleep(0.5)
        cpu = {pid: used - cpu_before.get(pid, 0.0) for pid, used in cpu_seconds(celery.worker.pid).items()}
        if celery.worker.poll() is not None:
            celery.dump_logs()
            raise SystemExit("the worker died during the bench")
    broker = "Redis" if celery.redis_url else "SQLite (kombu SQLAlchemy transport)"
    main = cpu.pop(celery.worker.pid, 0.0)
    return published, broker, [main, *sorted(cpu.values(), reverse=True)]


def print_worker_cpu(cpu: list[float], elapsed: float, done: int, what: str) -> None:
    main, *pool = cpu
    busy = ", ".join(f"{used / elapsed:.0%}" for used in pool)
    print(
        f"  worker CPU: main process {main / elapsed:.0%} of a core, pool processes {busy};"
        f" {sum(cpu) / max(done, 1) * 1000:.1f} ms of CPU per {what}"
    )


def bench_worker(delivery_ids: list[int], port: int, seconds: float, concurrency: int) -> float:
    """A real Celery worker fed ``send_reminder`` tasks; its processes open their own database
    and SMTP connections. Its time runs from the first claim to the last delivery settled, read
    from the deliveries' timestamps, so neither its start-up nor this process's polling counts.
    """
    settled = [DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN]
    ours = Delivery.objects.filter(pk__in=delivery_ids)

    def publish():
        for delivery_id in delivery_ids:
            tasks.send_reminder.delay(delivery_id)

    published, broker, cpu = run_worker(
        publish,
        lambda: not ours.exclude(status__in=settled).exists(),
        concurrency=concurrency,
        seconds=seconds,
        env={"EMAIL_URL": f"smtp://127.0.0.1:{port}"},
    )
    print(f"publishing: {len(delivery_ids):,} send tasks in {published:.2f} s = {len(delivery_ids) / published:,.0f}/s")
    span = ours.aggregate(first=Min("claimed_at"), last=Max("updated_at"))
    elapsed = (span["last"] - span["first"]).total_seconds()
    sent = ours.filter(status=DeliveryStatus.SENT).count()
    rate = sent / elapsed
    print(
        f"worker: {sent:,} reminders rendered and sent in {elapsed:.2f} s = {rate:,.0f}/s"
        f" (one Celery worker, prefork, concurrency {concurrency}, {broker} broker)"
    )
    print_worker_cpu(cpu, elapsed, sent, "reminder")
    return rate


def bench_worker_ceiling(count: int, seconds: float, concurrency: int) -> float:
    """The same worker running the app's cheapest task, ``heartbeat`` (one row written each):
    what Celery itself costs per task on this broker, the most any task could reach."""
    beats = WorkerHeartbeat.objects.filter(name__startswith="bench-")
    published, broker, cpu = run_worker(
        lambda: [heartbeat.delay(f"bench-{n}") for n in range(count)],
        lambda: beats.count() >= count,
        concurrency=concurrency,
        seconds=seconds,
    )
    span = beats.aggregate(first=Min("beat_at"), last=Max("beat_at"))
    elapsed, done = (span["last"] - span["first"]).total_seconds(), beats.count()
    rate = done / elapsed
    print(f"worker ceiling: {done:,} heartbeat tasks in {elapsed:.2f} s = {rate:,.0f}/s (the same worker and broker)")
    print_worker_cpu(cpu, elapsed, done, "task")
    return rate


def bench_raw(messages: list[tuple[str, list[str], bytes]], port: int, seconds: float, *, reuse: bool) -> float:
    sent = 0
    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=10) if reuse else None
    for sender, recipients, data in messages:
        if reuse:
            smtp.sendmail(sender, recipients, data)
        else:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as one:
                one.sendmail(sender, recipients, data)
        sent += 1
        if time.perf_counter() - started > seconds:
            break
    if smtp is not None:
        smtp.quit()
    elapsed = time.perf_counter() - started
    rate = sent / elapsed
    how = "one connection for all" if reuse else "one connection each"
    print(f"raw smtplib: {sent:,} pre-built messages in {elapsed:.2f} s = {rate:,.0f}/s ({how})")
    return rate


def prebuilt(delivery_ids: list[int], count: int):
    """Messages rendered before the clock starts, from deliveries that are not sent."""
    messages = []
    for delivery in Delivery.objects.select_related("user").filter(pk__in=delivery_ids[:count]):
        message = emails.reminder_message(delivery).message()
        messages.append((settings.DEFAULT_FROM_EMAIL, [delivery.user.email], message.as_bytes(linesep="\r\n")))
    return messages


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--emails", type=int, default=1000, help="how many reminders to send (at most)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit for each sending loop")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes (default 2, as make run)")
    args = parser.parse_args()
    if args.due < 3 * args.emails:
        parser.error(
            "--due must be at least 3 x --emails: the send function, the worker and the raw loops each take their own"
        )
    engine = engines["django"].engine
    assert not settings.DEBUG and not engine.debug, "the bench must run with DEBUG off, as production does"
    cached = any("cached.Loader" in loader[0] for loader in engine.loaders if isinstance(loader, tuple))
    print(f"database: {connection.vendor}; DEBUG off; cached template loader: {'yes' if cached else 'NO'}")
    with throwaway_database("reminders"):
        server, port = start_smtp_server()
        try:
            now = timezone.now()
            fill(args.users, args.due, now)
            queued = bench_dispatch(now)
            reset_queries()
            raw_messages = prebuilt(queued[-args.emails :], args.emails)
            raw_each = bench_raw(raw_messages, port, args.seconds, reuse=False)
            raw_reused = bench_raw(raw_messages, port, args.seconds, reuse=True)
            real = bench_send(queued[: args.emails], port, args.seconds)
            worker = bench_worker(queued[args.emails : 2 * args.emails], port, args.seconds, args.concurrency)
            ceiling = bench_worker_ceiling(args.emails, args.seconds, args.concurrency)
            print(f"ratio worker / raw smtplib, one connection each: {worker / raw_each:.2f} (target >= 0.5)")
            print(f"ratio worker / raw smtplib, one connection for all: {worker / raw_reused:.2f}")
            print(f"ratio send function in one process / raw smtplib, one connection each: {real / raw_each:.2f}")
            print(f"ratio worker ceiling (heartbeats) / raw smtplib, one connection each: {ceiling / raw_each:.2f}")
        finally:
            print(f"SMTP server accepted {stop_smtp_server(server):,} messages in all")


if __name__ == "__main__":
    main()
