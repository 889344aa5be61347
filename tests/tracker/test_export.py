"""GET /api/v1/export/?format=csv|json: every session, pain entry and self-check of the user, and only theirs."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tracker import logs
from tracker.models import DayMark, Outcome, PainEntry

from .progress_data import log, pain, routine

D = datetime.date


def download(client, format):
    response = client.get(reverse("api-export"), {"format": format})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def alices_logs(alice, bob):
    back = routine("test-back", "Test back release", "posterior", [["piriformis"]])
    sessions = [
        log(alice, D(2026, 3, 1), 20, back, 6, 4),
        log(alice, D(2026, 3, 2), 5, None, None, None),
    ]
    sessions[1].notes = 'Felt "tight", then better,\nsecond line; é'
    sessions[1].save()
    entries = [pain(alice, D(2026, 3, 1), 5, "walking"), pain(alice, D(2026, 3, 1), 2, "night")]
    log(bob, D(2026, 3, 1), 30)
    pain(bob, D(2026, 3, 1), 9)
    return sessions, entries


def test_csv_export_has_one_row_per_session_and_pain_entry_of_the_user(alice_api, alices_logs):
    sessions, entries = alices_logs
    response, text = download(alice_api, "csv")

    rows = list(csv.DictReader(io.StringIO(text)))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [(row["type"], int(row["id"])) for row in rows] == [
        *[("session", s.pk) for s in sessions],
        *[("pain", e.pk) for e in entries],
    ]


def test_csv_export_keeps_every_value(alice_api, alices_logs):
    _, text = download(alice_api, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))

    first, second, walking = rows[0], rows[1], rows[2]
    assert (first["date"], first["routine"], first["duration_minutes"], first["pain_before"], first["pain_after"]) == (
        "2026-03-01",
        "test-back",
        "20",
        "6",
        "4",
    )
    assert (second["routine"], second["pain_before"], second["notes"]) == (
        "",
        "",
        'Felt "tight", then better,\nsecond line; é',
    )
    assert (walking["score"], walking["context"], walking["duration_minutes"]) == ("5", "walking", "")


def test_json_export_is_an_array_of_every_record_of_the_user(alice_api, alices_logs):
    sessions, entries = alices_logs
    response, text = download(alice_api, "json")

    records = json.loads(text)

    assert response["Content-Type"] == "application/json"
    assert [(record["type"], record["id"]) for record in records] == [
        *[("session", s.pk) for s in sessions],
        *[("pain", e.pk) for e in entries],
    ]
    assert records[0]["routine"] == "test-back"
    assert records[2] | {"created_at": None, "updated_at": None} == {
        "type": "pain",
        "id": entries[0].pk,
        "date": "2026-03-01",
        "score": 5,
        "context": "walking",
        "side": "",
        "areas": [],
        "notes": "",
        "factors": [],
        "created_at": None,
        "updated_at": None,
    }


def test_a_saved_self_check_is_exported_in_both_formats_and_never_to_another_user(alice_api, bob_api, alice, bob):
    with time_machine.travel(datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC), tick=False):
        check = logs.self_check_save(user=alice, pelvis="arch", causes=["poor-posture", "inactivity"])
    pain(alice, D(2026, 3, 1), 5)
    pain(bob, D(2026, 3, 1), 9)

    rows = list(csv.DictReader(io.StringIO(download(alice_api, "csv")[1])))
    assert [row["type"] for row in rows] == ["pain", "self_check"]
    assert {key: rows[1][key] for key in ("id", "date", "pelvis", "causes", "chain", "score", "routine")} == {
        "id": str(check.pk),
        "date": "2026-03-05",
        "pelvis": "arch",
        "causes": "poor-posture;inactivity",
        "chain": check.chain,
        "score": "",
        "routine": "",
    }
    assert rows[0]["pelvis"] == rows[0]["causes"] == rows[0]["chain"] == ""

    records = json.loads(download(alice_api, "json")[1])
    assert records[1] | {"created_at": None} == {
        "type": "self_check",
        "id": check.pk,
        "date": "2026-03-05",
        "pelvis": "arch",
        "causes": ["poor-posture", "inactivity"],
        "chain": check.chain,
        "created_at": None,
    }

    assert [record["type"] for record in json.loads(download(bob_api, "json")[1])] == ["pain"]
    assert "self_check" not in download(bob_api, "csv")[1]


def test_an_export_with_nothing_logged_is_empty_but_valid(alice_api):
    assert json.loads(download(alice_api, "json")[1]) == []
    assert download(alice_api, "csv")[1].splitlines()[0].startswith("type,id,date,routine")


@pytest.mark.parametrize("format", ["csv", "json"])
def test_the_export_is_a_streamed_attachment(alice_api, alice, format):
    response, _ = download(alice_api, format)
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="backcare-alice-')
    assert response["Content-Disposition"].endswith(f'.{format}"')


@pytest.mark.parametrize("params", [{}, {"format": "xml"}, {"format": "api"}])
def test_an_unknown_format_answers_400(alice_api, params):
    response = alice_api.get(reverse("api-export"), params)
    assert response.status_code == 400
    assert list(response.json()) == ["format"]


def test_the_export_without_credentials_answers_401(api):
    assert api.get(reverse("api-export"), {"format": "csv"}).status_code == 401


def test_the_export_works_with_a_token_and_with_the_browser_session(client, alice, alices_logs):
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    client.force_login(alice)

    assert len(json.loads(download(token_client, "json")[1])) == 4
    assert len(json.loads(download(client, "json")[1])) == 4


def test_bob_cannot_export_alices_data(bob_api, alices_logs):
    records = json.loads(download(bob_api, "json")[1])
    assert [(record["type"], record["date"]) for record in records] == [
        ("session", "2026-03-01"),
        ("pain", "2026-03-01"),
    ]
    bobs_sessions = {record["id"] for record in records if record["type"] == "session"}
    assert bobs_sessions.isdisjoint({session.pk for session in alices_logs[0]})


@pytest.mark.parametrize("notes", ['=HYPERLINK("http://x.example")', "+1+2", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR"])
def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_starts_with_a_quote(alice_api, alice, notes):
    PainEntry.objects.create(user=alice, date=D(2026, 3, 1), score=5, context="walking", notes=notes)

    rows = list(csv.DictReader(io.StringIO(download(alice_api, "csv")[1])))

    assert rows[0]["notes"] == "'" + notes


def test_the_json_export_keeps_a_formula_like_note_unchanged(alice_api, alice):
    PainEntry.objects.create(user=alice, date=D(2026, 3, 1), score=5, context="walking", notes="=1+1")

    assert json.loads(download(alice_api, "json")[1])[0]["notes"] == "=1+1"


def test_text_that_only_contains_formula_characters_is_exported_as_written(alice_api, alice):
    PainEntry.objects.create(user=alice, date=D(2026, 3, 1), score=5, context="walking", notes="Sat 20 min = better")

    assert list(csv.DictReader(io.StringIO(download(alice_api, "csv")[1])))[0]["notes"] == "Sat 20 min = better"


def test_marked_days_outcomes_and_factors_are_exported_in_both_formats(alice_api, bob_api, alice, bob):
    PainEntry.objects.create(
        user=alice, date=datetime.date(2026, 3, 1), score=4, context="rest", factors=["stress", "lifting"]
    )
    DayMark.objects.create(user=alice, date=datetime.date(2026, 3, 2), kind="flare")
    rows = [{"activity": "Garden", "score": 3}, {"activity": "Shop", "score": 4}, {"activity": "Cook", "score": 5}]
    Outcome.objects.create(
        user=alice, date=datetime.date(2026, 3, 3), walking_minutes=12, standing_minutes=9, psfs=rows
    )

    csv_rows = list(csv.DictReader(io.StringIO(download(alice_api, "csv")[1])))
    records = json.loads(download(alice_api, "json")[1])

    assert [(row["type"], row["factors"], row["kind"], row["psfs"]) for row in csv_rows] == [
        ("pain", "stress;lifting", "", ""),
        ("day_mark", "", "flare", ""),
        ("outcome", "", "", "Garden=3;Shop=4;Cook=5"),
    ]
    assert records[2]["psfs"] == rows and records[2]["walking_minutes"] == 12
    assert json.loads(download(bob_api, "json")[1]) == []
