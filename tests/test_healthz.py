import datetime

import pytest
from django.utils import timezone

from backcare.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_healthz_reports_a_stale_worker_without_failing_the_web_check(client):
    WorkerHeartbeat.objects.create(name="worker", beat_at=timezone.now() - datetime.timedelta(minutes=10))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["ok"] is False


def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    from backcare.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_hides_error_details_unless_debug_is_on(client, settings):
    from backcare.celery import app

    settings.DEBUG = False
    original = app.conf.broker_url
    app.conf.broker_url = "redis://secret-host.internal:1/0"
    try:
        body = client.get("/healthz").content.decode()
    finally:
        app.conf.broker_url = original

    assert "secret-host" not in body
    assert '"failing"' in body
