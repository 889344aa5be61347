import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tracker.models import Session

from .logs_helpers import make_sessions

TODAY = "2026-06-15"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]


@pytest.fixture
def alice_session(alice, routine):
    return Session.objects.create(user=alice, routine=routine, date=datetime.date(2026, 6, 14), duration_minutes=12)


def valid_payload(**overrides):
    payload = {
        "routine": "test-hip-release",
        "date": TODAY,
        "duration_minutes": 15,
        "steps_completed": 2,
        "pain_before": 6,
        "pain_after": 3,
        "side": "both",
        "notes": "Felt looser afterwards.",
    }
    payload.update(overrides)
    return payload


def list_url():
    return reverse("session-list")


def detail_url(session):
    return reverse("session-detail", args=[session.pk])


# --- Without credentials ----------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_list_and_create_answer_401_without_credentials(api, method):
    response = getattr(api, method)(list_url(), valid_payload() if method == "post" else None)
    assert response.status_code == 401
    assert "Token" in response["WWW-Authenticate"]


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_detail_answers_401_without_credentials(api, alice_session, method):
    response = getattr(api, method)(detail_url(alice_session), valid_payload())
    assert response.status_code == 401
    assert Session.objects.filter(pk=alice_session.pk, duration_minutes=12).exists()


def test_a_bad_token_answers_401(api, alice_session):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(list_url()).status_code == 401


# --- Creating and reading ---------------------------------------------------------


def test_alice_logs_a_session_with_a_routine_slug(alice_api, alice, routine):
    response = alice_api.post(list_url(), valid_payload())
    assert response.status_code == 201, response.data
    session = Session.objects.get(user=alice)
    assert response.data == {
        "id": session.pk,
        "routine": "test-hip-release",
        "date": TODAY,
        "duration_minutes": 15,
        "steps_completed": 2,
        "pain_before": 6,
        "pain_after": 3,
        "side": "both",
        "notes": "Felt looser afterwards.",
        "client_id": None,
    }


def test_a_session_without_routine_is_free_exercises(alice_api, alice):
    response = alice_api.post(list_url(), {"date": TODAY, "duration_minutes": 5, "routine": None})
    assert response.status_code == 201, response.data
    assert response.data["routine"] is None
    assert Session.objects.get(user=alice).routine is None


def test_token_authentication_works(api, alice, routine):
    token = Token.objects.create(user=alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(list_url(), valid_payload())
    assert response.status_code == 201
    assert Session.objects.filter(user=alice).count() == 1


def test_alice_reads_updates_and_deletes_her_session(alice_api, alice_session):
    assert alice_api.get(detail_url(alice_session)).data["duration_minutes"] == 12
    assert alice_api.patch(detail_url(alice_session), {"pain_after": 1}).data["pain_after"] == 1
    response = alice_api.put(detail_url(alice_session), valid_payload(duration_minutes=40, routine=None))
    assert response.status_code == 200, response.data
    alice_session.refresh_from_db()
    assert (alice_session.duration_minutes, alice_session.routine) == (40, None)
    assert alice_api.delete(detail_url(alice_session)).status_code == 204
    assert not Session.objects.filter(pk=alice_session.pk).exists()


def test_the_list_is_paginated_newest_first(alice_api, alice):
    make_sessions(alice, 3, start=datetime.date(2026, 6, 1))
    response = alice_api.get(list_url(), {"page_size": 2})
    assert set(response.data) == {"count", "next", "previous", "results"}
    assert response.data["count"] == 3
    assert [row["date"] for row in response.data["results"]] == ["2026-06-03", "2026-06-02"]
    assert response.data["next"] is not None


def test_the_list_filters_by_range_and_routine(alice_api, alice, routine):
    make_sessions(alice, 10, start=datetime.date(2026, 6, 1))
    make_sessions(alice, 2, routine=routine, start=datetime.date(2026, 6, 4))
    in_range = alice_api.get(list_url(), {"start": "2026-06-03", "end": "2026-06-05"})
    assert sorted(row["date"] for row in in_range.data["results"]) == [
        "2026-06-03",
        "2026-06-04",
        "2026-06-04",
        "2026-06-05",
        "2026-06-05",
    ]
    by_routine = alice_api.get(list_url(), {"routine": "test-hip-release"})
    assert by_routine.data["count"] == 2


def test_a_bad_filter_date_answers_400(alice_api):
    assert alice_api.get(list_url(), {"start": "yesterday"}).status_code == 400


# --- Bob, the outsider ------------------------------------------------------------


def test_bob_does_not_see_alices_sessions_in_his_list(bob_api, alice_session):
    response = bob_api.get(list_url())
    assert response.data["count"] == 0


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_bob_gets_404_for_alices_session(bob_api, alice_session, method):
    response = getattr(bob_api, method)(detail_url(alice_session), valid_payload(duration_minutes=99))
    assert response.status_code == 404
    alice_session.refresh_from_db()
    assert alice_session.duration_minutes == 12


# --- Bad input: a message on the field, nothing stored -----------------------------

INVALID = [
    ("duration_minutes", 0),
    ("duration_minutes", 241),
    ("pain_before", 11),
    ("pain_before", -1),
    ("pain_after", 11),
    ("date", "2026-06-16"),
    ("date", "1899-12-31"),
    ("date", "not-a-date"),
    ("routine", "no-such-routine"),
    ("notes", "x" * 2001),
    ("side", "middle"),
    ("steps_completed", -1),
]


@pytest.mark.parametrize(("field", "value"), INVALID)
def test_an_invalid_field_answers_400_and_stores_nothing(alice_api, routine, field, value):
    response = alice_api.post(list_url(), valid_payload(**{field: value}))
    assert response.status_code == 400
    assert list(response.data) == [field]
    assert Session.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), INVALID)
def test_an_invalid_change_answers_400_and_changes_nothing(alice_api, alice_session, field, value):
    response = alice_api.patch(detail_url(alice_session), {field: value})
    assert response.status_code == 400
    assert field in response.data
    alice_session.refresh_from_db()
    assert (alice_session.date, alice_session.duration_minutes, alice_session.notes) == (
        datetime.date(2026, 6, 14),
        12,
        "",
    )


def test_the_future_message_names_the_users_today(alice_api, routine):
    response = alice_api.post(list_url(), valid_payload(date="2026-06-16"))
    assert "2026-06-15" in str(response.data["date"][0])


def test_a_missing_duration_answers_400(alice_api):
    response = alice_api.post(list_url(), {"date": TODAY})
    assert response.status_code == 400
    assert "duration_minutes" in response.data


# --- Query counts -----------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 500])
def test_the_list_costs_the_same_queries_for_5_and_500_rows(alice_api, alice, routine, rows, django_assert_num_queries):
    make_sessions(alice, rows, routine=routine)
    # One to count, one for the page with its routines.
    with django_assert_num_queries(2):
        response = alice_api.get(list_url(), {"page_size": 1000})
    assert len(response.data["results"]) == rows
