"""Failure drill: SIGKILL the Celery worker in the middle of a batch of due reminders.

    .venv/bin/python bench/drill_worker_kill.py [--users 1000] [--concurrency 2] [--timeout 300]
                                              [--smtp-delay 0.05] [--dispatch-interval 5] [--kill-at 0.33]

A throwaway database (SQLite under var/, or a database on DATABASE_URL's server), a
broker (Redis under a key prefix of its own when REDIS_URL is set, else a fresh SQLite
broker file in a temporary directory), an aiosmtpd server on 127.0.0.1 that waits
--smtp-delay seconds before each answer, --users users due now, a real worker and beat
(the dispatcher every --dispatch-interval seconds, recovery after 12 s). When about --kill-at of the emails
have arrived, the worker's whole process group gets SIGKILL, as from the OOM killer;
a new worker starts. The drill waits, at most --timeout seconds, until every delivery
is final, then prints the counts and checks that no user got two emails, that every
due slot ended sent, skipped, failed or uncertain, and that at most --concurrency ended
uncertain. Exit status 1 when an invariant fails. Loopback only; everything it starts
(processes, temporary files, the database) is gone when it ends.
"""

import contextlib
import sys
import tempfile
import time
from pathlib import Path

from _common import setup_django, throwaway_database


def main() -> int:
    setup_django()
    import _drill
    from django.db import connection

    from tests.celery_helpers import CeleryProcesses
    from tests.smtp_helpers import smtp_server

    parser = _drill.argument_parser(__doc__)
    parser.add_argument("--kill-at", type=float, default=0.33, help="share of the users' emails before the kill")
    args = parser.parse_args()
    _drill.quiet_smtp_log()

    # --timeout bounds the run from the workers' start to the verdict; the alarm, later, ends a hung stop too.
    _drill.stop_by_itself(args.timeout + 120)
    with contextlib.ExitStack() as stack:
        stack.enter_context(throwaway_database("drill-kill"))
        expected = _drill.add_due_users(args.users)
        handler, smtp_port = stack.enter_context(smtp_server(_drill.DrillSMTPHandler(delay=args.smtp_delay)))
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drill-kill-")))
        processes = CeleryProcesses(
            tmp,
            env=_drill.worker_env(smtp_port, dispatch_interval=args.dispatch_interval),
            concurrency=args.concurrency,
        )
        stack.enter_context(processes)
        broker = f"redis, key prefix {processes.key_prefix}" if processes.redis_url else "SQLite file"
        print(
            f"drill: SIGKILL the worker mid-batch; database {connection.vendor}, broker {broker}, "
            f"{args.users} users due, concurrency {args.concurrency}, SMTP delay {args.smtp_delay} s"
        )
        deadline = _drill.start_and_wait(
            processes, handler=handler, users=args.users, fraction=args.kill_at, timeout=args.timeout
        )
        if deadline is None:
            return 1
        processes.kill_worker()
        at_kill = _drill.statuses()
        received_at_kill, killed_at = handler.received(), time.monotonic()
        print(_drill.line(deadline, handler, at_kill) + "  <- worker group killed (SIGKILL)")
        mid_batch = _drill.mid_batch(at_kill, args.users)
        processes.start_worker()
        print(f"  t={deadline.elapsed():6.1f} s  new worker ready")

        _, settled = _drill.wait_until_settled(args.users, handler=handler, deadline=deadline)
        ok = _drill.verdict(
            title="worker SIGKILL mid-batch",
            expected=expected,
            handler=handler,
            concurrency=args.concurrency,
            deadline=deadline,
            settled=settled,
            notes=[
                f"database {connection.vendor}, broker {broker}, concurrency {args.concurrency}",
                f"killed after {received_at_kill} emails, with "
                f"{at_kill['sending']} sending and {at_kill['queued'] + at_kill['retrying']} waiting; "
                f"{'settled' if settled else 'not settled'} {time.monotonic() - killed_at:.1f} s after the kill",
                f"tasks queued again by the dispatcher's recovery: {_drill.requeued(processes)}",
            ],
        )
        if not mid_batch:
            print("   the kill landed after the batch: nothing was tested (lower --kill-at)")
            ok = False
        if not ok:
            _drill.fail_with_logs(processes)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
