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


def test_the_weekly_report_is_patched_through_the_client(as_alice, api, models):
    patched = api.v1_reminders_partial_update.sync(
        client=as_alice, body=models.PatchedReminderScheduleRequest(weekly_report=True, weekly_report_day=0)
    )

    assert (patched.enabled, patched.weekly_report, patched.weekly_report_day) == (False, True, 0)
    assert patched.next_due_at is not None


def test_a_weekday_out_of_range_parses_into_field_messages(as_alice, api, models):
    answer = api.v1_reminders_partial_update.sync(
        client=as_alice, body=models.PatchedReminderScheduleRequest(weekdays=[9])
    )

    assert isinstance(answer, models.ValidationError)
    assert answer.additional_properties


def test_a_browser_subscribes_to_push_with_the_servers_key_and_unsubscribes(as_alice, api, models):
    from tests.tracker.test_push_api import browser_keys

    key = api.v1_push_key_retrieve.sync(client=as_alice)
    keys = browser_keys()
    body = models.PushSubscriptionRequest(
        endpoint="https://fcm.googleapis.com/fcm/send/alice-phone",
        keys=models.PushKeysRequest(p256dh=keys["p256dh"], auth=keys["auth"]),
    )
    subscribed = api.v1_push_subscriptions_create.sync(client=as_alice, body=body)
    gone = api.v1_push_subscriptions_destroy.sync_detailed(client=as_alice, id=subscribed.id)

    assert isinstance(key, models.PushKey) and len(key.key) == 87
    assert (type(subscribed), subscribed.keys.p256dh) == (models.PushSubscription, keys["p256dh"])
    assert gone.status_code == 204


def test_the_calendar_url_is_read_and_reset(as_alice, api, models):
    read = api.v1_calendar_retrieve.sync(client=as_alice)
    reset = api.v1_calendar_reset_create.sync(client=as_alice)

    assert isinstance(read, models.CalendarFeed) and read.url.endswith(".ics")
    assert reset.url != read.url


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


# --- Second wave: safety (PRODUCT.md §4.1) ---------------------------------------------------


def test_the_warning_signs_parse_into_their_tiers(anonymous, api, models):
    signs = api.v1_warning_signs_retrieve.sync(client=anonymous)

    assert isinstance(signs, models.WarningSigns)
    assert [tier.key for tier in signs.tiers] == [models.KeyEnum.EMERGENCY, models.KeyEnum.URGENT, models.KeyEnum.SOON]
    assert all(tier.signs and tier.action for tier in signs.tiers)


def test_the_self_check_result_carries_the_warning_tiers(as_alice, api, models):
    result = api.v1_self_check_create.sync(
        client=as_alice, body=models.SelfCheckInputRequest(pelvis=models.PelvisEnum.ARCH, causes=[])
    )

    assert isinstance(result, models.SelfCheckResult)
    assert [tier.key for tier in result.warning_tiers][0] == models.KeyEnum.EMERGENCY


def test_the_health_screen_leaves_exercises_out_of_a_routine(as_alice, api, models):
    profile = api.v1_profile_partial_update.sync(
        client=as_alice, body=models.PatchedProfileRequest(conditions=[models.ConditionsEnum.PREGNANCY])
    )
    routine = api.v1_routines_retrieve.sync(client=as_alice, slug="anterior-chain-release")

    assert (type(profile), profile.conditions, profile.screened) == (
        models.Profile,
        [models.ConditionsEnum.PREGNANCY],
        True,
    )
    assert profile.email_verified is True  # the fixture person confirmed her address
    shown = [step.exercise for step in routine.steps]
    left_out = {row.exercise: row.reasons for row in routine.left_out}
    assert "psoas-release" not in shown and "iliacus-release" not in shown
    assert {"psoas-release", "iliacus-release"} <= set(left_out)


# --- Second wave: pictures (PRODUCT.md §4.2) --------------------------------------------------


def test_exercises_and_muscles_carry_their_figures_and_variants(anonymous, api, models, catalog):
    exercise = api.v1_exercises_retrieve.sync(client=anonymous, slug="clamshell")
    muscle = api.v1_muscles_retrieve.sync(client=anonymous, slug="piriformis")

    assert isinstance(exercise, models.Exercise)
    assert exercise.level == models.ExerciseLevelEnum.STANDARD
    assert exercise.figure.endswith(".svg") and exercise.easier and exercise.harder
    assert isinstance(exercise.avoid_with, list)
    assert isinstance(muscle, models.Muscle)
    assert muscle.figure.endswith(".svg")


def test_where_it_hurts_goes_in_and_comes_back_in_progress(as_alice, api, models, alice):
    today = alice.local_today()
    entry = api.v1_pain_entries_create.sync(
        client=as_alice,
        body=models.PainEntryRequest(
            date=today,
            score=5,
            context=models.ContextEnum.STANDING,
            side=models.PainSideEnum.LEFT,
            areas=[models.PainAreaEnum.OUTER_HIP],
            factors=[models.PainFactorEnum.LONG_STANDING],
        ),
    )
    summary = api.v1_progress_retrieve.sync(client=as_alice, start=today, end=today)

    assert isinstance(entry, models.PainEntry)
    assert (entry.side, entry.areas, entry.factors) == (
        models.PainSideEnum.LEFT,
        [models.PainAreaEnum.OUTER_HIP],
        [models.PainFactorEnum.LONG_STANDING],
    )
    assert [(row.area, row.side, row.entries) for row in summary.pain.by_area] == [
        (models.PainAreaEnum.OUTER_HIP, models.PainSideEnum.LEFT, 1)
    ]


# --- Second wave: is it working (PRODUCT.md §4.3) ---------------------------------------------


def _psfs(*scores):
    return [{"activity": f"activity {n}", "score": score} for n, score in enumerate(scores, 1)]


def test_outcomes_are_created_read_patched_and_deleted(as_alice, api, models, alice):
    today = alice.local_today()
    created = api.v1_outcomes_create.sync(
        client=as_alice,
        body=models.OutcomeRequest.from_dict(
            {"date": str(today), "walking_minutes": 10, "standing_minutes": 5, "psfs": _psfs(3, 4, 5)}
        ),
    )
    listed = api.v1_outcomes_list.sync(client=as_alice)
    patched = api.v1_outcomes_partial_update.sync(
        client=as_alice, id=created.id, body=models.PatchedOutcomeRequest(walking_minutes=20)
    )
    read = api.v1_outcomes_retrieve.sync(client=as_alice, id=created.id)
    api.v1_outcomes_destroy.sync(client=as_alice, id=created.id)

    assert isinstance(created, models.Outcome)
    assert created.psfs_score == 4.0
    assert [row.id for row in listed.results] == [created.id]
    assert (type(patched), patched.walking_minutes, read.walking_minutes) == (models.Outcome, 20, 20)
    assert not apps.get_model("tracker", "Outcome").objects.exists()


def test_outcomes_with_two_activities_parse_into_field_messages(as_alice, api, models, alice):
    answer = api.v1_outcomes_create.sync(
        client=as_alice,
        body=models.OutcomeRequest.from_dict(
            {"date": str(alice.local_today()), "walking_minutes": 10, "standing_minutes": 5, "psfs": _psfs(3, 4)}
        ),
    )

    assert isinstance(answer, models.ValidationError)
    assert field_messages(answer, "psfs")
    assert not apps.get_model("tracker", "Outcome").objects.exists()


def test_a_marked_day_is_created_listed_counted_and_removed(as_alice, api, models, alice):
    today = alice.local_today()
    mark = api.v1_day_marks_create.sync(
        client=as_alice, body=models.DayMarkRequest(date=today, kind=models.DayMarkKindEnum.FLARE)
    )
    twice = api.v1_day_marks_create.sync(
        client=as_alice, body=models.DayMarkRequest(date=today, kind=models.DayMarkKindEnum.REST)
    )
    listed = api.v1_day_marks_list.sync(client=as_alice)
    summary = api.v1_progress_retrieve.sync(client=as_alice, start=today, end=today)
    api.v1_day_marks_destroy.sync(client=as_alice, id=mark.id)

    assert (type(mark), mark.kind) == (models.DayMark, models.DayMarkKindEnum.FLARE)
    assert isinstance(twice, models.ValidationError)
    assert [row.id for row in listed.results] == [mark.id]
    assert summary.marked_days == 1
    assert not apps.get_model("tracker", "DayMark").objects.exists()


def test_progress_documents_its_outcomes_and_warning(as_alice, api, models, alice):
    today = alice.local_today()
    Outcome = apps.get_model("tracker", "Outcome")
    Outcome.objects.create(
        user=alice,
        date=today - datetime.timedelta(days=14),
        walking_minutes=10,
        standing_minutes=5,
        psfs=_psfs(2, 2, 2),
    )
    Outcome.objects.create(user=alice, date=today, walking_minutes=20, standing_minutes=6, psfs=_psfs(5, 5, 5))
    PainEntry.objects.create(user=alice, date=today, score=9, context="walking")

    summary = api.v1_progress_retrieve.sync(client=as_alice, start=today - datetime.timedelta(days=20), end=today)

    assert isinstance(summary, models.Progress)
    walking = summary.outcomes.walking_minutes
    assert (walking.first, walking.latest, walking.change, walking.meaningful) == (10, 20, 10, True)
    assert summary.outcomes.psfs.meaningful is True
    assert "high-score" in summary.warning.reasons


def test_insights_parse_into_their_model(as_alice, api, models, alice):
    today = alice.local_today()
    for days_ago in range(6):
        Session.objects.create(
            user=alice, date=today - datetime.timedelta(days=days_ago), duration_minutes=10, pain_before=6, pain_after=4
        )

    insights = api.v1_insights_retrieve.sync(client=as_alice, start=today - datetime.timedelta(days=13), end=today)

    assert isinstance(insights, models.Insights)
    assert [(row.sessions, row.average_drop) for row in insights.routines] == [(6, 2.0)]
    assert all(isinstance(row, models.FactorInsight) for row in insights.factors)


def test_a_report_link_is_created_listed_and_revoked(as_alice, api, models):
    link = api.v1_report_links_create.sync(client=as_alice, body=models.ReportLinkRequest(weeks=4))
    listed = api.v1_report_links_list.sync(client=as_alice)
    refused = api.v1_report_links_create.sync(client=as_alice, body=models.ReportLinkRequest(weeks=53))
    api.v1_report_links_destroy.sync(client=as_alice, id=link.id)

    assert (type(link), link.weeks) == (models.ReportLink, 4)
    assert "/report/" in link.url
    assert [row.id for row in listed.results] == [link.id]
    assert isinstance(refused, models.ValidationError)
    assert field_messages(refused, "weeks")
    assert not apps.get_model("tracker", "ReportLink").objects.exists()
