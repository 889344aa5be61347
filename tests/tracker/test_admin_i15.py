"""The admin lists of "is it working": an outcomes reminder that failed is visible, and each list opens."""

import datetime

import pytest
from django.urls import reverse

from tracker.models import DeliveryStatus, OutcomeReminder


@pytest.fixture
def admin_client_with_failure(admin_client, alice):
    OutcomeReminder.objects.create(
        user=alice, due_on=datetime.date(2026, 6, 15), status=DeliveryStatus.FAILED, error="550 5.1.1 No such user here"
    )
    return admin_client


def test_a_failed_outcomes_reminder_shows_its_error(admin_client_with_failure):
    page = admin_client_with_failure.get(reverse("admin:tracker_outcomereminder_changelist")).content.decode()

    assert "550 5.1.1 No such user here" in page


@pytest.mark.parametrize("model", ["outcome", "daymark", "reportlink", "personaldose", "experiment"])
def test_each_list_opens(admin_client, model):
    assert admin_client.get(reverse(f"admin:tracker_{model}_changelist")).status_code == 200
