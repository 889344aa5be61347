"""progress.pain_warning: each reason of PRODUCT.md §4.1, with hand-computed cases at its edge.

Today is Saturday 21 March 2026 in Paris throughout (``end``): the 7-day window is 15–21 March,
the 3-day window for a high score 19–21 March.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from tracker import progress

from .logs_helpers import make_routine
from .progress_data import log, pain

D = datetime.date
TODAY = D(2026, 3, 21)
NOON = datetime.datetime(2026, 3, 21, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOON, tick=False):
        yield


def reasons(user):
    warning = progress.pain_warning(user)
    return [] if warning is None else list(warning.reasons)


# --- high-score: a pain entry, or a session's pain after, of 8 or more, in the last 3 days ------------


@pytest.mark.parametrize(("score", "expected"), [(7, []), (8, ["high-score"])])
def test_a_pain_entry_of_8_warns_and_7_does_not(alice, score, expected):
    pain(alice, TODAY, score)
    assert reasons(alice) == expected


@pytest.mark.parametrize(("after", "expected"), [(7, []), (8, ["high-score"])])
def test_a_session_logged_with_pain_after_8_warns_and_7_does_not(alice, after, expected):
    log(alice, TODAY, before=7, after=after)  # a rise of 1 or less: only the score can warn
    assert reasons(alice) == expected


@pytest.mark.parametrize(("day", "expected"), [(D(2026, 3, 18), []), (D(2026, 3, 19), ["high-score"])])
def test_a_high_score_counts_for_three_days(alice, day, expected):
    pain(alice, day, 9, context="rest")
    pain(alice, day - datetime.timedelta(days=7), 9, context="rest")  # no jump from the week before
    assert reasons(alice) == expected


def test_the_high_score_message_names_the_highest_score(alice):
    pain(alice, TODAY, 9, context="walking")
    pain(alice, TODAY, 3, context="rest")
    assert progress.pain_warning(alice).messages == ("A pain score of 9/10 in the last 3 days.",)


# --- rising: the weekly average has risen two weeks running ---------------------------------------------


def test_weekly_averages_of_3_then_4_then_5_warn(alice):
    # Windows 1–7, 8–14 and 15–21 March; one entry each, so no jump (a rise of 1 and 1, under 3).
    for day, score in [(D(2026, 3, 2), 3), (D(2026, 3, 9), 4), (D(2026, 3, 16), 5)]:
        pain(alice, day, score)
    assert reasons(alice) == ["rising"]


def test_weekly_averages_of_4_then_4_then_5_do_not_warn(alice):
    for day, score in [(D(2026, 3, 2), 4), (D(2026, 3, 9), 4), (D(2026, 3, 16), 5)]:
        pain(alice, day, score)
    assert reasons(alice) == []


# --- session-worse: pain after at least 2 above pain before -----------------------------------------------


@pytest.mark.parametrize(("after", "expected"), [(4, []), (5, ["session-worse"])])
def test_a_session_with_pain_rising_2_warns_and_1_does_not(alice, after, expected):
    log(alice, D(2026, 3, 15), before=3, after=after)
    assert reasons(alice) == expected


def test_pain_rising_from_3_to_7_in_a_session_warns_with_its_figures(alice):
    log(alice, D(2026, 3, 20), before=3, after=7)
    warning = progress.pain_warning(alice)
    assert warning.reasons == ("session-worse",)
    assert warning.messages == ("Your pain rose from 3 to 7 during a session on 20 March.",)


def test_a_session_that_got_worse_8_days_ago_no_longer_warns(alice):
    log(alice, D(2026, 3, 13), before=2, after=6)
    assert reasons(alice) == []


# --- night-pain: a night pain entry of 6 or more -----------------------------------------------------------


@pytest.mark.parametrize(("score", "expected"), [(5, []), (6, ["night-pain"])])
def test_night_pain_of_6_warns_and_5_does_not(alice, score, expected):
    pain(alice, D(2026, 3, 16), score, context="night")
    assert reasons(alice) == expected


def test_a_score_of_6_in_another_context_is_not_night_pain(alice):
    pain(alice, D(2026, 3, 16), 6, context="morning")
    assert reasons(alice) == []


# --- jump: an entry at least 3 above the mean of the 7 days before its date ---------------------------------


@pytest.mark.parametrize(("score", "expected"), [(4, []), (5, ["jump"])])
def test_a_jump_of_3_above_the_week_before_warns_and_2_does_not(alice, score, expected):
    # The 7 days before 20 March (13–19 March) average (1 + 3) / 2 = 2.
    pain(alice, D(2026, 3, 13), 1, context="rest")
    pain(alice, D(2026, 3, 19), 3, context="rest")
    pain(alice, D(2026, 3, 20), score, context="walking")
    assert reasons(alice) == expected


def test_a_jump_from_2_to_7_warns_with_its_figures(alice):
    pain(alice, D(2026, 3, 17), 2)
    pain(alice, D(2026, 3, 18), 7)
    warning = progress.pain_warning(alice)
    assert warning.reasons == ("jump",)
    assert warning.messages == ("Your pain jumped to 7/10 on 18 March, from an average of 2 the week before.",)


def test_no_jump_without_entries_in_the_week_before(alice):
    pain(alice, D(2026, 3, 18), 7)
    assert reasons(alice) == []


def test_an_entry_8_days_before_is_outside_the_week_a_jump_is_measured_against(alice):
    pain(alice, D(2026, 3, 10), 1, context="rest")
    pain(alice, D(2026, 3, 18), 7)
    assert reasons(alice) == []


# --- several reasons, and where they show -------------------------------------------------------------------


def test_every_reason_is_reported_in_the_documented_order(alice):
    # Weekly averages 2, 3, then (3 + 9) / 2 = 6; the 9 is 6 above the 3 of the week before it.
    for day, score in [(D(2026, 3, 2), 2), (D(2026, 3, 9), 3), (D(2026, 3, 15), 3)]:
        pain(alice, day, score, context="rest")
    pain(alice, D(2026, 3, 20), 9, context="night")
    log(alice, TODAY, before=3, after=6)
    assert reasons(alice) == ["high-score", "rising", "session-worse", "night-pain", "jump"]


def test_the_progress_api_gives_the_warning_reasons_and_messages(alice_api, alice):
    log(alice, D(2026, 3, 20), before=3, after=7)
    body = alice_api.get(reverse("api-progress")).json()
    assert body["warning"] == {
        "reasons": ["session-worse"],
        "messages": ["Your pain rose from 3 to 7 during a session on 20 March."],
    }


def test_the_progress_api_warning_is_null_without_a_reason(alice_api, alice):
    pain(alice, TODAY, 4)
    assert alice_api.get(reverse("api-progress")).json()["warning"] is None


def test_the_progress_api_judges_the_warning_on_the_days_ending_its_end(alice_api, alice):
    pain(alice, D(2026, 3, 1), 9)
    assert alice_api.get(reverse("api-progress")).json()["warning"] is None
    body = alice_api.get(reverse("api-progress"), {"start": "2026-02-20", "end": "2026-03-02"}).json()
    assert body["warning"]["reasons"] == ["high-score"]


def test_a_session_that_gets_worse_in_the_player_warns_right_after_it_is_logged(client, alice):
    routine = make_routine()
    alice.screened = True
    alice.save(update_fields=["screened"])
    client.force_login(alice)
    response = client.post(
        reverse("tracker:player", args=[routine.slug]),
        {"duration_minutes": 9, "steps_completed": 2, "pain_before": 3, "pain_after": 7},
        follow=True,
    )
    content = response.content.decode()
    assert "Your pain rose from 3 to 7 during a session on 21 March." in content
    assert 'data-reasons="session-worse"' in content


def test_a_session_logged_by_hand_with_pain_after_9_warns_right_after(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("tracker:session-new"),
        {"date": "2026-03-21", "duration_minutes": 10, "pain_before": 8, "pain_after": 9},
        follow=True,
    )
    assert "A pain score of 9/10 in the last 3 days." in response.content.decode()


def test_the_progress_page_shows_the_warning_and_the_three_tiers(client, alice):
    pain(alice, D(2026, 3, 20), 6, context="night")
    client.force_login(alice)
    content = client.get(reverse("tracker:progress")).content.decode()
    assert "Night pain of 6/10 in the last 7 days." in content
    for tier in ("emergency", "urgent", "soon"):
        assert f'data-tier="{tier}"' in content
