"""Failure drill: restart the Redis broker, losing every queued message, during a batch of due reminders.

    .venv/bin/python bench/drill_redis_restart.py [--users 1000] [--concurrency 2] [--timeout 300]
                                                [--smtp-delay 0.05] [--dispatch-interval 5]
                                                [--restart-at 0.33] [--down 5] [--port 6390]

It never touches the machine's Redis (REDIS_URL): it starts a redis-server of its own on
127.0.0.1, on the first free port from --port, without persistence (``--save ""
--appendonly no``) in a temporary directory, and makes it the broker of a real worker
and beat. A throwaway database (SQLite under var/, or a database on DATABASE_URL's
server), an aiosmtpd server on 127.0.0.1 that waits --smtp-delay seconds before each
answer, --users users due now. When about --restart-at of the emails have arrived, the
redis-server is shut down without saving and started again on the same port --down
seconds later, empty: the send tasks still queued are gone, and the dispatcher's
recovery (after 12 s here) must queue them again. The drill waits, at most --timeout
seconds, until every delivery is final, prints the counts and checks that no user got
two emails, that every due slot ended sent, skipped, failed or uncertain, and that at
most --concurrency ended uncertain. Exit status 1 when an invariant fails. Everything
it starts (redis-server, worker, beat, temporary files, the database) is gone when it ends.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import setup_django, throwaway_database


def free_port(first: int) -> int:
    for port in range(first, first + 100):
        with socket.socket() as probe:
            # As redis-server binds: a port whose old connections linger in TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port on 127.0.0.1 from {first} to {first + 99}")


class RedisServer:
    """A throwaway redis-server on loopback, without persistence; a context manager that always stops it."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None
        self.log = directory / "redis.log"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self, timeout: float = 10) -> None:
        import redis

        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self.directory), "--logfile", str(self.log), "--daemonize", "no"]
        # A session of its own: a Ctrl-C meant for the drill reaches it only through stop().
        self.process = subprocess.Popen(args, start_new_session=True)
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"redis-server on port {self.port} did not start:\n{self.tail()}") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        """SHUTDOWN NOSAVE (the queued messages are lost), then KILL if it lingers."""
        import redis

        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(redis.RedisError):
            redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2).shutdown(nosave=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def tail(self, lines: int = 20) -> str:
        text = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return "\n".join(text[-lines:])


def main() -> int:
    setup_django()
    import _drill
    from django.db import connection

    from tests.celery_helpers import CeleryProcesses
    from tests.smtp_helpers import smtp_server

    parser = _drill.argument_parser(__doc__)
    parser.add_argument("--restart-at", type=float, default=0.33, help="share of the emails before the restart")
    parser.add_argument("--down", type=float, default=5, help="seconds Redis stays down (default 5)")
    parser.add_argument("--port", type=int, default=6390, help="first port to try for the drill's redis-server")
    args = parser.parse_args()
    _drill.quiet_smtp_log()
    if shutil.which("redis-server") is None:
        print("drill: needs redis-server on the PATH")
        return 2

    _drill.stop_by_itself(args.timeout + 120)
    with contextlib.ExitStack() as stack:
        stack.enter_context(throwaway_database("drill-redis"))
        expected = _drill.add_due_users(args.users)
        handler, smtp_port = stack.enter_context(smtp_server(_drill.DrillSMTPHandler(delay=args.smtp_delay)))
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drill-redis-")))
        server = stack.enter_context(RedisServer(tmp, free_port(args.port)))
        # The worker, beat and the helper's queue purge all take the broker from REDIS_URL.
        os.environ["REDIS_URL"] = server.url
        processes = CeleryProcesses(
            tmp,
            env=_drill.worker_env(smtp_port, dispatch_interval=args.dispatch_interval),
            concurrency=args.concurrency,
        )
        # Stopped before the redis-server (the stack unwinds in reverse); its keys die with the server.
        stack.callback(processes.stop)
        print(
            f"drill: restart Redis mid-batch; database {connection.vendor}, broker {server.url} (the drill's own), "
            f"{args.users} users due, concurrency {args.concurrency}, SMTP delay {args.smtp_delay} s"
        )

        deadline = _drill.start_and_wait(
            processes, handler=handler, users=args.users, fraction=args.restart_at, timeout=args.timeout
        )
        if deadline is None:
            return 1
        at_stop, queued_messages = _drill.statuses(), queue_length(server, processes.key_prefix)
        server.stop()
        received_at_stop, stopped_at = handler.received(), time.monotonic()
        print(_drill.line(deadline, handler, at_stop) + f"  <- redis-server shut down, {queued_messages} messages lost")
        time.sleep(args.down)
        server.start()
        print(f"  t={deadline.elapsed():6.1f} s  redis-server started again, empty")
        mid_batch = _drill.mid_batch(at_stop, len(expected))

        _, settled = _drill.wait_until_settled(len(expected), handler=handler, deadline=deadline)
        ok = _drill.verdict(
            title="Redis restarted mid-batch, queue lost",
            expected=expected,
            handler=handler,
            concurrency=args.concurrency,
            deadline=deadline,
            settled=settled,
            notes=[
                f"database {connection.vendor}, broker the drill's redis-server, concurrency {args.concurrency}",
                f"shut down after {received_at_stop} emails, with {queued_messages} messages queued, "
                f"{at_stop['sending']} sending and {at_stop['queued'] + at_stop['retrying']} waiting; "
                f"down {args.down:g} s; {'settled' if settled else 'not settled'} "
                f"{time.monotonic() - stopped_at:.1f} s after the shutdown",
                f"tasks queued again by the dispatcher's recovery: {_drill.requeued(processes)}",
            ],
        )
        if not mid_batch:
            print("   the restart landed after the batch: nothing was tested (lower --restart-at)")
            ok = False
        if not ok:
            _drill.fail_with_logs(processes)
            print(f"--- redis.log\n{server.tail()}", file=sys.stderr)
        return 0 if ok else 1


def queue_length(server: RedisServer, prefix: str) -> int:
    import redis

    client = redis.Redis(host="127.0.0.1", port=server.port, socket_timeout=2)
    try:
        return client.llen(f"{prefix}celery")
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
