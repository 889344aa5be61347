"""The outcomes reminder end to end: beat's dispatch and the send through a real worker on the real
broker, to a real SMTP server on loopback."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.celery_helpers import CeleryProcesses, wait_until
from tests.smtp_helpers import RecordingHandler, smtp_server
from tracker.models import DeliveryStatus, OutcomeReminder, ReminderSchedule

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_beat_and_a_worker_send_one_outcomes_reminder(tmp_path):
    user = get_user_model().objects.create_user(
        "carol", "carol@example.com", timezone="Europe/Paris", email_verified=True
    )
    # Reminders on since a minute ago; the daily reminder itself is not due before tomorrow.
    ReminderSchedule.objects.create(
        user=user,
        enabled=True,
        time=(user.local_now() - datetime.timedelta(minutes=1)).time().replace(second=0, microsecond=0),
        next_due_at=timezone.now() + datetime.timedelta(days=1),
    )
    with smtp_server(RecordingHandler()) as (smtp, port):
        env = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "OUTCOME_REMINDER_DISPATCH_INTERVAL": "1"}
        processes = CeleryProcesses(tmp_path, env=env, concurrency=1)
        try:
            with processes:
                processes.start()
                wait_until(
                    lambda: OutcomeReminder.objects.filter(status=DeliveryStatus.SENT).exists(),
                    timeout=60,
                    what="the outcomes reminder sent",
                    processes=processes,
                )
                messages = smtp.wait_for(1, timeout=5)
        finally:
            processes.dump_logs()

    assert [message["To"] for message in messages] == ["carol@example.com"]
    assert OutcomeReminder.objects.count() == 1
