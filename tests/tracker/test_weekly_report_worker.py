"""The weekly report end to end: beat's dispatch and the send through a real worker on the real broker, to a
real SMTP server on loopback; one email, whose figures are the progress API's for the same weeks."""

import datetime
import email.policy
import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.celery_helpers import CeleryProcesses, holds_for, wait_until
from tests.smtp_helpers import RecordingHandler, smtp_server
from tracker.models import Delivery, DeliveryStatus, PainEntry, ReminderSchedule, Session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def html_part(message) -> str:
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    return parsed.get_body(preferencelist=("html",)).get_content()


def test_beat_and_a_worker_send_one_weekly_report_with_the_progress_apis_figures(tmp_path):
    user = get_user_model().objects.create_user(
        "dana", "dana@example.com", timezone="Europe/Paris", email_verified=True
    )
    local = user.local_now()
    today = local.date()
    for days, before, after in [(0, 5, 3), (3, 6, 4), (9, 6, 5)]:
        Session.objects.create(
            user=user,
            date=today - datetime.timedelta(days=days),
            duration_minutes=12,
            pain_before=before,
            pain_after=after,
        )
    for days, score in [(1, 3), (2, 5), (8, 6)]:
        PainEntry.objects.create(user=user, date=today - datetime.timedelta(days=days), score=score, context="rest")
    # Daily reminders off; the weekly report on, on today's weekday, its slot this minute: due now.
    ReminderSchedule.objects.create(
        user=user,
        enabled=False,
        weekly_report=True,
        weekly_report_day=today.weekday(),
        time=local.time().replace(second=0, microsecond=0),
        next_due_at=local.replace(second=0, microsecond=0),
    )
    with smtp_server(RecordingHandler()) as (smtp, port):
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "REMINDER_DISPATCH_INTERVAL": "1"}
        processes = CeleryProcesses(tmp_path, env=env, concurrency=1)
        try:
            with processes:
                processes.start()
                wait_until(
                    lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).exists(),
                    timeout=60,
                    what="the weekly report sent",
                    processes=processes,
                )
                (message,) = smtp.wait_for(1, timeout=5)
                # Beat keeps dispatching every second: nothing more arrives.
                assert holds_for(lambda: len(smtp.received_by("dana@example.com")) == 1, seconds=3)
        finally:
            processes.dump_logs()

    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.status) == ("weekly", DeliveryStatus.SENT)
    api = APIClient()
    api.force_authenticate(user)
    week = api.get("/api/v1/progress/", {"start": today - datetime.timedelta(days=6), "end": today}).json()
    two_weeks = api.get("/api/v1/progress/", {"start": today - datetime.timedelta(days=13), "end": today}).json()
    html = html_part(message)
    assert (int(figure(html, "sessions")), int(figure(html, "minutes"))) == (week["sessions"], week["minutes"])
    assert figure(html, "pain") == f"{two_weeks['pain']['last_week_average']:g}/10"
    assert "Your week with Backcare" in message["Subject"]
