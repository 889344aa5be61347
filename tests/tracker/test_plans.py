"""Today's routine without a program: what has eased the user's pain most, else their last self-check."""

import datetime

from routines.selfcheck import assess
from tracker import logs
from tracker.models import Session
from tracker.plans import todays_routine

from .logs_helpers import make_routine

TODAY = datetime.date(2026, 6, 12)


def log(user, routine, *pains, count=1):
    """``count`` sessions of ``routine``, each with the pain before and after given (None for not scored)."""
    before, after = pains or (None, None)
    for _ in range(count):
        Session.objects.create(
            user=user, routine=routine, date=TODAY, duration_minutes=10, pain_before=before, pain_after=after
        )


def test_the_routine_that_eased_pain_most_is_todays(alice):
    little, most = make_routine("test-little"), make_routine("test-most")
    log(alice, little, 6, 5, count=3)
    log(alice, most, 7, 3)
    assert todays_routine(alice, TODAY) == (most, "helped")


def test_a_session_missing_a_score_does_not_count_toward_the_relief(alice):
    steady, unscored = make_routine("test-steady"), make_routine("test-unscored")
    log(alice, steady, 6, 4)
    log(alice, unscored, 8, 7)
    log(alice, unscored, 9, None, count=2)  # would make its relief 5 if it counted as a drop to 0
    assert todays_routine(alice, TODAY) == (steady, "helped")


def test_on_equal_relief_the_more_used_routine_wins(alice):
    once, twice = make_routine("test-once"), make_routine("test-twice")
    log(alice, once, 5, 3)
    log(alice, twice, 5, 3, count=2)
    assert todays_routine(alice, TODAY) == (twice, "helped")


def test_a_routine_never_scored_comes_after_one_that_scored(alice):
    scored, never = make_routine("test-scored"), make_routine("test-never-scored")
    log(alice, never, count=5)
    log(alice, scored, 5, 4)
    assert todays_routine(alice, TODAY) == (scored, "helped")


def test_routines_never_scored_are_not_claimed_to_have_helped(alice):
    log(alice, make_routine("test-never-scored"), count=5)
    check = logs.self_check_save(user=alice, pelvis="arch", causes=["inactivity"])
    routine, why = todays_routine(alice, TODAY)
    assert why == "self-check"
    assert routine.slug == assess(pelvis=check.pelvis, causes=check.causes).routines[0]


def test_a_routine_after_which_pain_rose_or_stayed_is_not_claimed_to_have_helped(alice):
    log(alice, make_routine("test-worse"), 3, 5)
    log(alice, make_routine("test-same"), 4, 4)
    assert todays_routine(alice, TODAY) == (None, "none")


def test_only_the_users_own_sessions_count(alice, bob):
    mine, theirs = make_routine("test-mine"), make_routine("test-theirs")
    log(alice, mine, 5, 4)
    log(bob, theirs, 9, 0, count=3)
    assert todays_routine(alice, TODAY) == (mine, "helped")


def test_without_sessions_the_last_self_check_recommends(alice):
    check = logs.self_check_save(user=alice, pelvis="arch", causes=["inactivity"])
    routine, why = todays_routine(alice, TODAY)
    assert why == "self-check"
    assert routine.slug == assess(pelvis=check.pelvis, causes=check.causes).routines[0]
