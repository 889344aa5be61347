"""The admin shows every delivery and its fate, so that a failure is visible."""

import datetime

import pytest
from django.urls import reverse

from tracker.models import ContentItem, Delivery, DeliveryStatus, ReminderSchedule

SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)


@pytest.fixture
def failed(alice):
    return Delivery.objects.create(
        user=alice, slot_at=SLOT, status=DeliveryStatus.FAILED, attempts=1, error="550 5.1.1 No such user here"
    )


def test_a_failed_delivery_shows_with_its_error(admin_client, failed):
    response = admin_client.get(reverse("admin:tracker_delivery_changelist"))
    assert response.status_code == 200
    assert "550 5.1.1 No such user here" in response.content.decode()


def test_deliveries_filter_by_status(admin_client, failed, bob):
    Delivery.objects.create(user=bob, slot_at=SLOT, status=DeliveryStatus.SENT)
    response = admin_client.get(reverse("admin:tracker_delivery_changelist"), {"status__exact": "failed"})
    assert [delivery.pk for delivery in response.context["cl"].result_list] == [failed.pk]


def test_deliveries_are_read_only(admin_client, failed):
    response = admin_client.post(reverse("admin:tracker_delivery_change", args=[failed.pk]), {"status": "sent"})
    failed.refresh_from_db()
    assert response.status_code == 403
    assert failed.status == DeliveryStatus.FAILED


def test_content_items_can_be_switched_off_from_the_list(admin_client, db):
    ContentItem.objects.all().delete()
    item = ContentItem.objects.create(kind="tip", title="Walk tall", body="…", order=1)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(item.pk),
        "form-0-order": "1",
        "_save": "Save",
    }
    admin_client.post(reverse("admin:tracker_contentitem_changelist"), data)
    item.refresh_from_db()
    assert not item.active


def test_saving_a_schedule_in_the_admin_recomputes_its_next_reminder(admin_client, alice):
    schedule = ReminderSchedule.objects.create(user=alice)
    data = {"user": alice.pk, "enabled": "on", "time": "07:30", "days": ["0"], "skip_if_done": "on"}
    response = admin_client.post(reverse("admin:tracker_reminderschedule_change", args=[schedule.pk]), data)
    schedule.refresh_from_db()
    assert response.status_code == 302
    assert schedule.next_due_at is not None
    assert schedule.next_due_at.astimezone(alice.zone).strftime("%a %H:%M") == "Mon 07:30"
