"""A dose that follows you: the rule at its edges (tracker.dose.suggest), and through the player:
suggested, accepted or declined, then used."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from tracker.dose import EASIER, LONGER, Dose, step_doses, suggest
from tracker.models import Delivery, PersonalDose, Session
from tracker.reminders.content import reminder_message

from .logs_helpers import NOW

STRETCH, MASSAGE, STRENGTH = "stretch", "massage", "strength"
CALM = [(5, 4), (4, 4), (6, 3)]  # three sessions, none raised the pain


# --- The rule ----------------------------------------------------------------------


def test_three_calm_sessions_suggest_15_seconds_more():
    suggestion = suggest(kind=STRETCH, dose=Dose(30, 2), recent=CALM)

    assert (suggestion.direction, suggestion.dose) == (LONGER, Dose(45, 2))


def test_two_calm_sessions_suggest_nothing():
    assert suggest(kind=STRETCH, dose=Dose(30, 2), recent=CALM[:2]) is None


def test_a_rise_of_one_point_among_the_three_suggests_nothing():
    assert suggest(kind=STRETCH, dose=Dose(30, 2), recent=[(4, 4), (4, 5), (6, 3)]) is None


def test_a_session_without_both_scores_breaks_the_row():
    assert suggest(kind=STRETCH, dose=Dose(30, 2), recent=[(4, 4), (None, 3), (6, 3)]) is None


@pytest.mark.parametrize(
    ("kind", "hold", "expected"),
    [(STRETCH, 50, 60), (STRETCH, 60, None), (MASSAGE, 60, 75), (MASSAGE, 110, 120), (MASSAGE, 120, None)],
)
def test_a_longer_hold_stops_at_60_s_for_stretches_and_120_s_for_self_massage(kind, hold, expected):
    suggestion = suggest(kind=kind, dose=Dose(hold, 1), recent=CALM)

    assert (suggestion.dose.hold_seconds if suggestion else None) == expected


def test_repetitions_grow_by_two():
    suggestion = suggest(kind=STRENGTH, dose=Dose(None, 10), recent=CALM)

    assert (suggestion.direction, suggestion.dose) == (LONGER, Dose(None, 12))


@pytest.mark.parametrize(("before", "after", "expected"), [(3, 5, Dose(15, 2)), (3, 4, None)])
def test_a_session_2_points_worse_suggests_an_easier_dose(before, after, expected):
    suggestion = suggest(kind=STRETCH, dose=Dose(30, 2), recent=[(before, after), *CALM])

    assert (suggestion.dose if suggestion and suggestion.direction == EASIER else None) == expected


def test_the_easier_dose_never_goes_below_one_repetition():
    assert suggest(kind=STRENGTH, dose=Dose(None, 1), recent=[(2, 6)]) is None


# --- Through the player -------------------------------------------------------------


@pytest.fixture
def calm_history(alice, routine):
    alice.screened = True  # the player asks the health screen first
    alice.save(update_fields=["screened"])
    for day in (12, 13, 14):
        Session.objects.create(
            user=alice,
            routine=routine,
            date=datetime.date(2026, 6, day),
            duration_minutes=5,
            pain_before=5,
            pain_after=4,
        )
    return routine


def player_steps(client, routine):
    page = client.get(reverse("tracker:player", args=[routine.slug])).content.decode()
    data = page.split('<script id="routine-data" type="application/json">')[1].split("</script>")[0]
    return page, json.loads(data)["steps"]


@pytest.mark.usefixtures("at_logs_now")
def test_the_player_suggests_and_then_uses_an_accepted_dose(alice_client, alice, calm_history):
    stretch = calm_history.steps.get(order=0).exercise
    page, steps = player_steps(alice_client, calm_history)
    assert "Try holding 45 s instead of 30 s." in page
    assert steps[0]["hold_seconds"] == 30

    alice_client.post(reverse("tracker:dose-accept", args=[calm_history.slug, stretch.slug]))

    page, steps = player_steps(alice_client, calm_history)
    assert PersonalDose.objects.get(user=alice, exercise=stretch).hold_seconds == 45
    assert steps[0]["hold_seconds"] == 45
    assert "Try holding 60 s" not in page  # the count starts again


@pytest.mark.usefixtures("at_logs_now")
def test_a_declined_suggestion_keeps_the_dose_and_waits_for_three_more_sessions(alice_client, alice, calm_history):
    stretch = calm_history.steps.get(order=0).exercise

    alice_client.post(reverse("tracker:dose-decline", args=[calm_history.slug, stretch.slug]))

    page, steps = player_steps(alice_client, calm_history)
    assert steps[0]["hold_seconds"] == 30
    assert "Try holding 45 s" not in page
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        for _ in range(3):
            Session.objects.create(
                user=alice,
                routine=calm_history,
                date=datetime.date(2026, 6, 15),
                duration_minutes=5,
                pain_before=4,
                pain_after=4,
            )
        assert "Try holding 45 s" in player_steps(alice_client, calm_history)[0]


@pytest.mark.usefixtures("at_logs_now")
def test_accepting_without_a_suggestion_changes_nothing(alice_client, alice, routine):
    stretch = routine.steps.get(order=0).exercise

    alice_client.post(reverse("tracker:dose-accept", args=[routine.slug, stretch.slug]))

    assert not PersonalDose.objects.exists()


@pytest.mark.usefixtures("at_logs_now")
def test_bobs_sessions_never_suggest_alices_dose(bob, alice, calm_history):
    Session.objects.filter(user=alice).update(user=bob)

    assert all(row["suggestion"] is None for row in step_doses(alice, calm_history))


@pytest.mark.usefixtures("at_logs_now")
def test_the_routine_page_shows_the_suggestion(alice_client, calm_history):
    page = alice_client.get(reverse("routines:routine", args=[calm_history.slug])).content.decode()

    assert "Try holding 45 s instead of 30 s." in page


# --- The API's routine detail ----------------------------------------------------------


def first_step(client, routine):
    return client.get(reverse("routine-detail", args=[routine.slug])).json()["steps"][0]


@pytest.mark.usefixtures("at_logs_now")
def test_the_routine_detail_gives_alice_her_suggestion_and_then_her_dose(alice_api, alice_client, calm_history):
    stretch = calm_history.steps.get(order=0).exercise
    step = first_step(alice_api, calm_history)
    assert step["dose_suggestion"] == {
        "direction": "longer",
        "hold_seconds": 45,
        "repetitions": 2,
        "reason": "Your last 3 sessions did not raise your pain.",
    }

    alice_client.post(reverse("tracker:dose-accept", args=[calm_history.slug, stretch.slug]))

    step = first_step(alice_api, calm_history)
    assert (step["dose"]["hold_seconds"], step["dose_suggestion"]) == (45, None)


@pytest.mark.usefixtures("at_logs_now")
def test_anyone_else_gets_the_catalogs_dose(api, bob_api, calm_history):
    for client in (api, bob_api):
        step = first_step(client, calm_history)
        assert (step["dose"]["hold_seconds"], step["dose_suggestion"]) == (30, None)


# --- The reminder email -------------------------------------------------------------------


@pytest.mark.usefixtures("at_logs_now")
def test_the_reminder_counts_the_accepted_dose_and_announces_a_waiting_one(alice, alice_client, calm_history):
    stretch = calm_history.steps.get(order=0).exercise
    delivery = Delivery.objects.create(user=alice, slot_at=NOW)
    before = reminder_message(delivery)
    assert "A new dose is waiting for you in the player: Stretch 0, Bridge 1." in before.body

    alice_client.post(reverse("tracker:dose-accept", args=[calm_history.slug, stretch.slug]))
    after = reminder_message(Delivery.objects.create(user=alice, slot_at=NOW + datetime.timedelta(days=1)))

    # the stretch, held on each side twice, now 15 s longer each time: 60 s more, one more minute
    minutes = calm_history.estimated_minutes
    assert f"about {minutes} minutes" in before.body
    assert f"about {minutes + 1} minutes" in after.body
    assert "A new dose is waiting for you in the player: Bridge 1." in after.body
