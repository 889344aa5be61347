"""The API as an integrator's tools see it: a client generated from the live schema drives a live server.

openapi-python-client (pinned in requirements-dev.txt), the most used Python generator, builds
a package from /api/schema/ into a temporary folder; each test below imports it and calls one
group of operations through it, as a script would: every answer must parse into the type the
schema documents, and a refused request into its error model.

Second-wave endpoints join as they land: one test per group of operations, calling them through
``api.<operation id>`` with ``models.<schema component>``.
"""

import datetime
import importlib
import json
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps

from routines.seed import load_catalog
from tests.conftest import PASSWORD
from tracker.logs import self_check_save
from tracker.models import PainEntry, Session

PACKAGE = "backcare_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


class Operations:
    """``api.v1_sessions_create``: the generated module of that operation id."""

    def __getattr__(self, operation_id: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.api.v1.{operation_id}")


@pytest.fixture(scope="module")
def generated(live_server, tmp_path_factory, django_db_blocker):
    """The client package, generated once for this module from the live server's schema, importable."""
    folder = tmp_path_factory.mktemp("generated")
    config = folder / "config.json"
    # No formatting pass: the generated code is imported, not read.
    config.write_text(json.dumps({"post_hooks": []}))
    command = [
        str(GENERATOR),
        "generate",
        "--url",
        f"{live_server.url}/api/schema/?format=json",
        "--output-path",
        str(folder / PACKAGE),
        "--meta",
        "none",
        "--config",
        str(config),
        "--fail-on-warning",
    ]
    with django_db_blocker.unblock():
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(folder))
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


@pytest.fixture
def api(generated) -> Operations:
    return Operations()


@pytest.fixture
def models(generated) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.models")


@pytest.fixture
def anonymous(generated, live_server):
    return generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)


@pytest.fixture
def catalog(transactional_db):
    """The seeded catalog: a live server's test flushes every table, the seeded ones too."""
    load_catalog(apps)


@pytest.fixture
def as_alice(generated, live_server, anonymous, api, models, alice, catalog):
    """A client holding the token alice gets through the API with her password."""
    answer = api.v1_auth_token_create.sync(
        client=anonymous, body=models.AuthTokenRequest(username="alice", password=PASSWORD)
    )
    return generated.AuthenticatedClient(
        base_url=live_server.url, token=answer.token, prefix="Token", raise_on_unexpected_status=True
    )


def field_messages(error, field: str) -> list[str]:
    return error.additional_properties.get(field, [])


# --- Token --------------------------------------------------------------------------------


def test_the_token_operation_trades_a_password_for_the_token(as_alice, api, models, alice):
    answer = api.v1_auth_token_create.sync(
        client=as_alice, body=models.AuthTokenRequest(username="alice", password=PASSWORD)
    )

    assert isinstance(answer, models.Token)
    assert answer.token == alice.auth_token.key


def test_a_wrong_password_parses_into_the_validation_error(anonymous, api, models, alice):
    answer = api.v1_auth_token_create.sync(
        client=anonymous, body=models.AuthTokenRequest(username="alice", password="not hers")
    )

    assert isinstance(answer, models.ValidationError)
    assert answer.non_field_errors == ["Unable to log in with provided credentials."]


# --- Profile ------------------------------------------------------------------------------


def test_the_profile_is_read_and_patched(as_alice, api, models, alice):
    self_check_save(user=alice, pelvis="arch", causes=["inactivity"])
    patched = api.v1_profile_partial_update.sync(
        client=as_alice, body=models.PatchedProfileRequest(timezone="Asia/Tokyo", program="flexible-back")
    )
    read = api.v1_profile_retrieve.sync(client=as_alice)

    assert isinstance(patched, models.Profile)
    assert (read.username, read.timezone, read.program) == ("alice", "Asia/Tokyo", "flexible-back")
    assert read.self_check.pelvis == models.PelvisEnum.ARCH
    assert read.email_verified is True
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"


def test_an_unknown_time_zone_parses_into_field_messages(as_alice, api, models, alice):
    answer = api.v1_profile_partial_update.sync(
        client=as_alice, body=models.PatchedProfileRequest(timezone="Mars/Base")
    )

    assert isinstance(answer, models.ValidationError)
    assert "not a known time zone" in field_messages(answer, "timezone")[0]
    alice.refresh_from_db()
    assert alice.timezone == "Europe/Paris"


# --- Sessions -----------------------------------------------------------------------------


def test_a_session_is_created_listed_updated_and_deleted(as_alice, api, models, alice):
    today = alice.local_today()
    created = api.v1_sessions_create.sync(
        client=as_alice,
        body=models.SessionRequest(
            date=today, duration_minutes=15, routine="ql-release", pain_before=6, pain_after=3, notes="Looser."
        ),
    )
    listed = api.v1_sessions_list.sync(client=as_alice)
    updated = api.v1_sessions_partial_update.sync(
        client=as_alice, id=created.id, body=models.PatchedSessionRequest(duration_minutes=20)
    )
    deleted = api.v1_sessions_destroy.sync_detailed(client=as_alice, id=created.id)

    assert isinstance(created, models.Session)
    assert (created.date, created.routine, created.pain_after) == (today, "ql-release", 3)
    assert isinstance(listed, models.PaginatedSessionList)
    assert [row.id for row in listed.results] == [created.id]
    assert (type(updated), updated.duration_minutes) == (models.Session, 20)
    assert deleted.status_code == 204
    assert not Session.objects.exists()


def test_a_session_without_minutes_parses_into_field_messages(as_alice, api, models, alice):
    answer = api.v1_sessions_create.sync(
        client=as_alice, body=models.SessionRequest(date=alice.local_today(), duration_minutes=-5)
    )

    assert isinstance(answer, models.ValidationError)
    assert field_messages(answer, "duration_minutes")
    assert not Session.objects.exists()


def test_another_users_session_parses_into_the_not_found_error(as_alice, api, models, bob):
    bobs = Session.objects.create(user=bob, date=bob.local_today(), duration_minutes=10)

    answer = api.v1_sessions_retrieve.sync(client=as_alice, id=bobs.pk)

    assert isinstance(answer, models.Error)
    assert answer.detail


# --- Pain entries -------------------------------------------------------------------------


def test_a_pain_entry_is_created(as_alice, api, models, alice):
    today = alice.local_today()
    created = api.v1_pain_entries_create.sync(
        client=as_alice, body=models.PainEntryRequest(date=today, score=4, context=models.ContextEnum.WALKING)
    )

    assert isinstance(created, models.PainEntry)
    assert (created.date, created.score, created.context) == (today, 4, models.ContextEnum.WALKING)
    assert PainEntry.objects.get(user=alice).score == 4


def test_a_pain_entry_sent_again_with_its_client_id_parses_into_the_first_row(as_alice, api, models, alice):
    client_id = uuid.UUID("0f8e6a3c-1d2b-4c5a-8e7f-9a0b1c2d3e4f")
    body = models.PainEntryRequest(
        date=alice.local_today(), score=4, context=models.ContextEnum.WALKING, client_id=client_id
    )
    first = api.v1_pain_entries_create.sync_detailed(client=as_alice, body=body)
    again = api.v1_pain_entries_create.sync_detailed(client=as_alice, body=body)

    assert (first.status_code, again.status_code) == (201, 200)
    assert isinstance(again.parsed, models.PainEntry)
    assert (again.parsed.id, again.parsed.client_id) == (first.parsed.id, client_id)
    assert PainEntry.objects.filter(user=alice).count() == 1


def test_a_pain_score_above_ten_parses_into_field_messages(as_alice, api, models, alice):
    answer = api.v1_pain_entries_create.sync(
        client=as_alice,
        body=models.PainEntryRequest(date=alice.local_today(), score=11, context=models.ContextEnum.WALKING),
    )

    assert isinstance(answer, models.ValidationError)
    assert field_messages(answer, "score")
    assert not PainEntry.objects.exists()


# --- Progress and the daily series ------------------------------------------------------------


def test_progress_and_the_daily_series_parse_into_their_models(as_alice, api, models, alice):
    today = alice.local_today()
    Session.objects.create(user=alice, date=today, duration_minutes=12, pain_before=5, pain_after=3)
    start = today - datetime.timedelta(days=6)

    summary = api.v1_progress_retrieve.sync(client=as_alice, start=start, end=today)
    daily = api.v1_progress_daily_list.sync(client=as_alice, start=start, end=today)

    assert isinstance(summary, models.Progress)
    assert (summary.sessions, summary.minutes, summary.current_streak) == (1, 12, 1)
    assert [type(row) for row in daily] == [models.DailyRow] * 7
    assert daily[-1].date == today


def test_a_range_ending_before_it_starts_parses_into_field_messages(as_alice, api, models, alice):
    today = alice.local_today()

    answer = api.v1_progress_retrieve.sync(client=as_alice, start=today, end=today - datetime.timedelta(days=3))

    assert isinstance(answer, models.ValidationError)
    assert answer.additional_properties


# --- Self-check ---------------------------------------------------------------------------


def test_the_self_check_answers_with_its_result(as_alice, api, models):
    result = api.v1_self_check_create.sync(
        client=as_alice,
        body=models.SelfCheckInputRequest(pelvis=models.PelvisEnum.TUCK, causes=[models.CausesEnum.INACTIVITY]),
    )

    assert isinstance(result, models.SelfCheckResult)
    assert (result.pelvis, result.chain, result.routines[0]) == ("tuck", "posterior", "posterior-chain-release")


# --- Reminders ----------------------------------------------------------------------------


def test_the_reminder_schedule_is_read_and_patched(as_alice, api, models):
    read = api.v1_reminders_retrieve.sync(client=as_alice)
    patched = api.v1_reminders_partial_update.sync(
        client=as_alice, body=models.PatchedReminderScheduleRequest(enabled=True, time="07:30", weekdays=[0, 2, 4])
    )

    assert isinstance(read, models.ReminderSchedule)
    assert (type(patched), patched.enabled, patched.weekdays) == (models.ReminderSchedule, True, [0, 2, 4])
    assert patched.next_due_at is not None


def test_a_weekday_out_of_range_parses_into_field_messages(as_alice, api, models):
    answer = api.v1_reminders_partial_update.sync(
        client=as_alice, body=models.PatchedReminderScheduleRequest(weekdays=[9])
    )

    assert isinstance(answer, models.ValidationError)
    assert answer.additional_properties


# --- Export -------------------------------------------------------------------------------


def test_the_export_returns_the_file(as_alice, api, models, alice):
    PainEntry.objects.create(user=alice, date=alice.local_today(), score=4, context="walking")

    csv = api.v1_export_retrieve.sync(client=as_alice, format_=models.V1ExportRetrieveFormat.CSV)
    rows = api.v1_export_retrieve.sync(client=as_alice, format_=models.V1ExportRetrieveFormat.JSON)

    assert isinstance(csv, str)
    assert csv.splitlines()[1].startswith("pain,")
    assert [row["type"] for row in json.loads(rows)] == ["pain"]


def test_the_export_without_credentials_parses_into_the_error(anonymous, api, models):
    answer = api.v1_export_retrieve.sync(client=anonymous, format_=models.V1ExportRetrieveFormat.CSV)

    assert isinstance(answer, models.Error)
    assert answer.detail == "Authentication credentials were not provided."


# --- Catalog ------------------------------------------------------------------------------


def test_the_catalog_reads_parse_into_their_models(anonymous, api, models, catalog):
    muscles = api.v1_muscles_list.sync(client=anonymous)
    routine = api.v1_routines_retrieve.sync(client=anonymous, slug="ql-release")
    missing = api.v1_exercises_retrieve.sync(client=anonymous, slug="no-such-exercise")

    assert isinstance(muscles, models.PaginatedMuscleList)
    assert len(muscles.results) == 7
    assert (type(routine), routine.slug) == (models.Routine, "ql-release")
    assert isinstance(missing, models.Error)
