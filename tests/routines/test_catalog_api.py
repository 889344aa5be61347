import pytest
from django.urls import reverse

from routines.models import Exercise, Muscle, Routine

pytestmark = pytest.mark.django_db

MUSCLE_CHAINS = {
    "gluteus-medius": "posterior",
    "gluteus-minimus": "posterior",
    "piriformis": "posterior",
    "tensor-fasciae-latae": "anterior",
    "iliacus": "anterior",
    "psoas": "anterior",
    "quadratus-lumborum": "both",
}


def test_muscles_list_all_seven_with_their_chains_without_logging_in(api):
    response = api.get("/api/v1/muscles/")

    assert response.status_code == 200
    assert {row["slug"]: row["chain"] for row in response.json()["results"]} == MUSCLE_CHAINS


def test_muscle_detail_is_found_by_slug(api):
    body = api.get("/api/v1/muscles/psoas/").json()

    assert body["name"] == "Psoas major"
    assert set(body) >= {"slug", "name", "chain", "summary"}


def test_unknown_muscle_answers_404(api):
    assert api.get("/api/v1/muscles/biceps/").status_code == 404


def test_exercises_filter_by_muscle_and_kind(api):
    response = api.get("/api/v1/exercises/", {"muscle": "piriformis", "kind": "stretch", "page_size": 1000})

    rows = response.json()["results"]
    assert rows
    assert all(row["kind"] == "stretch" and "piriformis" in row["muscles"] for row in rows)
    assert len(rows) == Exercise.objects.filter(muscles__slug="piriformis", kind="stretch").count()


def test_exercise_carries_instructions_and_dose(api):
    row = api.get("/api/v1/exercises/", {"kind": "stretch"}).json()["results"][0]

    assert isinstance(row["instructions"], list) and len(row["instructions"]) >= 3
    assert set(row["dose"]) == {"hold_seconds", "repetitions", "sides"}


def test_exercises_reject_an_unknown_kind(api):
    response = api.get("/api/v1/exercises/", {"kind": "yoga"})

    assert response.status_code == 400
    assert "kind" in response.json()


def test_routines_filter_by_chain(api):
    rows = api.get("/api/v1/routines/", {"chain": "anterior"}).json()["results"]

    assert rows
    assert {row["chain"] for row in rows} == {"anterior"}


def test_routines_filter_by_muscle_lists_each_routine_once(api):
    rows = api.get("/api/v1/routines/", {"muscle": "quadratus-lumborum", "page_size": 1000}).json()["results"]

    slugs = [row["slug"] for row in rows]
    assert "ql-release" in slugs
    assert len(slugs) == len(set(slugs))
    assert all("quadratus-lumborum" in row["muscles"] for row in rows)


def test_routine_detail_has_ordered_steps_and_an_estimate(api):
    body = api.get("/api/v1/routines/walking-relief/").json()

    assert body["estimated_minutes"] <= 10
    assert [step["order"] for step in body["steps"]] == sorted(step["order"] for step in body["steps"])
    assert {"exercise", "dose", "seconds"} <= set(body["steps"][0])


def test_routine_estimate_is_computed_from_its_steps(api):
    routine = Routine.objects.with_steps().get(slug="ql-release")
    body = api.get("/api/v1/routines/ql-release/").json()

    assert body["estimated_minutes"] * 60 >= sum(step["seconds"] for step in body["steps"]) > 0
    assert body["estimated_minutes"] == routine.estimated_minutes


def test_programs_list_days_per_week(api):
    body = api.get("/api/v1/programs/flexible-back/").json()

    assert body["weeks"] >= 4
    assert len(body["days"]) == body["weeks"] * 7
    assert set(body["days"][0]) == {"week", "day", "routine"}


def test_routine_list_runs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        api.get("/api/v1/routines/", {"page_size": 1000})


def test_catalog_is_read_only(api, alice_api):
    assert api.post("/api/v1/muscles/", {"slug": "x"}).status_code in {401, 403, 405}
    assert alice_api.delete("/api/v1/muscles/psoas/").status_code == 405
    assert Muscle.objects.filter(slug="psoas").exists()


@pytest.mark.parametrize(
    "url_name,args",
    [
        ("routines:catalog", []),
        ("routines:self-check", []),
        ("routines:muscle", ["piriformis"]),
        ("routines:routine", ["ql-release"]),
        ("routines:program", ["strong-back"]),
    ],
)
def test_catalog_pages_are_public(client, url_name, args):
    assert client.get(reverse(url_name, args=args)).status_code == 200


def test_exercise_page_shows_every_step_and_the_caution(client):
    exercise = Exercise.objects.filter(kind="massage", muscles__slug="psoas").first()

    page = client.get(reverse("routines:exercise", args=[exercise.slug])).content.decode()

    assert all(line in page for line in exercise.steps)
    assert "Caution" in page
