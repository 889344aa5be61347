"""A real Celery worker process takes a task off the configured broker and runs it.

Redis when REDIS_URL is set, kombu's SQLAlchemy transport over SQLite otherwise; no
eager mode: the task is published by this process and executed by another.
"""

import uuid

import pytest
from django.conf import settings

from backcare.models import WorkerHeartbeat
from backcare.tasks import heartbeat
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
