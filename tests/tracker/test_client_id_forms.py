"""The log forms carry a hidden client_id: submitted twice (a double tap, a resend), a form logs once."""

import re

import pytest
from django.urls import reverse

from tracker.models import PainEntry, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]

TODAY = "2026-06-15"


def client_id_in(page) -> str:
    match = re.search(r'<input type="hidden" name="client_id" value="([0-9a-f-]{36})"', page.content.decode())
    assert match, "no hidden client_id in the form"
    return match.group(1)


@pytest.fixture
def screened_alice(alice):
    alice.screened = True
    alice.save(update_fields=["screened"])
    return alice


def test_each_showing_of_a_form_has_its_own_client_id(alice_client):
    first = client_id_in(alice_client.get(reverse("tracker:pain-new")))
    second = client_id_in(alice_client.get(reverse("tracker:pain-new")))
    assert first != second


def test_the_session_form_submitted_twice_logs_once(alice_client, alice, routine):
    client_id = client_id_in(alice_client.get(reverse("tracker:session-new")))
    form = {"routine": routine.slug, "date": TODAY, "duration_minutes": 12, "client_id": client_id}
    for _ in range(2):
        assert alice_client.post(reverse("tracker:session-new"), form).status_code == 302
    assert Session.objects.filter(user=alice).count() == 1


def test_the_pain_form_submitted_twice_logs_once_and_says_it_was_noted(alice_client, alice):
    client_id = client_id_in(alice_client.get(reverse("tracker:pain-new")))
    form = {"date": TODAY, "score": 4, "context": "rest", "client_id": client_id}
    alice_client.post(reverse("tracker:pain-new"), form)
    again = alice_client.post(reverse("tracker:pain-new"), form, follow=True)
    assert "Pain 4/10 at rest noted" in again.content.decode()
    assert PainEntry.objects.filter(user=alice).count() == 1


def test_the_dashboards_quick_check_in_carries_a_client_id(alice_client):
    client_id_in(alice_client.get(reverse("tracker:dashboard")))


def test_the_players_form_submitted_twice_logs_once(client, screened_alice, routine):
    client.force_login(screened_alice)
    url = reverse("tracker:player", args=[routine.slug])
    client_id = client_id_in(client.get(url))
    form = {"duration_minutes": 9, "steps_completed": 2, "pain_before": 5, "pain_after": 3, "client_id": client_id}
    for _ in range(2):
        assert client.post(url, form).status_code == 302
    assert Session.objects.filter(user=screened_alice).count() == 1


def test_without_a_client_id_the_forms_log_as_before(alice_client, alice, routine):
    form = {"routine": routine.slug, "date": TODAY, "duration_minutes": 12}
    for _ in range(2):
        alice_client.post(reverse("tracker:session-new"), form)
    assert Session.objects.filter(user=alice).count() == 2


def test_the_edit_form_has_no_client_id(alice_client, alice):
    entry = PainEntry.objects.create(user=alice, date=TODAY, score=3, context="rest")
    page = alice_client.get(reverse("tracker:pain-edit", args=[entry.pk])).content.decode()
    assert 'name="client_id"' not in page
