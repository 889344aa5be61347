"""The outcomes form, the marked-days page (with a flare day's suggestion) and the factors on the
pain check-in: through real URLs, own rows only."""

import datetime

import pytest
from django.urls import reverse

from tracker.models import DayMark, Outcome, PainEntry

TODAY = datetime.date(2026, 6, 15)

pytestmark = pytest.mark.usefixtures("at_logs_now")


def outcome_data(**overrides):
    data = {"date": "2026-06-15", "walking_minutes": "12", "standing_minutes": "8"}
    for n, (activity, score) in enumerate([("Garden", 3), ("Carry shopping", 4), ("Cook a meal", 6)], start=1):
        data[f"activity_{n}"], data[f"score_{n}"] = activity, str(score)
    return {**data, **overrides}


def test_alice_records_her_outcomes_on_the_form(alice_client, alice):
    response = alice_client.post(reverse("tracker:outcome-new"), outcome_data())

    assert response.status_code == 302
    outcome = Outcome.objects.get(user=alice)
    assert (outcome.walking_minutes, outcome.psfs_score) == (12, 4.33)


def test_the_form_refuses_two_activities_and_stores_nothing(alice_client, alice):
    response = alice_client.post(reverse("tracker:outcome-new"), outcome_data(activity_3="", score_3=""))

    assert response.status_code == 200
    assert "Name between 3 and 5 activities." in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_rated_activity_needs_a_name(alice_client, alice):
    response = alice_client.post(reverse("tracker:outcome-new"), outcome_data(activity_4="", score_4="5"))

    assert "Name the activity you rated." in response.content.decode()
    assert not Outcome.objects.exists()


def test_the_next_form_offers_the_same_activities(alice_client, alice):
    alice_client.post(reverse("tracker:outcome-new"), outcome_data(date="2026-06-01"))

    page = alice_client.get(reverse("tracker:outcome-new")).content.decode()

    assert 'value="Carry shopping"' in page


def test_bob_cannot_edit_alices_outcome(bob_client, alice):
    made = Outcome.objects.create(user=alice, date=TODAY, walking_minutes=5, standing_minutes=5, psfs=[])

    assert bob_client.get(reverse("tracker:outcome-edit", args=[made.pk])).status_code == 404


def test_the_outcomes_page_shows_the_change_and_the_charts(alice_client, alice):
    alice_client.post(reverse("tracker:outcome-new"), outcome_data(date="2026-06-01", walking_minutes="10"))
    alice_client.post(reverse("tracker:outcome-new"), outcome_data(walking_minutes="20"))

    page = alice_client.get(reverse("tracker:outcomes")).content.decode()

    assert "<td>10</td><td>20</td><td>+10</td><td>yes</td>" in page
    assert "a meaningful gain reaches 15" in page


# --- Marked days ------------------------------------------------------------------


def test_marking_a_flare_day_suggests_the_gentlest_routine_and_the_plan(alice_client, alice):
    response = alice_client.post(reverse("tracker:day-marks"), {"date": "2026-06-15", "kind": "flare"}, follow=True)

    page = response.content.decode()
    assert DayMark.objects.get(user=alice).kind == "flare"
    assert "A flare-up plan" in page
    assert reverse("routines:routine", args=["easing-day"]) in page


def test_a_flare_two_days_ago_no_longer_shows_the_plan(alice_client, alice):
    response = alice_client.post(reverse("tracker:day-marks"), {"date": "2026-06-13", "kind": "flare"}, follow=True)

    assert "A flare-up plan" not in response.content.decode()


def test_a_rest_day_shows_no_flare_plan(alice_client, alice):
    response = alice_client.post(reverse("tracker:day-marks"), {"date": "2026-06-15", "kind": "rest"}, follow=True)

    assert "A flare-up plan" not in response.content.decode()


def test_a_second_mark_on_a_date_is_refused_on_the_page(alice_client, alice):
    DayMark.objects.create(user=alice, date=TODAY, kind="rest")

    response = alice_client.post(reverse("tracker:day-marks"), {"date": "2026-06-15", "kind": "away"})

    assert "already marked" in response.content.decode()
    assert DayMark.objects.get(user=alice).kind == "rest"


def test_bob_cannot_remove_alices_mark(bob_client, alice):
    mark = DayMark.objects.create(user=alice, date=TODAY, kind="rest")

    assert bob_client.post(reverse("tracker:day-mark-remove", args=[mark.pk])).status_code == 404
    assert DayMark.objects.filter(pk=mark.pk).exists()


def test_pages_need_a_login(client):
    for name in ("tracker:outcomes", "tracker:outcome-new", "tracker:day-marks", "tracker:report"):
        assert client.get(reverse(name)).status_code == 302


# --- Factors on the pain check-in ----------------------------------------------------


def test_the_pain_form_stores_the_ticked_factors(alice_client, alice):
    data = {
        "date": "2026-06-15",
        "score": "5",
        "context": "standing",
        "notes": "",
        "factors": ["poor-sleep", "lifting"],
    }

    alice_client.post(reverse("tracker:pain-new"), data)

    assert PainEntry.objects.get(user=alice).factors == ["poor-sleep", "lifting"]
