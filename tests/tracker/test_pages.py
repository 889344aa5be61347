import datetime
import json

import pytest
from django.urls import reverse

from tracker.models import PainEntry, SelfCheck, Session

from .logs_helpers import make_pain_entries, make_program, make_routine, make_sessions

TODAY = datetime.date(2026, 6, 15)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]


@pytest.fixture
def alice_session(alice, routine):
    return Session.objects.create(
        user=alice, routine=routine, date=datetime.date(2026, 6, 14), duration_minutes=12, notes="Alice's own words"
    )


@pytest.fixture
def alice_entry(alice):
    return PainEntry.objects.create(
        user=alice, date=datetime.date(2026, 6, 14), score=4, context="walking", notes="Alice's pain note"
    )


def session_data(**overrides):
    return {"routine": "test-hip-release", "date": "2026-06-15", "duration_minutes": 15, "notes": "", **overrides}


def pain_data(**overrides):
    return {"date": "2026-06-15", "score": 5, "context": "standing", "notes": "", **overrides}


# --- Without logging in: every page sends you to the login page ----------------------


def page_urls(session, entry, routine):
    return [
        reverse("tracker:dashboard"),
        reverse("tracker:history"),
        reverse("tracker:session-new"),
        reverse("tracker:session-edit", args=[session.pk]),
        reverse("tracker:session-delete", args=[session.pk]),
        reverse("tracker:pain-new"),
        reverse("tracker:pain-edit", args=[entry.pk]),
        reverse("tracker:pain-delete", args=[entry.pk]),
        reverse("tracker:player", args=[routine.slug]),
        reverse("profile"),
    ]


def test_every_page_redirects_an_anonymous_visitor_to_login(client, alice_session, alice_entry, routine):
    for url in page_urls(alice_session, alice_entry, routine):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_every_form_refuses_an_anonymous_post(client, alice_session, alice_entry, routine):
    urls = [
        *page_urls(alice_session, alice_entry, routine),
        reverse("tracker:self-check-save"),
        reverse("tracker:follow-program", args=["anything"]),
        reverse("profile-token"),
    ]
    for url in urls:
        response = client.post(url, {"score": 3, "duration_minutes": 5})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert Session.objects.count() == 1
    assert PainEntry.objects.count() == 1
    assert SelfCheck.objects.count() == 0


# --- Bob, the outsider ------------------------------------------------------------


@pytest.mark.parametrize("name", ["tracker:session-edit", "tracker:session-delete"])
def test_bob_gets_404_on_alices_session_pages(bob_client, alice_session, name):
    url = reverse(name, args=[alice_session.pk])
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, session_data(duration_minutes=99)).status_code == 404
    alice_session.refresh_from_db()
    assert alice_session.duration_minutes == 12


@pytest.mark.parametrize("name", ["tracker:pain-edit", "tracker:pain-delete"])
def test_bob_gets_404_on_alices_pain_pages(bob_client, alice_entry, name):
    url = reverse(name, args=[alice_entry.pk])
    assert bob_client.get(url).status_code == 404
    assert bob_client.post(url, pain_data(score=9)).status_code == 404
    alice_entry.refresh_from_db()
    assert alice_entry.score == 4


@pytest.fixture
def only_alices(alice, bob):
    """Logs only alice has, each shown on the pages: a routine, dates, a duration and counts of her own.

    Returns what each page shows of them; bob has one session and one entry of his own.
    """
    routine = make_routine("alices-only")
    for day in (3, 4, 5):
        Session.objects.create(
            user=alice,
            routine=routine,
            date=datetime.date(2026, 6, day),
            duration_minutes=47,
            pain_before=7,
            pain_after=2,
        )
    PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 4), score=9, context="night")
    Session.objects.create(user=bob, date=datetime.date(2026, 6, 10), duration_minutes=5)
    PainEntry.objects.create(user=bob, date=datetime.date(2026, 6, 10), score=2, context="walking")
    return {
        reverse("tracker:dashboard"): ["Routine alices-only", "Wed 3 Jun", "47 min"],
        reverse("tracker:history"): [
            "Routine alices-only",
            "Wed 3 Jun 2026",
            "Sessions</a> (3)",
            "<strong>9/10</strong>",
        ],
        reverse("tracker:progress"): ["Routine alices-only", "141 minutes"],
    }


def test_each_page_shows_alice_what_only_she_logged(alice_client, only_alices):
    for url, shown in only_alices.items():
        content = alice_client.get(url).content.decode()
        assert [text for text in shown if text not in content] == [], url


def test_bob_sees_none_of_alices_logs_on_his_pages(bob_client, only_alices):
    for url, shown in only_alices.items():
        content = bob_client.get(url).content.decode()
        assert [text for text in shown if text in content] == [], url


def test_bobs_history_counts_only_his_own_logs(bob_client, only_alices):
    content = bob_client.get(reverse("tracker:history")).content.decode()

    assert "Sessions</a> (1)" in content
    assert "Pain check-ins</a> (1)" in content


# --- Sessions through the web ------------------------------------------------------


def test_alice_logs_a_session(alice_client, alice, routine):
    response = alice_client.post(reverse("tracker:session-new"), session_data(pain_before=6, pain_after=2))
    assert response.status_code == 302
    session = Session.objects.get(user=alice)
    assert (session.routine, session.date, session.pain_before, session.pain_after) == (routine, TODAY, 6, 2)


def test_the_session_form_preselects_the_routine_from_the_query(alice_client, routine):
    response = alice_client.get(reverse("tracker:session-new"), {"routine": routine.slug})
    assert response.context["form"]["routine"].value() == routine.slug
    assert '<option value="test-hip-release" selected>' in response.content.decode()


def test_every_session_field_has_a_label(alice_client, routine):
    content = alice_client.get(reverse("tracker:session-new")).content.decode()
    for field in (
        "routine",
        "date",
        "duration_minutes",
        "steps_completed",
        "pain_before",
        "pain_after",
        "side",
        "notes",
    ):
        assert f'<label for="id_{field}"' in content, field


SESSION_INVALID = [
    ("duration_minutes", 0),
    ("duration_minutes", 241),
    ("pain_before", 11),
    ("pain_after", -1),
    ("date", "2026-06-16"),
    ("date", "1899-12-31"),
    ("routine", "no-such-routine"),
    ("notes", "x" * 2001),
]


@pytest.mark.parametrize(("field", "value"), SESSION_INVALID)
def test_an_invalid_session_field_shows_its_error_and_stores_nothing(alice_client, routine, field, value):
    response = alice_client.post(reverse("tracker:session-new"), session_data(**{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert 'class="errorlist' in response.content.decode()
    assert Session.objects.count() == 0


def test_alice_edits_her_session(alice_client, alice_session):
    response = alice_client.post(
        reverse("tracker:session-edit", args=[alice_session.pk]), session_data(date="2026-06-14", duration_minutes=30)
    )
    assert response.status_code == 302
    alice_session.refresh_from_db()
    assert alice_session.duration_minutes == 30


def test_the_edit_form_shows_the_sessions_routine(alice_client, alice_session):
    response = alice_client.get(reverse("tracker:session-edit", args=[alice_session.pk]))
    assert '<option value="test-hip-release" selected>' in response.content.decode()


@pytest.mark.parametrize(("field", "value"), SESSION_INVALID)
def test_an_invalid_edit_changes_nothing(alice_client, alice_session, field, value):
    response = alice_client.post(
        reverse("tracker:session-edit", args=[alice_session.pk]), session_data(**{"date": "2026-06-14", field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    alice_session.refresh_from_db()
    assert (alice_session.duration_minutes, alice_session.date) == (12, datetime.date(2026, 6, 14))


def test_deleting_a_session_asks_first_then_deletes_on_post(alice_client, alice_session):
    url = reverse("tracker:session-delete", args=[alice_session.pk])
    page = alice_client.get(url)
    assert page.status_code == 200
    assert Session.objects.filter(pk=alice_session.pk).exists()
    assert alice_client.post(url).status_code == 302
    assert not Session.objects.filter(pk=alice_session.pk).exists()


# --- Pain entries through the web --------------------------------------------------


def test_alice_checks_in_her_pain(alice_client, alice):
    response = alice_client.post(reverse("tracker:pain-new"), pain_data(score=7, context="walking"))
    assert response.status_code == 302
    entry = PainEntry.objects.get(user=alice)
    assert (entry.score, entry.context, entry.date) == (7, "walking", TODAY)


PAIN_INVALID = [
    ("score", 11),
    ("score", -1),
    ("date", "2026-06-16"),
    ("date", "1899-12-31"),
    ("context", "dancing"),
    ("notes", "x" * 2001),
]


@pytest.mark.parametrize(("field", "value"), PAIN_INVALID)
def test_an_invalid_pain_field_shows_its_error_and_stores_nothing(alice_client, field, value):
    response = alice_client.post(reverse("tracker:pain-new"), pain_data(**{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert PainEntry.objects.count() == 0


def test_a_duplicate_pain_entry_shows_the_error_and_offers_the_existing_one(alice_client, alice_entry):
    response = alice_client.post(reverse("tracker:pain-new"), pain_data(date="2026-06-14", context="walking"))
    assert response.status_code == 200
    assert "context" in response.context["form"].errors
    assert reverse("tracker:pain-edit", args=[alice_entry.pk]) in response.content.decode()
    assert PainEntry.objects.count() == 1


def test_alice_edits_her_pain_entry(alice_client, alice_entry):
    url = reverse("tracker:pain-edit", args=[alice_entry.pk])
    response = alice_client.post(url, pain_data(date="2026-06-14", context="walking", score=1))
    assert response.status_code == 302
    alice_entry.refresh_from_db()
    assert alice_entry.score == 1


def test_deleting_a_pain_entry_asks_first_then_deletes_on_post(alice_client, alice_entry):
    url = reverse("tracker:pain-delete", args=[alice_entry.pk])
    assert b"Delete this pain entry?" in alice_client.get(url).content
    alice_client.post(url)
    assert not PainEntry.objects.filter(pk=alice_entry.pk).exists()


# --- Dashboard --------------------------------------------------------------------


def test_the_dashboard_shows_recent_sessions_and_the_quick_check_in(alice_client, alice, routine):
    make_sessions(alice, 7, routine=routine, start=datetime.date(2026, 6, 1))
    response = alice_client.get(reverse("tracker:dashboard"))
    assert len(response.context["recent_sessions"]) == 5
    content = response.content.decode()
    assert f'action="{reverse("tracker:pain-new")}"' in content
    assert 'value="2026-06-15"' in content


def test_the_dashboard_shows_todays_routine_from_the_program(alice_client, alice, routine):
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    response = alice_client.get(reverse("tracker:dashboard"))
    assert response.context["routine"] == routine
    assert reverse("tracker:player", args=[routine.slug]) in response.content.decode()


def test_the_dashboard_shows_the_warning_signs_after_a_pain_score_of_8(alice_client, alice):
    PainEntry.objects.create(user=alice, date=TODAY, score=8, context="walking")
    content = alice_client.get(reverse("tracker:dashboard")).content.decode()
    assert "Your pain needs attention" in content
    assert 'data-tier="emergency"' in content


def test_the_dashboard_shows_no_warning_signs_after_a_score_of_7(alice_client, alice):
    PainEntry.objects.create(user=alice, date=TODAY, score=7, context="walking")
    content = alice_client.get(reverse("tracker:dashboard")).content.decode()
    assert "Your pain needs attention" not in content
    assert 'data-tier="emergency"' not in content


def test_the_dashboard_warning_names_a_high_score_logged_before_a_lower_one_the_same_day(alice_client, alice):
    PainEntry.objects.create(user=alice, date=TODAY, score=9, context="walking")
    PainEntry.objects.create(user=alice, date=TODAY, score=3, context="rest")
    content = alice_client.get(reverse("tracker:dashboard")).content.decode()
    assert "A pain score of 9/10 in the last 3 days." in content
    assert "risen two weeks running" not in content


def test_the_dashboard_shows_the_warning_signs_when_weekly_pain_rose_two_weeks_running(alice_client, alice):
    # Three 7-day windows ending today average 3, then 5, then 7: rising twice, no score of 8.
    for days_ago, score in ((16, 3), (9, 5), (2, 7)):
        PainEntry.objects.create(
            user=alice, date=TODAY - datetime.timedelta(days=days_ago), score=score, context="rest"
        )
    content = alice_client.get(reverse("tracker:dashboard")).content.decode()
    assert "risen two weeks running" in content
    assert 'data-tier="emergency"' in content


def test_the_quick_check_in_from_the_dashboard_saves_an_entry(alice_client, alice):
    response = alice_client.post(reverse("tracker:pain-new"), {"date": "2026-06-15", "score": 3, "context": "rest"})
    assert response.url == reverse("tracker:dashboard")
    assert PainEntry.objects.filter(user=alice, score=3).exists()


# --- History ----------------------------------------------------------------------


def test_history_pages_twenty_sessions_at_a_time(alice_client, alice, routine):
    make_sessions(alice, 25, routine=routine, start=datetime.date(2026, 1, 1))
    first = alice_client.get(reverse("tracker:history"))
    second = alice_client.get(reverse("tracker:history"), {"sessions_page": 2})
    assert len(first.context["sessions"]) == 20
    assert len(second.context["sessions"]) == 5
    assert "sessions_page=2" in first.content.decode()


def test_history_links_edit_and_delete_for_each_row(alice_client, alice_session, alice_entry):
    content = alice_client.get(reverse("tracker:history")).content.decode()
    for name, pk in (
        ("tracker:session-edit", alice_session.pk),
        ("tracker:session-delete", alice_session.pk),
        ("tracker:pain-edit", alice_entry.pk),
        ("tracker:pain-delete", alice_entry.pk),
    ):
        assert reverse(name, args=[pk]) in content, name


@pytest.mark.parametrize("rows", [5, 500])
def test_history_costs_the_same_queries_for_5_and_500_rows(
    alice_client, alice, routine, rows, django_assert_num_queries
):
    make_sessions(alice, rows, routine=routine)
    make_pain_entries(alice, rows)
    # Session and user, then a count and a page for each of the two lists.
    with django_assert_num_queries(6):
        response = alice_client.get(reverse("tracker:history"))
    assert response.status_code == 200


# --- Guided player ----------------------------------------------------------------


@pytest.fixture
def screened_client(alice_client, alice):
    """Alice has answered the health screen ("none of these"), which the player asks first."""
    alice.screened = True
    alice.save(update_fields=["screened"])
    return alice_client


def test_the_player_shows_the_same_estimate_as_the_catalog(screened_client, routine):
    content = screened_client.get(reverse("tracker:player", args=[routine.slug])).content.decode()
    assert f"about {routine.estimated_minutes} min" in content


def test_the_player_lists_the_steps_and_hands_them_to_the_script(screened_client, routine):
    response = screened_client.get(reverse("tracker:player", args=[routine.slug]))
    content = response.content.decode()
    assert "Stretch 0" in content and "Bridge 1" in content
    data = json.loads(content.split('<script id="routine-data" type="application/json">')[1].split("</script>")[0])
    assert [step["name"] for step in data["steps"]] == ["Stretch 0", "Bridge 1"]
    assert data["steps"][0] | {"hold_seconds": 30, "repetitions": 2, "sides": "both"} == data["steps"][0]
    assert 'src="/static/tracker/player.js"' in content
    assert 'aria-live="polite"' in content


def test_the_player_page_has_no_inline_script_or_style(screened_client, routine):
    content = screened_client.get(reverse("tracker:player", args=[routine.slug])).content.decode()
    scripts = content.count("<script")
    assert scripts == content.count("<script src=") + content.count(
        '<script id="routine-data" type="application/json">'
    )
    assert "style=" not in content


def test_the_player_logs_one_session_with_the_routine_and_pain(screened_client, alice, routine):
    response = screened_client.post(
        reverse("tracker:player", args=[routine.slug]),
        {"pain_before": 7, "pain_after": 4, "duration_minutes": 11, "steps_completed": 2, "notes": "Easier today."},
    )
    assert response.status_code == 302
    assert response.url == reverse("tracker:dashboard")
    session = Session.objects.get(user=alice)
    assert (session.routine, session.pain_before, session.pain_after, session.date) == (routine, 7, 4, TODAY)
    assert (session.duration_minutes, session.steps_completed, session.notes) == (11, 2, "Easier today.")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_before", 11),
        ("pain_after", -1),
        ("duration_minutes", 0),
        ("duration_minutes", 241),
        ("steps_completed", 3),
    ],
)
def test_the_player_refuses_bad_values_and_stores_nothing(screened_client, routine, field, value):
    data = {"pain_before": 7, "pain_after": 4, "duration_minutes": 11, "steps_completed": 2, field: value}
    response = screened_client.post(reverse("tracker:player", args=[routine.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Session.objects.count() == 0


def test_the_player_of_an_unknown_routine_is_404(screened_client):
    assert screened_client.get(reverse("tracker:player", args=["no-such-routine"])).status_code == 404


# --- Self-check and program -------------------------------------------------------


def test_saving_the_self_check_stores_it_for_the_user(alice_client, alice):
    response = alice_client.post(
        reverse("tracker:self-check-save"), {"pelvis": "arch", "causes": ["inactivity", "poor-posture"]}
    )
    assert response.status_code == 302
    check = SelfCheck.objects.get(user=alice)
    assert (check.pelvis, check.chain, check.date) == ("arch", "anterior", TODAY)
    assert check.causes == ["poor-posture", "inactivity"]


def test_a_bad_self_check_is_not_saved(alice_client):
    alice_client.post(reverse("tracker:self-check-save"), {"pelvis": "sideways"})
    assert SelfCheck.objects.count() == 0


def test_the_self_check_save_is_post_only(alice_client):
    assert alice_client.get(reverse("tracker:self-check-save")).status_code == 405


def test_following_a_program_starts_it_today(alice_client, alice, routine):
    program = make_program(routine=routine)
    response = alice_client.post(reverse("tracker:follow-program", args=[program.slug]))
    assert response.url == reverse("tracker:dashboard")
    alice.refresh_from_db()
    assert (alice.program, alice.program_started_on) == (program, TODAY)
