"""Real Celery worker and beat processes for tests, on the broker the suite runs with.

Redis when REDIS_URL is set (each run under a key prefix of its own, so runs sharing
one Redis never take each other's tasks), otherwise kombu's SQLAlchemy transport over
a fresh SQLite file under the test's tmp_path. The processes use the test database
(``transaction=True`` tests commit, so they see the rows) and the test's SECRET_KEY.

    with CeleryProcesses(tmp_path, env={"EMAIL_URL": "smtp://127.0.0.1:2525"}) as celery:
        celery.start()                       # prepare_broker, then a worker and beat
        wait_until(lambda: ..., timeout=30, processes=celery)
        celery.kill_worker()                 # SIGKILL to the worker and its pool
        celery.start_worker()

Logs go to files under tmp_path; ``dump_logs()`` prints them (pytest shows what a
test printed only when it fails, so fixtures call it at teardown).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))
STOP_TIMEOUT = 15


def test_database_url() -> str:
    """A DATABASE_URL for the database this test process is using (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{credentials}@" if credentials else ""
        host += db["HOST"] or "localhost"
        if db["PORT"]:
            host += f":{db['PORT']}"
        return f"postgres://{host}/{db['NAME']}"
    raise NotImplementedError(f"no DATABASE_URL for {db['ENGINE']}")


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "", processes=None):
    """Poll ``predicate`` until it returns something truthy; returns it. Fails with the logs at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            logs = processes.tail_logs() if processes is not None else ""
            raise AssertionError(f"waited {timeout} s for {what or predicate}\n{logs}")
        time.sleep(interval)


def holds_for(predicate, *, seconds: float, interval: float = 0.2) -> bool:
    """True when ``predicate`` stays truthy for ``seconds`` (to see that nothing more happens)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not predicate():
            return False
        time.sleep(interval)
    return bool(predicate())


class CeleryProcesses:
    """A worker (restartable) and a beat process; a context manager that always stops them."""

    def __init__(self, tmp_path: Path, *, env: dict | None = None, concurrency: int = 2, loglevel: str = "INFO"):
        self.dir = Path(tmp_path)
        self.concurrency = concurrency
        self.loglevel = loglevel
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.log_files: list[Path] = []
        self._starts = 0
        self.redis_url = os.environ.get("REDIS_URL", "")
        if self.redis_url:
            self.broker_url = self.redis_url
            self.key_prefix = f"test-{uuid.uuid4().hex[:12]}:"
        else:
            self.broker_url = f"sqla+sqlite:///{(self.dir / 'celery-broker.sqlite3').resolve()}"
            self.key_prefix = ""
        self.env = self._environment(env or {})

    def _environment(self, extra: dict) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            # The test process's own settings must not leak into the worker's.
            if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_", "REMINDER_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "backcare.settings.local",
                "DATABASE_URL": test_database_url(),
                "CELERY_BROKER_URL": self.broker_url,
                "SECRET_KEY": settings.SECRET_KEY,
                "SITE_URL": settings.SITE_URL,
                "DEBUG": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.key_prefix:
            env["CELERY_KEY_PREFIX"] = self.key_prefix
        env.update({key: str(value) for key, value in extra.items()})
        return env

    # --- Starting and stopping -------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
        self._forget_redis_keys()

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        self._starts += 1
        log = self.dir / f"{self._starts:02d}-{name}.log"
        self.log_files.append(log)
        with open(log, "wb") as out:
            # A session of its own: the worker and its pool children form one process group.
            return subprocess.Popen(
                args, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def prepare_broker(self) -> None:
        """Declare the queues once (see backcare/management/commands/prepare_broker.py) and purge them."""
        done = subprocess.run(
            [sys.executable, "manage.py", "prepare_broker"],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"prepare_broker failed:\n{done.stdout}\n{done.stderr}"
        self._purge()

    def _purge(self) -> None:
        if not self.redis_url:
            return  # a fresh broker file holds no message
        from kombu import Connection

        with Connection(self.broker_url, transport_options={"global_keyprefix": self.key_prefix}) as conn:
            conn.default_channel.queue_purge("celery")

    def _forget_redis_keys(self) -> None:
        if not self.redis_url:
            return
        import redis

        client = redis.Redis.from_url(self.redis_url)
        keys = list(client.scan_iter(match=f"{self.key_prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()

    def start(self, *, beat: bool = True, ready_timeout: float = 45) -> None:
        self.prepare_broker()
        self.start_worker(ready_timeout=ready_timeout)
        if beat:
            self.start_beat(ready_timeout=ready_timeout)

    def start_worker(self, *, ready_timeout: float = 45) -> subprocess.Popen:
        assert self.worker is None or self.worker.poll() is not None, "a worker is already running"
        args = [CELERY, "-A", "backcare", "worker", "--loglevel", self.loglevel, "--concurrency", str(self.concurrency)]
        args += ["--pool", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        args += ["--hostname", f"test-worker-{self._starts + 1}@%h"]
        self.worker = self._spawn("worker", args)
        log = self.log_files[-1]
        wait_until(
            lambda: self._ready(self.worker, log, " ready."), timeout=ready_timeout, what="the worker", processes=self
        )
        return self.worker

    def start_beat(self, *, ready_timeout: float = 45) -> subprocess.Popen:
        # A fresh schedule file: one left from an earlier run would fire every overdue entry at start.
        schedule = self.dir / f"celerybeat-schedule-{self._starts + 1}"
        args = [CELERY, "-A", "backcare", "beat", "--loglevel", self.loglevel, "--schedule", str(schedule)]
        self.beat = self._spawn("beat", args)
        log = self.log_files[-1]
        wait_until(
            lambda: self._ready(self.beat, log, "beat: Starting"), timeout=ready_timeout, what="beat", processes=self
        )
        return self.beat

    def _ready(self, process: subprocess.Popen, log: Path, marker: str) -> bool:
        if process.poll() is not None:
            raise AssertionError(f"{log.name} exited with {process.returncode}\n{self.tail_logs()}")
        return marker in log.read_text(errors="replace")

    def kill_worker(self) -> None:
        """SIGKILL the worker and its pool at once, as a crash or the OOM killer would."""
        assert self.worker is not None
        self._kill_group(self.worker)
        self.worker.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """TERM to each main process, wait, then KILL whatever is left of their groups."""
        running = [process for process in (self.beat, self.worker) if process is not None]
        # TERM to the main process only: TERM to the whole group at once has left a
        # worker's main process hung in the pool's finaliser.
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            self._kill_group(process)  # pool children included
            process.wait(timeout=STOP_TIMEOUT)

    @staticmethod
    def _kill_group(process: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    # --- Publishing from the test process --------------------------------------------------

    def publish_here(self):
        """Point this process's Celery app at the same broker (for a test that sends tasks itself).

        Returns a function that undoes it.
        """
        from backcare.celery import app

        saved = (app.conf.broker_url, app.conf.broker_transport_options)
        options = {**saved[1], "global_keyprefix": self.key_prefix} if self.redis_url else {}
        self._repoint(app, self.broker_url, options)
        return lambda: self._repoint(app, *saved)

    @staticmethod
    def _repoint(app, url, options) -> None:
        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url
        app.conf.broker_transport_options = options

    # --- Logs ---------------------------------------------------------------------------------

    def tail_logs(self, lines: int = 60) -> str:
        parts = []
        for log in self.log_files:
            text = log.read_text(errors="replace").splitlines() if log.exists() else []
            parts.append(f"--- {log.name} (last {lines} lines)\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)

    def dump_logs(self) -> None:
        for log in self.log_files:
            print(f"===== {log}")
            print(log.read_text(errors="replace") if log.exists() else "(no log)")
