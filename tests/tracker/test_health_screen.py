"""The health screen and the advanced techniques: what a person may be shown, everywhere it is shown.

One decision (routines.screening.visible_steps) behind the routine page, the player, today's
routine, the reminder email and the API; these tests go through each of them.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from routines.models import Routine
from tracker.models import Delivery, ReminderSchedule

from .logs_helpers import make_program
from .reminders_helpers import send_one

pytestmark = pytest.mark.django_db

ANTERIOR = "anterior-chain-release"
POSTERIOR = "posterior-chain-release"
ADVANCED = ["iliacus-release", "psoas-release"]
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)  # Friday 07:30 in Paris
TODAY = datetime.date(2026, 6, 12)


def declare(user, *conditions, advanced_ack=False):
    user.conditions = list(conditions)
    user.screened = True
    user.advanced_ack = advanced_ack
    user.save(update_fields=["conditions", "screened", "advanced_ack"])


def exercise_slugs(steps):
    return [step.exercise.slug for step in steps]


def follow_anterior_program(user):
    user.program = make_program(routine=Routine.objects.get(slug=ANTERIOR))
    user.program_started_on = TODAY
    user.save(update_fields=["program", "program_started_on"])


# --- A person who declared pregnancy ---------------------------------------------------------


def test_pregnancy_leaves_the_fingertip_releases_out_of_the_routine_page_and_says_why(alice_client, alice):
    declare(alice, "pregnancy")
    response = alice_client.get(reverse("routines:routine", args=[ANTERIOR]))
    shown = exercise_slugs(response.context["shown"].steps)
    assert "tfl-ball-release" not in shown  # lying face down on a ball: also out in pregnancy
    assert not set(ADVANCED) & set(shown)
    assert "half-kneeling-hip-flexor-stretch" in shown
    left_out = {item.exercise: item.reasons for item in response.context["left_out"]}
    assert left_out["psoas-release"] == ("pregnancy", "advanced")
    assert left_out["iliacus-release"] == ("pregnancy", "advanced")
    content = response.content.decode()
    assert "Psoas fingertip release: left out because you told us about: pregnancy" in content
    assert "Fingertip pressure deep in the belly is not safe in pregnancy." in content


def test_pregnancy_leaves_the_fingertip_releases_out_of_the_player(alice_client, alice):
    declare(alice, "pregnancy")
    response = alice_client.get(reverse("tracker:player", args=[ANTERIOR]))
    names = [step["name"] for step in response.context["data"]["steps"]]
    assert "Psoas fingertip release" not in names and "Iliacus fingertip release" not in names
    assert "Half-kneeling hip flexor stretch" in names
    assert {item.exercise for item in response.context["left_out"]} >= set(ADVANCED)
    assert "Iliacus fingertip release: left out because you told us about: pregnancy" in response.content.decode()


def test_pregnancy_leaves_the_fingertip_releases_out_of_todays_routine_on_the_dashboard(alice_client, alice):
    declare(alice, "pregnancy")
    follow_anterior_program(alice)
    with time_machine.travel(SLOT, tick=False):
        response = alice_client.get(reverse("tracker:dashboard"))
    assert response.context["routine"].slug == ANTERIOR
    assert not set(ADVANCED) & set(exercise_slugs(response.context["shown"].steps))
    assert {item.exercise for item in response.context["shown"].left_out} >= set(ADVANCED)
    assert "Psoas fingertip release: left out because you told us about: pregnancy" in response.content.decode()


def test_pregnancy_leaves_the_fingertip_releases_out_of_the_reminder_email(alice):
    declare(alice, "pregnancy")
    follow_anterior_program(alice)
    ReminderSchedule.objects.update_or_create(user=alice, defaults={"enabled": True, "time": datetime.time(7, 30)})
    delivery = Delivery.objects.create(user=alice, slot_at=SLOT)
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        assert send_one(delivery.pk) == "sent"
    text = mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    for part in (text, html):
        assert "Half-kneeling hip flexor stretch" in part
        assert "Psoas fingertip release: left out because you told us about: pregnancy" in part
        assert "Iliacus fingertip release: left out because you told us about: pregnancy" in part
    steps_listed = text.split("Start it with the guided player")[0]
    assert "Psoas fingertip release\n" not in steps_listed and ". Psoas fingertip release" not in steps_listed


def test_pregnancy_leaves_the_fingertip_releases_out_of_the_api_routine(alice_api, alice):
    declare(alice, "pregnancy")
    body = alice_api.get(f"/api/v1/routines/{ANTERIOR}/").json()
    assert not set(ADVANCED) & {step["exercise"] for step in body["steps"]}
    left_out = {item["exercise"]: item["reasons"] for item in body["left_out"]}
    assert left_out["psoas-release"] == ["pregnancy", "advanced"]
    assert left_out["iliacus-release"] == ["pregnancy", "advanced"]


def test_an_anonymous_api_caller_gets_every_step_and_nothing_left_out(api):
    body = api.get(f"/api/v1/routines/{ANTERIOR}/").json()
    assert set(ADVANCED) <= {step["exercise"] for step in body["steps"]}
    assert body["left_out"] == []


# --- Advanced techniques ----------------------------------------------------------------------


def test_without_conditions_or_advanced_ack_no_advanced_exercise_is_ever_shown(alice_client, alice_api, alice):
    declare(alice)
    for routine in Routine.objects.all():
        page = alice_client.get(reverse("routines:routine", args=[routine.slug]))
        assert not set(ADVANCED) & set(exercise_slugs(page.context["shown"].steps)), routine.slug
        player = alice_client.get(reverse("tracker:player", args=[routine.slug]))
        names = {step["name"] for step in player.context["data"]["steps"]}
        assert not {"Psoas fingertip release", "Iliacus fingertip release"} & names, routine.slug
        api_steps = {step["exercise"] for step in alice_api.get(f"/api/v1/routines/{routine.slug}/").json()["steps"]}
        assert not set(ADVANCED) & api_steps, routine.slug
    left_out = alice_api.get(f"/api/v1/routines/{ANTERIOR}/").json()["left_out"]
    assert left_out == [
        {"exercise": "iliacus-release", "reasons": ["advanced"]},
        {"exercise": "psoas-release", "reasons": ["advanced"]},
    ]


def test_an_anonymous_visitor_sees_no_advanced_technique_on_the_routine_page(client):
    response = client.get(reverse("routines:routine", args=[ANTERIOR]))
    assert not set(ADVANCED) & set(exercise_slugs(response.context["shown"].steps))
    assert "Psoas fingertip release: left out as an advanced technique" in response.content.decode()


def test_advanced_ack_shows_the_fingertip_releases_in_their_advanced_routine(alice_api, alice):
    declare(alice, advanced_ack=True)
    body = alice_api.get(f"/api/v1/routines/{ANTERIOR}/").json()
    assert set(ADVANCED) <= {step["exercise"] for step in body["steps"]}
    assert body["left_out"] == []


def test_advanced_ack_does_not_override_a_condition(alice_api, alice):
    declare(alice, "blood-thinners", advanced_ack=True)
    left_out = {i["exercise"]: i["reasons"] for i in alice_api.get(f"/api/v1/routines/{ANTERIOR}/").json()["left_out"]}
    assert left_out["psoas-release"] == ["blood-thinners"]


def test_the_exercise_api_gives_level_avoid_with_and_the_variants(api):
    body = api.get("/api/v1/exercises/psoas-release/").json()
    assert body["level"] == "advanced"
    assert body["avoid_with"] == [
        "pregnancy",
        "blood-thinners",
        "recent-surgery",
        "abdominal-aortic-aneurysm",
        "hernia",
    ]
    assert body["easier"] and body["harder"]
    assert api.get("/api/v1/exercises/glute-bridge/").json()["avoid_with"] == []


# --- A hip replacement --------------------------------------------------------------------------


def test_a_hip_replacement_leaves_out_the_crossing_and_deep_bending_stretches_of_the_posterior_routine(
    alice_client, alice
):
    declare(alice, "hip-replacement")
    response = alice_client.get(reverse("tracker:player", args=[POSTERIOR]))
    names = [step["name"] for step in response.context["data"]["steps"]]
    assert names == ["Piriformis ball release"]
    assert {item.exercise for item in response.context["left_out"]} == {
        "gluteus-medius-ball-release",
        "gluteus-minimus-ball-release",
        "figure-four-stretch",
        "knee-to-opposite-shoulder",
        "crossed-leg-knee-drop",
    }


# --- The screen itself ------------------------------------------------------------------------------


def test_the_player_sends_a_person_never_screened_to_the_screen_first(alice_client, alice):
    player = reverse("tracker:player", args=[POSTERIOR])
    response = alice_client.get(player)
    assert response.status_code == 302
    assert response.url == f"{reverse('health-screen')}?next={player.replace('/', '%2F')}"


def test_answering_the_screen_returns_to_the_player_and_leaves_the_declared_exercises_out(alice_client, alice):
    player = reverse("tracker:player", args=[POSTERIOR])
    response = alice_client.post(reverse("health-screen"), {"conditions": ["hip-replacement"], "next": player})
    assert response.url == player
    alice.refresh_from_db()
    assert (alice.screened, alice.conditions, alice.advanced_ack) == (True, ["hip-replacement"], False)
    assert alice_client.get(player).status_code == 200


def test_none_of_these_is_an_answer(alice_client, alice):
    alice_client.post(reverse("health-screen"), {"none": "on"})
    alice.refresh_from_db()
    assert (alice.screened, alice.conditions) == (True, [])


@pytest.mark.parametrize(
    "answers", [{}, {"conditions": ["pregnancy"], "none": "on"}, {"conditions": ["bad-knees"]}], ids=str
)
def test_an_empty_contradictory_or_unknown_answer_is_refused_and_nothing_is_stored(alice_client, alice, answers):
    response = alice_client.post(reverse("health-screen"), answers)
    assert response.status_code == 200
    assert response.context["form"].errors
    alice.refresh_from_db()
    assert (alice.screened, alice.conditions) == (False, [])


def test_the_screen_refuses_a_next_address_on_another_site(alice_client):
    response = alice_client.post(reverse("health-screen"), {"none": "on", "next": "https://evil.example/"})
    assert response.url == reverse("profile")


def test_the_profile_api_sets_conditions_and_marks_the_person_screened(alice_api, alice):
    response = alice_api.patch(
        "/api/v1/profile/", {"conditions": ["hernia", "pregnancy"], "advanced_ack": True}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["conditions"], response.json()["screened"]) == (["pregnancy", "hernia"], True)
    assert response.json()["advanced_ack"] is True


def test_the_profile_api_refuses_an_unknown_condition_and_stores_nothing(alice_api, alice):
    response = alice_api.patch("/api/v1/profile/", {"conditions": ["pregnancy", "bad-knees"]}, format="json")
    assert response.status_code == 400
    assert "conditions" in response.json()
    alice.refresh_from_db()
    assert (alice.screened, alice.conditions) == (False, [])


def test_screened_is_read_only_in_the_api(alice_api, alice):
    alice_api.patch("/api/v1/profile/", {"screened": True}, format="json")
    alice.refresh_from_db()
    assert alice.screened is False


def test_the_profile_page_shows_the_declared_conditions_and_the_screen_to_change_them(alice_client, alice):
    declare(alice, "osteoporosis")
    content = alice_client.get(reverse("profile")).content.decode()
    assert "You told us about: osteoporosis." in content
    assert f'action="{reverse("health-screen")}"' in content
