"""Failure drill: SIGKILL the Celery worker in the middle of a batch of due reminders.

    .venv/bin/python bench/drill_worker_kill.py [--users 1000] [--concurrency 2] [--timeout 300]
                                              [--smtp-delay 0.05] [--dispatch-interval 5] [--kill-at 0.33]
                                              [--no-push]

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

Push is in the drill unless --no-push: every user's reminders also go by web push, to a
push service of the drill's own on 127.0.0.1 (tests/push_helpers.py: it checks the VAPID
signature, decrypts each push with the browser's keys, answers after --smtp-delay too, and
410 for a few browsers); the verdict then also checks that no browser got two pushes,
that every push delivery marked sent arrived, and that the gone subscriptions were removed.
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
    from tests.push_helpers import push_service
    from tests.smtp_helpers import smtp_server

    parser = _drill.argument_parser(__doc__)
    parser.add_argument("--kill-at", type=float, default=0.33, help="share of the users' emails before the kill")
    parser.add_argument("--no-push", dest="push", action="store_false", help="email only, no push channel")
    args = parser.parse_args()
    _drill.quiet_smtp_log()

    # --timeout bounds the run from the workers' start to the verdict; the alarm, later, ends a hung stop too.
    _drill.stop_by_itself(args.timeout + 120)
    with contextlib.ExitStack() as stack:
        stack.enter_context(throwaway_database("drill-kill"))
        push, env = None, {}
        if args.push:
            # A key of the drill's own, given to the worker as VAPID_PRIVATE_KEY is in production.
            vapid_key, vapid = _vapid_key()
            push = stack.enter_context(push_service(expected_key=vapid, delay=args.smtp_delay))
            env = _drill.push_env(push, vapid_key)
        expected = _drill.add_due_users(args.users, push=push)
        handler, smtp_port = stack.enter_context(smtp_server(_drill.DrillSMTPHandler(delay=args.smtp_delay)))
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drill-kill-")))
        processes = CeleryProcesses(
            tmp,
            env={**_drill.worker_env(smtp_port, dispatch_interval=args.dispatch_interval), **env},
            concurrency=args.concurrency,
        )
        stack.enter_context(processes)
        broker = f"redis, key prefix {processes.key_prefix}" if processes.redis_url else "SQLite file"
        print(
            f"drill: SIGKILL the worker mid-batch; database {connection.vendor}, broker {broker}, "
            f"{args.users} users due, concurrency {args.concurrency}, SMTP delay {args.smtp_delay} s, "
            f"{'email and push' if push else 'email only'}"
        )
        deadline = _drill.start_and_wait(
            processes, handler=handler, users=args.users, fraction=args.kill_at, timeout=args.timeout
        )
        if deadline is None:
            return 1
        processes.kill_worker()
        at_kill = _drill.statuses()
        received_at_kill, killed_at = handler.received(), time.monotonic()
        pushed_at_kill = push.total() if push else 0
        print(_drill.line(deadline, handler, at_kill) + "  <- worker group killed (SIGKILL)")
        mid_batch = _drill.mid_batch(at_kill, len(expected))
        processes.start_worker()
        print(f"  t={deadline.elapsed():6.1f} s  new worker ready")

        _, settled = _drill.wait_until_settled(len(expected), handler=handler, deadline=deadline, push=push)
        ok = _drill.verdict(
            title="worker SIGKILL mid-batch",
            expected=expected,
            handler=handler,
            concurrency=args.concurrency,
            deadline=deadline,
            settled=settled,
            push=push,
            notes=[
                f"database {connection.vendor}, broker {broker}, concurrency {args.concurrency}",
                f"killed after {received_at_kill} emails and {pushed_at_kill} pushes, with "
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


def _vapid_key() -> tuple[str, str]:
    """(private key, public key), base64url, of a fresh VAPID key pair."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.push_helpers import b64url

    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(private.private_numbers().private_value.to_bytes(32, "big")), b64url(public)


if __name__ == "__main__":
    sys.exit(main())
