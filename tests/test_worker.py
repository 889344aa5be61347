"""A real Celery worker process takes a task off the configured broker and runs it.

Redis when REDIS_URL is set, kombu's SQLAlchemy transport over SQLite otherwise; no
eager mode: the task is published by this process and executed by another.
"""

import sqlite3
import uuid

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection

from backcare.celery import app
from backcare.models import WorkerHeartbeat
from backcare.tasks import heartbeat, prune_broker
from tests.celery_helpers import CeleryProcesses, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_on_the_configured_broker_runs_a_published_task(tmp_path):
    assert not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    name = f"round-trip-{uuid.uuid4().hex[:8]}"

    with CeleryProcesses(tmp_path) as celery:
        celery.start(beat=False)
        undo = celery.publish_here()
        try:
            heartbeat.delay(name)
        finally:
            undo()
        beat = wait_until(
            lambda: WorkerHeartbeat.objects.filter(name=name).first(),
            timeout=30,
            what="the heartbeat",
            processes=celery,
        )

    assert beat.beat_at is not None
    expected_transport = "redis" if settings.REDIS_URL else "sqla+sqlite"
    assert celery.broker_url.startswith(expected_transport)


def _worker_connections() -> dict:
    """{backend pid: when it connected} for the other connections to the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's list of connections")
def test_a_worker_keeps_its_database_connection_from_one_task_to_the_next(tmp_path):
    # Celery on its own closes Django's connections around every task; backcare/celery.py keeps
    # them for CONN_MAX_AGE, as Django does between requests.
    def run(name):
        heartbeat.delay(name)
        wait_until(lambda: WorkerHeartbeat.objects.filter(name=name).exists(), timeout=30, processes=celery)

    others = _worker_connections()  # this process may hold more than one (threads of earlier tests)
    with CeleryProcesses(tmp_path, concurrency=1) as celery:
        celery.start(beat=False)
        undo = celery.publish_here()
        try:
            run("first")
            after_first = _worker_connections()
            run("second")
            run("third")
            after_third = _worker_connections()
        finally:
            undo()

    workers = {pid: started for pid, started in after_first.items() if pid not in others}
    assert len(workers) == 1, (others, after_first)
    assert {pid: started for pid, started in after_third.items() if pid not in others} == workers


def test_the_embedded_broker_is_polled_every_50_ms(tmp_path):
    # kombu's default, once a second, held a busy worker to about two tasks a second.
    with app.connection_for_write(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}") as broker:
        assert broker.transport.polling_interval == 0.05


def test_the_embedded_broker_file_is_in_wal_mode_with_normal_sync(tmp_path):
    # In SQLite's default rollback journal, publishing and fetching locked each other out.
    path = tmp_path / "broker.sqlite3"
    # kombu's own Connection: the app's would add the Redis transport options when REDIS_URL is set.
    with Connection(f"sqla+sqlite:///{path}") as broker:
        engine, _ = broker.default_channel._open()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    # WAL mode is kept in the file itself: any other program opening it uses it too.
    with sqlite3.connect(path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="the embedded broker only: Redis deletes what it hands out")
def test_a_worker_running_prune_broker_empties_the_embedded_broker_of_handed_out_messages(tmp_path):
    with CeleryProcesses(tmp_path) as celery:
        celery.start(beat=False)
        undo = celery.publish_here()
        try:
            for n in range(3):
                heartbeat.delay(f"prune-{n}")
            wait_until(
                lambda: WorkerHeartbeat.objects.filter(name__startswith="prune-").count() == 3,
                timeout=30,
                what="the heartbeats",
                processes=celery,
            )
            with sqlite3.connect(celery.dir / "celery-broker.sqlite3") as broker:
                handed_out = "SELECT COUNT(*) FROM kombu_message WHERE visible = 0"
                assert broker.execute(handed_out).fetchone()[0] >= 3
                prune_broker.delay(keep_hours=0)  # its own message, handed out before it runs, goes too
                wait_until(
                    lambda: broker.execute(handed_out).fetchone()[0] == 0,
                    timeout=30,
                    what="the pruning",
                    processes=celery,
                )
        finally:
            undo()
