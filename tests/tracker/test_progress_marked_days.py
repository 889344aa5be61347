"""Marked days (rest, flare, away) and the first-day rule in streak, adherence and habit strength
(PRODUCT.md §4.3), on hand-computed cases."""

import datetime
import zoneinfo

import pytest
import time_machine

from tracker import progress
from tracker.models import DayMark

from .progress_data import days, log, pain

D = datetime.date
M = 0.5 ** (1 / 13)  # Loop's daily multiplier for a habit planned every day


def mark(user, day, kind="rest"):
    return DayMark.objects.create(user=user, date=day, kind=kind)


def joined(user, day):
    user.date_joined = datetime.datetime.combine(day, datetime.time(9), tzinfo=zoneinfo.ZoneInfo(user.timezone))
    user.save(update_fields=["date_joined"])


@pytest.fixture
def alice_since_2025(alice):
    joined(alice, D(2025, 1, 1))
    return alice


def test_a_rest_day_inside_a_run_neither_breaks_nor_extends_it(alice_since_2025):
    alice = alice_since_2025
    for day in [D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 5)]:
        log(alice, day)
    mark(alice, D(2026, 3, 3), "rest")

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 5))

    # 1, 2, (3 rest), 4, 5: a run of four active days; four planned days, all done
    assert (figures["current_streak"], figures["longest_streak"]) == (4, 4)
    assert figures["adherence"] == 1.0
    # four updates with done = 1 from 0, the rest day carried over unchanged: 1 − m⁴
    assert figures["habit_strength"] == round(1 - M**4, 4)
    assert figures["marked_days"] == 1


def test_a_flare_at_the_end_keeps_the_current_streak(alice_since_2025):
    alice = alice_since_2025
    for day in days(D(2026, 3, 1), D(2026, 3, 3)):
        log(alice, day)
    mark(alice, D(2026, 3, 4), "flare")
    mark(alice, D(2026, 3, 5), "flare")

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 5))

    assert figures["current_streak"] == 3
    assert figures["adherence"] == 1.0  # 3 of the 3 unmarked days
    assert figures["habit_strength"] == round(1 - M**3, 4)


def test_without_the_marks_the_same_days_break_the_streak(alice_since_2025):
    alice = alice_since_2025
    for day in days(D(2026, 3, 1), D(2026, 3, 3)):
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 5))

    # 4 March passed without a session: the run is over; 3 of 5 days; two days of decay
    assert (figures["current_streak"], figures["adherence"]) == (0, 0.6)
    assert figures["habit_strength"] == round((1 - M**3) * M**2, 4)


def test_an_away_week_carries_the_streak_and_the_habit_strength_across(alice_since_2025):
    alice = alice_since_2025
    log(alice, D(2026, 3, 1))
    log(alice, D(2026, 3, 2))
    for day in days(D(2026, 3, 3), D(2026, 3, 9)):
        mark(alice, day, "away")
    log(alice, D(2026, 3, 10))

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 12))

    # 1, 2, away 3–9, 10: a run of 3; 11 and 12 are not marked and 11 has ended without a session
    assert (figures["current_streak"], figures["longest_streak"]) == (0, 3)
    # planned: 12 days − 7 marked = 5; active: 3
    assert figures["adherence"] == 0.6
    assert figures["habit_strength"] == round((1 - M**3) * M**2, 4)
    assert figures["marked_days"] == 7


def test_an_away_week_then_today_without_a_session_yet_keeps_the_streak(alice_since_2025):
    alice = alice_since_2025
    log(alice, D(2026, 3, 1))
    for day in days(D(2026, 3, 2), D(2026, 3, 8)):
        mark(alice, day, "away")

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 9))

    assert figures["current_streak"] == 1  # 9 March is "today" and not over yet
    assert figures["adherence"] == 0.5  # 1 of the 2 unmarked days (1 and 9 March)


def test_a_session_on_a_marked_day_counts_for_the_streak_but_not_for_adherence(alice_since_2025):
    alice = alice_since_2025
    for day in days(D(2026, 3, 1), D(2026, 3, 3)):
        log(alice, day)
    mark(alice, D(2026, 3, 2), "flare")

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 3))

    assert figures["current_streak"] == 3
    assert figures["adherence"] == 1.0  # 2 of 2: the marked day is out of both counts


def test_marks_after_the_range_do_not_count(alice_since_2025):
    alice = alice_since_2025
    log(alice, D(2026, 3, 1))
    mark(alice, D(2026, 3, 2))
    mark(alice, D(2026, 3, 20))

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 3))

    assert figures["marked_days"] == 1
    assert figures["adherence"] == 0.5  # 1 March done, 3 March not; 2 March marked


def test_a_new_person_who_did_todays_routine_has_full_adherence(alice):
    with time_machine.travel(
        datetime.datetime(2026, 3, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=False
    ):
        joined(alice, D(2026, 3, 10))
        log(alice, D(2026, 3, 10))
        figures = progress.summary(alice)

    # the default range is 30 days, but only today is a day of hers in Backcare
    assert figures["start"] == D(2026, 2, 9)
    assert figures["adherence"] == 1.0


def test_adherence_counts_from_a_first_log_before_sign_up(alice):
    joined(alice, D(2026, 3, 10))
    pain(alice, D(2026, 3, 5), 4)
    log(alice, D(2026, 3, 10))

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 10))

    # first day 5 March: 6 planned days, 1 active
    assert figures["adherence"] == round(1 / 6, 4)


def test_a_range_that_ends_before_the_first_day_has_no_adherence(alice):
    joined(alice, D(2026, 3, 10))

    figures = progress.summary(alice, start=D(2026, 2, 1), end=D(2026, 2, 28))

    assert figures["adherence"] is None


def test_the_pure_adherence_takes_marks_and_the_first_day():
    sessions = [D(2026, 3, 4), D(2026, 3, 5)]

    rate = progress.adherence(sessions, D(2026, 3, 1), D(2026, 3, 6), marked=[D(2026, 3, 6)], first_day=D(2026, 3, 3))

    assert rate == 2 / 3  # 3, 4, 5 March planned; 6 marked; 1–2 before the first day
