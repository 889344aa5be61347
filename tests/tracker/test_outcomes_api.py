"""/api/v1/outcomes/ and /api/v1/day-marks/: own rows only, bad input refused with nothing stored,
and the progress API's ``outcomes`` and ``marked_days`` (PRODUCT.md §4.5)."""

import datetime

import pytest
from django.urls import reverse

from tracker.models import DayMark, Outcome

TODAY = "2026-06-15"
PSFS = [
    {"activity": "Carry the shopping", "score": 3},
    {"activity": "Garden", "score": 4},
    {"activity": "Walk the dog", "score": 5},
]

pytestmark = pytest.mark.usefixtures("at_logs_now")


def payload(**overrides):
    return {"date": TODAY, "walking_minutes": 10, "standing_minutes": 15, "psfs": PSFS, **overrides}


def outcome(user, day, walking=10, standing=15, scores=(3, 4, 5)):
    rows = [{"activity": f"Activity {n}", "score": score} for n, score in enumerate(scores)]
    return Outcome.objects.create(user=user, date=day, walking_minutes=walking, standing_minutes=standing, psfs=rows)


def test_alice_records_her_outcomes_and_reads_the_psfs_mean(alice_api, alice):
    response = alice_api.post(reverse("outcome-list"), payload(), format="json")

    assert response.status_code == 201, response.data
    assert response.data["psfs_score"] == 4.0
    assert Outcome.objects.get(user=alice).psfs[0] == {"activity": "Carry the shopping", "score": 3}


@pytest.mark.parametrize(
    "bad",
    [
        {"psfs": PSFS[:2]},
        {"psfs": PSFS + [{"activity": f"More {n}", "score": 1} for n in range(3)]},
        {"psfs": [*PSFS[:2], {"activity": "Climb stairs", "score": 11}]},
        {"psfs": [*PSFS[:2], {"activity": "Garden", "score": 2}]},
        {"walking_minutes": -1},
        {"standing_minutes": 721},
        {"date": "2026-06-16"},
    ],
    ids=["two-rows", "six-rows", "score-11", "same-activity-twice", "negative-minutes", "too-many-minutes", "future"],
)
def test_bad_outcomes_answer_400_and_store_nothing(alice_api, alice, bad):
    response = alice_api.post(reverse("outcome-list"), payload(**bad), format="json")

    assert response.status_code == 400
    assert set(response.data) <= {"psfs", "walking_minutes", "standing_minutes", "date"}
    assert not Outcome.objects.filter(user=alice).exists()


def test_a_second_outcome_on_one_date_is_refused(alice_api, alice):
    outcome(alice, datetime.date(2026, 6, 15))

    response = alice_api.post(reverse("outcome-list"), payload(), format="json")

    assert response.status_code == 400
    assert "date" in response.data
    assert Outcome.objects.filter(user=alice).count() == 1


def test_alice_changes_one_psfs_score(alice_api, alice):
    made = outcome(alice, datetime.date(2026, 6, 1))
    rows = [{"activity": "Activity 0", "score": 9}, *made.psfs[1:]]

    response = alice_api.patch(reverse("outcome-detail", args=[made.pk]), {"psfs": rows}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["psfs_score"] == 6.0


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_bobs_id_answers_404_for_alice(alice_api, bob, method):
    made = outcome(bob, datetime.date(2026, 6, 1))

    response = getattr(alice_api, method)(reverse("outcome-detail", args=[made.pk]), payload(), format="json")

    assert response.status_code == 404
    assert Outcome.objects.get(pk=made.pk).walking_minutes == 10


def test_the_list_shows_only_alices_outcomes(alice_api, alice, bob):
    outcome(alice, datetime.date(2026, 6, 1))
    outcome(bob, datetime.date(2026, 6, 2))

    body = alice_api.get(reverse("outcome-list")).json()

    assert [row["date"] for row in body["results"]] == ["2026-06-01"]


@pytest.mark.parametrize("name", ["outcome-list", "day-mark-list"])
def test_lists_answer_401_without_credentials(api, name):
    assert api.get(reverse(name)).status_code == 401
    assert api.post(reverse(name), {}).status_code == 401


@pytest.mark.parametrize("rows", [5, 200])
def test_the_outcome_list_costs_the_same_queries_for_5_and_200_rows(alice_api, alice, rows, django_assert_num_queries):
    Outcome.objects.bulk_create(
        Outcome(
            user=alice,
            date=datetime.date(2026, 6, 15) - datetime.timedelta(days=n),
            walking_minutes=5,
            standing_minutes=5,
            psfs=PSFS,
        )
        for n in range(rows)
    )
    # count, page
    with django_assert_num_queries(2):
        assert alice_api.get(reverse("outcome-list"), {"page_size": 1000}).status_code == 200


# --- Day marks --------------------------------------------------------------------


def test_alice_marks_a_flare_day(alice_api, alice):
    response = alice_api.post(reverse("day-mark-list"), {"date": TODAY, "kind": "flare"}, format="json")

    assert response.status_code == 201, response.data
    assert DayMark.objects.get(user=alice).kind == "flare"


def test_a_second_mark_on_one_date_answers_400(alice_api, alice):
    DayMark.objects.create(user=alice, date=datetime.date(2026, 6, 15), kind="rest")

    response = alice_api.post(reverse("day-mark-list"), {"date": TODAY, "kind": "away"}, format="json")

    assert response.status_code == 400
    assert "date" in response.data
    assert list(DayMark.objects.filter(user=alice).values_list("kind", flat=True)) == ["rest"]


@pytest.mark.parametrize("bad", [{"kind": "holiday"}, {"date": "2026-06-16"}, {"date": "1899-12-31"}])
def test_a_bad_mark_answers_400_and_stores_nothing(alice_api, alice, bad):
    response = alice_api.post(reverse("day-mark-list"), {"date": TODAY, "kind": "rest", **bad}, format="json")

    assert response.status_code == 400
    assert not DayMark.objects.filter(user=alice).exists()


def test_bob_cannot_delete_alices_mark(bob_api, alice):
    mark = DayMark.objects.create(user=alice, date=datetime.date(2026, 6, 15), kind="rest")

    assert bob_api.delete(reverse("day-mark-detail", args=[mark.pk])).status_code == 404
    assert DayMark.objects.filter(pk=mark.pk).exists()


def test_alice_removes_her_mark(alice_api, alice):
    mark = DayMark.objects.create(user=alice, date=datetime.date(2026, 6, 15), kind="rest")

    assert alice_api.delete(reverse("day-mark-detail", args=[mark.pk])).status_code == 204
    assert not DayMark.objects.filter(pk=mark.pk).exists()


# --- In the progress API ------------------------------------------------------------


def test_progress_summarises_the_first_and_latest_outcomes_of_the_range(alice_api, alice):
    outcome(alice, datetime.date(2026, 5, 18), walking=10, standing=20, scores=(2, 3, 4))  # PSFS 3
    outcome(alice, datetime.date(2026, 6, 1), walking=12, standing=22, scores=(3, 3, 3))
    outcome(alice, datetime.date(2026, 6, 15), walking=16, standing=24, scores=(4, 5, 6))  # PSFS 5
    DayMark.objects.create(user=alice, date=datetime.date(2026, 6, 3), kind="flare")

    body = alice_api.get(reverse("api-progress"), {"start": "2026-05-17", "end": TODAY}).json()

    assert body["outcomes"] == {
        # +6 minutes and +60 %: meaningful
        "walking_minutes": {"first": 10, "latest": 16, "change": 6, "meaningful": True},
        # +4 minutes (20 %): not
        "standing_minutes": {"first": 20, "latest": 24, "change": 4, "meaningful": False},
        # +2 points: meaningful
        "psfs": {"first": 3.0, "latest": 5.0, "change": 2.0, "meaningful": True},
    }
    assert body["marked_days"] == 1


def test_progress_outcomes_are_null_with_fewer_than_two(alice_api, alice):
    outcome(alice, datetime.date(2026, 6, 1))

    body = alice_api.get(reverse("api-progress"), {"start": "2026-05-17", "end": TODAY}).json()

    assert body["outcomes"]["psfs"] == {"first": None, "latest": None, "change": None, "meaningful": None}


@pytest.mark.parametrize("rows", [5, 200])
def test_the_day_mark_list_costs_the_same_queries_for_5_and_200_rows(alice_api, alice, rows, django_assert_num_queries):
    DayMark.objects.bulk_create(
        DayMark(user=alice, date=datetime.date(2026, 6, 15) - datetime.timedelta(days=n), kind="rest")
        for n in range(rows)
    )
    # count, page
    with django_assert_num_queries(2):
        assert len(alice_api.get(reverse("day-mark-list"), {"page_size": 1000}).json()["results"]) == rows
