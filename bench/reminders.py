"""Reminders end to end: 10,000 people due at the same minute, from beat's tick to the last email accepted.

    .venv/bin/python bench/reminders.py [--users 100000] [--due 10000] [--raw 2000]
                                        [--concurrency 2] [--send-batch 100] [--timeout 900]

Self-contained: it creates a throwaway test database the way Django's test runner does
(SQLite by default; the server of DATABASE_URL when it is set), fills it, and drops it at
the end. Loopback only. What runs, all on this machine, as in production:

- an SMTP server (aiosmtpd, a process of its own) that counts what it accepts and notes
  when it accepted the first and the last message;
- Celery beat, with the dispatcher on its crontab (second 0 of every minute), and one
  Celery worker (prefork, --concurrency processes, as ``make run`` starts it), on the
  broker the settings name (Redis when REDIS_URL is set, else the embedded SQLite broker).

1. --users people with a schedule; --due of them due at the same minute (the next one
   that begins at least 5 s after the worker and beat are ready), the others later in
   the day.
2. A raw smtplib loop first, on its own, to the same server: --raw pre-built reminders,
   one connection per message (and the same with one connection for all, for reference).
3. Then the pipeline, left alone: beat fires at the due minute, the dispatcher claims the
   due schedules, records the deliveries and queues them in send tasks of --send-batch;
   the worker sends them. The bench waits until every delivery is settled, polling once
   a second.

Prints the seconds from the due minute to the dispatcher's first delivery, to the first
and to the last email accepted by the server; the worker's send rate (sent emails from
its first claim to its last record, from the deliveries' own timestamps); the worker's
CPU per email; and the ratio of its rate to the raw loop's, one connection per message.
Targets: the last email accepted <= 60 s after the due minute; ratio >= 0.5. Django runs
with DEBUG off, as in production.
"""

import argparse
import datetime
import os
import re
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
from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.template import engines  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.celery_helpers import CeleryProcesses  # noqa: E402
from tracker.models import SETTLED, Delivery, DeliveryStatus, ReminderSchedule  # noqa: E402
from tracker.reminders.content import reminder_contexts, reminder_email  # noqa: E402

BATCH = 5000


# The SMTP server runs in a process of its own, as a real one would: in a thread of this
# process it would compete with the bench for the GIL. It prints its port, then, when its
# stdin closes: how many messages it accepted and the wall-clock times of the first and last.
SMTP_SERVER = """
import sys
import time
from aiosmtpd.controller import Controller


class Counting:
    accepted = 0
    first = last = 0.0

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        Counting.accepted += 1
        Counting.first = Counting.first or now
        Counting.last = now
        return "250 2.0.0 Accepted"


class Loopback(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


controller = Loopback(Counting(), hostname="127.0.0.1", port=0, ready_timeout=10)
controller.start()
print(controller.port, flush=True)
for line in sys.stdin:
    print(Counting.accepted, Counting.first, Counting.last, flush=True)
controller.stop()
"""


class SMTPServer:
    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-c", SMTP_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())

    def counts(self) -> tuple[int, float, float]:
        """(messages accepted so far, wall-clock time of the first, of the last)."""
        self.process.stdin.write("?\n")
        self.process.stdin.flush()
        accepted, first, last = self.process.stdout.readline().split()
        return int(accepted), float(first), float(last)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def fill(users: int, due: int, now: datetime.datetime) -> list[int]:
    """Users with a schedule; returns the ids of the ``due`` users whose schedules will fall due together."""
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
    later = now + datetime.timedelta(hours=2)
    for start in range(0, len(ids), BATCH):
        ReminderSchedule.objects.bulk_create(
            ReminderSchedule(
                user_id=user_id,
                enabled=True,
                time=datetime.time(7, 30),
                # Set to the due minute once the worker and beat are up; the others fall due
                # at some minute from two hours on, out of the measured window.
                next_due_at=later + datetime.timedelta(minutes=index % 1440),
            )
            for index, user_id in enumerate(ids[start : start + BATCH], start=start)
        )
    print(f"filled {users:,} users with schedules in {time.perf_counter() - started:.1f} s")
    return ids[:due]


def prebuilt(user_ids: list[int], now: datetime.datetime) -> list[tuple[str, list[str], bytes]]:
    """Real reminders, rendered before the clock starts, for deliveries that are never saved."""
    users = get_user_model().objects.select_related("program").in_bulk(user_ids)
    deliveries = [Delivery(pk=10**9 + n, user=users[pk], slot_at=now) for n, pk in enumerate(user_ids)]
    contexts = reminder_contexts(deliveries)
    messages = []
    for delivery in deliveries:
        message = reminder_email(delivery, contexts[delivery.pk]).message()
        messages.append((settings.DEFAULT_FROM_EMAIL, [delivery.user.email], message.as_bytes(linesep="\r\n")))
    return messages


def bench_raw(messages, port: int, *, reuse: bool) -> float:
    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=10) if reuse else None
    for sender, recipients, data in messages:
        if reuse:
            smtp.sendmail(sender, recipients, data)
        else:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as one:
                one.sendmail(sender, recipients, data)
    if smtp is not None:
        smtp.quit()
    elapsed = time.perf_counter() - started
    rate = len(messages) / elapsed
    how = "one connection for all" if reuse else "one connection per message"
    print(f"raw smtplib: {len(messages):,} pre-built reminders in {elapsed:.2f} s = {rate:,.0f}/s ({how})")
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


def cpu_share(seconds: float = 2.0) -> float:
    """The share of one core this process gets while it spins: about 1 on an idle machine, less when the
    cores are busy with other work (then every figure below is slower than this code can do)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        pass
    return (time.process_time() - cpu_started) / (time.perf_counter() - started)


def next_minute(after: datetime.datetime, *, lead: float = 5.0) -> datetime.datetime:
    """The first start of a minute at least ``lead`` seconds after ``after``."""
    minute = (after + datetime.timedelta(seconds=lead)).replace(second=0, microsecond=0)
    return minute + datetime.timedelta(minutes=1)


def run_pipeline(due_ids: list[int], server: SMTPServer, args) -> dict:
    env = {"EMAIL_URL": f"smtp://127.0.0.1:{server.port}", "REMINDER_SEND_BATCH_SIZE": str(args.send_batch)}
    with (
        tempfile.TemporaryDirectory() as tmp,
        CeleryProcesses(Path(tmp), env=env, concurrency=args.concurrency) as celery,
    ):
        celery.start()
        due_at = next_minute(timezone.now())
        updated = ReminderSchedule.objects.filter(user_id__in=due_ids).update(next_due_at=due_at)
        assert updated == len(due_ids)
        broker = "Redis" if celery.redis_url else "SQLite (kombu SQLAlchemy transport)"
        print(
            f"{updated:,} schedules due at {due_at:%H:%M:%S} UTC; beat (crontab) and one worker ready; broker {broker}"
        )
        time.sleep(max(0.0, (due_at - timezone.now()).total_seconds() - 1))
        cpu_before = cpu_seconds(celery.worker.pid)
        ours = Delivery.objects.filter(slot_at=due_at)
        deadline = time.monotonic() + args.timeout
        # Polled gently, as the check shares the machine with the worker.
        while time.monotonic() < deadline:
            time.sleep(1.0)
            if ours.count() >= len(due_ids) and not ours.exclude(status__in=SETTLED).exists():
                break
        cpu = cpu_seconds(celery.worker.pid)
        log = "\n".join(path.read_text(errors="replace") for path in celery.log_files if "worker" in path.name)
        if os.environ.get("BENCH_WORKER_LOG"):
            Path(os.environ["BENCH_WORKER_LOG"]).write_text(log)
        if celery.worker.poll() is not None:
            celery.dump_logs()
            raise SystemExit("the worker died during the bench")
    cpu = {pid: used - cpu_before.get(pid, 0.0) for pid, used in cpu.items()}
    durations = sorted(float(found) for found in re.findall(r"send_reminders\[[^]]+\] succeeded in ([0-9.]+)s", log))
    return {"due_at": due_at, "main": celery.worker.pid, "cpu": cpu, "task_seconds": durations}


def report(due_ids: list[int], server: SMTPServer, run: dict, raw_each: float, raw_reused: float, args) -> None:
    due_at, start = run["due_at"], run["due_at"].timestamp()
    ours = Delivery.objects.filter(slot_at=due_at)
    counts = {status: ours.filter(status=status).count() for status in DeliveryStatus.values}
    span = ours.aggregate(created=Min("created_at"), last_created=Max("created_at"), claimed=Min("claimed_at"))
    sent = ours.filter(status=DeliveryStatus.SENT)
    last_sent = sent.aggregate(last=Max("sent_at"))["last"]
    accepted, first_accepted, last_accepted = server.counts()
    print(
        "deliveries: "
        + ", ".join(f"{status} {count:,}" for status, count in counts.items() if count)
        + f"; the SMTP server accepted {accepted:,} messages in this run's pipeline"
    )
    print(
        f"dispatcher: first delivery recorded {span['created'].timestamp() - start:.2f} s after the due minute,"
        f" the last {span['last_created'].timestamp() - start:.2f} s after"
    )
    print(f"first email accepted {first_accepted - start:.2f} s after the due minute")
    print(f"LAST EMAIL ACCEPTED {last_accepted - start:.2f} s AFTER THE DUE MINUTE (target <= 60)")
    worker_seconds = (last_sent - span["claimed"]).total_seconds()
    rate = counts[DeliveryStatus.SENT] / worker_seconds
    main_pid = run["main"]
    cpu_total = sum(run["cpu"].values())
    busy = ", ".join(f"{used / worker_seconds:.0%}" for pid, used in sorted(run["cpu"].items()) if pid != main_pid)
    print(
        f"worker: {counts[DeliveryStatus.SENT]:,} reminders sent in {worker_seconds:.2f} s (first claim to last"
        f" record) = {rate:,.0f}/s; prefork, concurrency {args.concurrency}, send batches of {args.send_batch}"
    )
    print(
        f"  worker CPU: main process {run['cpu'][main_pid] / worker_seconds:.0%} of a core, pool processes {busy};"
        f" {cpu_total / max(counts[DeliveryStatus.SENT], 1) * 1000:.2f} ms of CPU per email, dispatching included"
    )
    durations = run["task_seconds"]
    if durations:
        print(
            f"  send tasks: {len(durations)}, each {durations[0]:.2f}-{durations[-1]:.2f} s"
            f" (median {durations[len(durations) // 2]:.2f} s), {sum(durations):.1f} s in all"
        )
    print(f"ratio worker / raw smtplib, one connection per message: {rate / raw_each:.2f} (target >= 0.5)")
    print(f"ratio worker / raw smtplib, one connection for all: {rate / raw_reused:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--raw", type=int, default=2000, help="pre-built reminders for the raw smtplib loops")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's processes (default 2, as make run)")
    parser.add_argument("--send-batch", type=int, default=settings.REMINDER_SEND_BATCH_SIZE, help="deliveries per task")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for every delivery to settle")
    args = parser.parse_args()
    if args.users < args.due + args.raw:
        parser.error("--users must be at least --due + --raw: the raw loops' reminders go to people not due")
    engine = engines["django"].engine
    assert not settings.DEBUG and not engine.debug, "the bench must run with DEBUG off, as production does"
    print(
        f"database: {connection.vendor}; DEBUG off; {os.cpu_count()} CPUs;"
        f" load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())};"
        f" a spinning process gets {cpu_share():.0%} of a core"
    )
    with throwaway_database("reminders"):
        server = SMTPServer()
        try:
            now = timezone.now()
            due_ids = fill(args.users, args.due, now)
            raw_users = list(
                get_user_model()
                .objects.exclude(pk__in=due_ids)
                .order_by("-pk")
                .values_list("pk", flat=True)[: args.raw]
            )
            messages = prebuilt(raw_users, now)
            raw_each = bench_raw(messages, server.port, reuse=False)
            raw_reused = bench_raw(messages, server.port, reuse=True)
            server.stop()
            server = SMTPServer()  # counts the pipeline's messages alone
            run = run_pipeline(due_ids, server, args)
            report(due_ids, server, run, raw_each, raw_reused, args)
            print(
                f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())};"
                f" a spinning process gets {cpu_share():.0%} of a core"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
