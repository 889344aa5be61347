"""GET /api/v1/progress/ and /api/v1/progress/daily/ through the real URL stack."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .progress_data import history, log, pain, remind_on, routine

D = datetime.date
PARIS_NOON = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
SUMMARY_FIELDS = {
    "start",
    "end",
    "sessions",
    "minutes",
    "active_days",
    "current_streak",
    "longest_streak",
    "warning",
    "adherence",
    "marked_days",
    "outcomes",
    "habit_strength",
    "pain",
    "relief",
    "by_routine",
    "by_muscle",
    "by_chain",
}


def test_progress_has_the_field_names_of_the_product_spec(alice_api, alice):
    back = routine("test-back", "Test back release", "posterior", [["piriformis"]])
    log(alice, D(2026, 3, 30), 12, back, 6, 3)
    pain(alice, D(2026, 3, 30), 4)

    with time_machine.travel(PARIS_NOON, tick=False):
        body = alice_api.get(reverse("api-progress")).json()

    assert set(body) == SUMMARY_FIELDS
    assert set(body["pain"]) == {"average", "first_week_average", "last_week_average", "change", "by_area"}
    assert body["relief"] == {"average_drop": 3.0}
    assert body["by_routine"][0]["routine"] == "test-back"
    assert body["by_muscle"][0]["muscle"] == "piriformis"
    assert [row["chain"] for row in body["by_chain"]] == ["posterior", "anterior", "both"]


def test_progress_defaults_to_the_30_days_ending_today_in_the_users_zone(alice_api):
    # 23:30 UTC on 31 March is already 1 April in Paris.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        body = alice_api.get(reverse("api-progress")).json()
    assert (body["start"], body["end"]) == ("2026-03-03", "2026-04-01")


def test_empty_parameters_mean_the_default_range(alice_api):
    with time_machine.travel(PARIS_NOON, tick=False):
        response = alice_api.get(reverse("api-progress"), {"start": "", "end": ""})
    assert response.status_code == 200
    assert (response.json()["start"], response.json()["end"]) == ("2026-03-02", "2026-03-31")


def test_daily_is_a_bare_list_with_one_row_per_day(alice_api, alice):
    log(alice, D(2026, 3, 31), 20)
    pain(alice, D(2026, 3, 31), 3, "walking")
    pain(alice, D(2026, 3, 31), 6, "night")

    with time_machine.travel(PARIS_NOON, tick=False):
        rows = alice_api.get(reverse("api-progress-daily")).json()

    assert len(rows) == 30
    assert rows[0] == {"date": "2026-03-02", "sessions": 0, "minutes": 0, "pain_average": None}
    assert rows[-1] == {"date": "2026-03-31", "sessions": 1, "minutes": 20, "pain_average": 4.5}


def test_daily_follows_the_given_range(alice_api):
    rows = alice_api.get(reverse("api-progress-daily"), {"start": "2024-02-27", "end": "2024-03-01"}).json()
    assert [row["date"] for row in rows] == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]


@pytest.mark.parametrize("name", ["api-progress", "api-progress-daily"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-03-10", "end": "2026-03-09"}, "end"),
        ({"start": "2020-01-01", "end": "2025-01-01"}, "end"),
        ({"start": "2026-02-30"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"start": "1899-12-31", "end": "1900-01-02"}, "start"),
    ],
)
def test_a_bad_range_answers_400_with_a_message_for_the_field(alice_api, name, params, field):
    response = alice_api.get(reverse(name), params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("name", ["api-progress", "api-progress-daily"])
def test_progress_without_credentials_answers_401(api, name):
    response = api.get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_progress_accepts_a_token(alice):
    log(alice, D(2026, 3, 30))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    with time_machine.travel(PARIS_NOON, tick=False):
        response = client.get(reverse("api-progress"))
    assert (response.status_code, response.json()["sessions"]) == (200, 1)


def test_progress_accepts_the_browser_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("api-progress")).status_code == 200


def test_bobs_sessions_never_count_in_alices_progress(alice_api, bob_api, alice, bob):
    log(alice, D(2026, 3, 30), 10)
    for day in range(2, 32):  # 2–31 March: bob's own 30 days (New York)
        log(bob, D(2026, 3, day), 40, before=8, after=2)
        pain(bob, D(2026, 3, day), 9)

    with time_machine.travel(PARIS_NOON, tick=False):
        mine = alice_api.get(reverse("api-progress")).json()
        rows = alice_api.get(reverse("api-progress-daily")).json()
        theirs = bob_api.get(reverse("api-progress")).json()

    assert (mine["sessions"], mine["minutes"], mine["pain"]["average"], mine["relief"]["average_drop"]) == (
        1,
        10,
        None,
        None,
    )
    assert sum(row["sessions"] for row in rows) == 1
    assert theirs["sessions"] == 30


@pytest.mark.parametrize("years", [0, 3])
def test_the_progress_endpoints_run_the_same_queries_for_30_days_and_3_years(alice, django_assert_num_queries, years):
    end = D(2026, 3, 31)
    start = end - datetime.timedelta(days=29 + 365 * years)
    history(alice, start, end)
    back = routine("test-back", "Test back release", "posterior", [["piriformis"], ["psoas"]])
    alice.sessions.filter(date__gte=end - datetime.timedelta(days=3)).update(routine=back)
    remind_on(alice, [0, 3])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    params = {"start": start.isoformat(), "end": end.isoformat()}

    # token, reminder schedule, session dates, marked days, per-routine rows, muscles, pain averages,
    # pain by area, outcomes, and the pain warning's entries and sessions
    with django_assert_num_queries(11):
        assert client.get(reverse("api-progress"), params).status_code == 200
    # token, sessions per day, pain per day
    with django_assert_num_queries(3):
        assert len(client.get(reverse("api-progress-daily"), params).json()) == (end - start).days + 1
