"""Every figure of PRODUCT.md §1 Progress on hand-computed cases (tracker.progress, no HTTP)."""

import datetime
import zoneinfo

import pytest
import time_machine

from tracker import progress
from tracker.models import SelfCheck, Session

from .progress_data import days, every_day, history, log, pain, remind_on, routine

D = datetime.date
M = 0.5 ** (1 / 13)  # Loop's daily multiplier for a habit planned every day (f = 7/7)


def at(zone, *args):
    """An instant given as local wall-clock time in ``zone``."""
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


# --- Streaks ------------------------------------------------------------------------


def test_streak_runs_across_a_month_boundary(alice):
    for day in days(D(2026, 1, 29), D(2026, 2, 2)):
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 1, 20), end=D(2026, 2, 2))

    # 29, 30, 31 January + 1, 2 February = 5 consecutive days
    assert (figures["current_streak"], figures["longest_streak"]) == (5, 5)


def test_streak_still_counts_while_today_has_no_session_yet(alice):
    for day in days(D(2026, 2, 1), D(2026, 2, 3)):
        log(alice, day)

    with time_machine.travel(at("Europe/Paris", 2026, 2, 4, 21, 0), tick=False):
        figures = progress.summary(alice)

    # Today (4 Feb) is not over: the run 1–3 Feb still stands.
    assert figures["end"] == D(2026, 2, 4)
    assert figures["current_streak"] == 3


def test_streak_breaks_once_a_whole_day_passed_without_a_session(alice):
    for day in days(D(2026, 2, 1), D(2026, 2, 3)):
        log(alice, day)

    with time_machine.travel(at("Europe/Paris", 2026, 2, 5, 0, 5), tick=False):
        figures = progress.summary(alice)

    # 4 Feb ended without a session.
    assert (figures["current_streak"], figures["longest_streak"]) == (0, 3)


def test_a_gap_ends_the_current_streak_but_not_the_longest(alice):
    for day in [D(2026, 2, 1), D(2026, 2, 2), D(2026, 2, 3), D(2026, 2, 5), D(2026, 2, 6)]:
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 2, 1), end=D(2026, 2, 6))

    # 1–3 Feb (3 days), gap on the 4th, then 5–6 Feb (2 days)
    assert (figures["current_streak"], figures["longest_streak"]) == (2, 3)


def test_streaks_count_history_before_the_range_and_nothing_after_it(alice):
    for day in days(D(2026, 1, 1), D(2026, 1, 20)):
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 1, 15), end=D(2026, 1, 17))

    # The run started on 1 Jan, before the range; 18–20 Jan come after its end.
    assert (figures["current_streak"], figures["longest_streak"], figures["active_days"]) == (17, 17, 3)


def test_two_sessions_on_one_day_make_one_active_day(alice):
    log(alice, D(2026, 2, 1), minutes=10)
    log(alice, D(2026, 2, 1), minutes=20)

    figures = progress.summary(alice, start=D(2026, 2, 1), end=D(2026, 2, 1))

    assert (figures["sessions"], figures["minutes"], figures["active_days"], figures["current_streak"]) == (2, 30, 1, 1)


# --- "Today" is the user's own date --------------------------------------------------


def test_today_is_the_local_date_where_utc_is_still_on_the_day_before(alice):
    log(alice, D(2026, 3, 11))

    # 23:30 UTC on 10 March is 00:30 on 11 March in Paris.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False):
        figures = progress.summary(alice)

    assert (figures["start"], figures["end"]) == (D(2026, 2, 10), D(2026, 3, 11))
    assert (figures["sessions"], figures["current_streak"]) == (1, 1)


def test_today_is_the_local_date_where_utc_is_already_on_the_next_day(bob):
    log(bob, D(2026, 3, 11))

    # 02:00 UTC on 11 March is 22:00 on 10 March in New York: the session is in the future.
    with time_machine.travel(datetime.datetime(2026, 3, 11, 2, 0, tzinfo=datetime.UTC), tick=False):
        figures = progress.summary(bob)

    assert figures["end"] == D(2026, 3, 10)
    assert (figures["sessions"], figures["current_streak"]) == (0, 0)


# --- Daylight-saving weeks: dates are calendar dates, a 23- or 25-hour day is one day ---


@pytest.mark.parametrize(
    ("zone", "first", "last", "now"),
    [
        # Paris springs forward at 02:00 on 29 March 2026; "now" is 03:30 CEST that morning.
        ("Europe/Paris", D(2026, 3, 26), D(2026, 3, 29), at("Europe/Paris", 2026, 3, 29, 3, 30)),
        # New York springs forward at 02:00 on 8 March 2026.
        ("America/New_York", D(2026, 3, 5), D(2026, 3, 8), at("America/New_York", 2026, 3, 8, 23, 30)),
        # New York falls back at 02:00 on 1 November 2026; 01:30 happens twice, this is the second.
        (
            "America/New_York",
            D(2026, 10, 29),
            D(2026, 11, 1),
            at("America/New_York", 2026, 11, 1, 1, 30).replace(fold=1),
        ),
    ],
)
def test_a_daylight_saving_change_moves_no_figure(django_user_model, zone, first, last, now):
    user = django_user_model.objects.create_user("carol", timezone=zone)
    before_change = first - datetime.timedelta(days=3)
    for day in days(before_change, last):  # 7 days in a row, the change inside
        log(user, day)
        pain(user, day, 4)
    with time_machine.travel(now, tick=False):
        figures = progress.summary(user, start=before_change)
        rows = progress.daily(user, start=before_change)

    assert figures["end"] == last
    assert [row["date"] for row in rows] == days(before_change, last)
    assert [row["sessions"] for row in rows] == [1] * 7
    # 7 perfect days: 1 − m**7 = 1 − 0.5**(7/13) = 0.3115
    assert (figures["current_streak"], figures["active_days"], figures["habit_strength"]) == (7, 7, 0.3115)


# --- Adherence ---------------------------------------------------------------------


def test_adherence_counts_only_the_reminder_weekdays(alice):
    remind_on(alice, [0, 2, 4])  # Monday, Wednesday, Friday
    # Mon 2 Mar – Sun 15 Mar 2026: planned days are 2, 4, 6, 9, 11, 13 March = 6
    for day in [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 13)]:  # Mon, Tue, Wed, Fri
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 3, 2), end=D(2026, 3, 15))

    # Active planned days: 2, 4, 13 March = 3 (Tuesday the 3rd is not planned); 3 / 6 = 0.5
    assert (figures["adherence"], figures["active_days"]) == (0.5, 4)


@pytest.mark.parametrize(("enabled", "weekdays"), [(False, [0, 2, 4]), (True, [])])
def test_adherence_plans_every_day_when_reminders_are_off_or_have_no_weekday(alice, enabled, weekdays):
    remind_on(alice, weekdays, enabled=enabled)
    for day in [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 13)]:
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 3, 2), end=D(2026, 3, 15))

    # 4 active days / 14 planned days = 0.285714…
    assert figures["adherence"] == 0.2857


def test_adherence_is_null_when_the_range_has_no_planned_day(alice):
    remind_on(alice, [0])  # Mondays only
    figures = progress.summary(alice, start=D(2026, 3, 3), end=D(2026, 3, 5))  # Tuesday to Thursday
    assert figures["adherence"] is None


# --- Habit strength ----------------------------------------------------------------


def test_habit_strength_is_zero_before_any_session(alice):
    assert progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 10))["habit_strength"] == 0


def test_habit_strength_is_zero_on_days_before_the_first_session(alice):
    log(alice, D(2026, 3, 20))
    assert progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 19))["habit_strength"] == 0


@pytest.mark.parametrize(
    ("perfect_days", "expected"),
    [
        (1, 0.0519),  # 1 − 0.5**(1/13) = 0.051922
        (14, 0.526),  # 1 − 0.5**(14/13) = 0.525961
        (60, 0.9592),  # 1 − 0.5**(60/13) = 0.959203
    ],
)
def test_habit_strength_after_perfect_days(alice, perfect_days, expected):
    end = D(2026, 6, 30)
    every_day(alice, end - datetime.timedelta(days=perfect_days - 1), end)

    figures = progress.summary(alice, start=end - datetime.timedelta(days=29), end=end)

    assert figures["habit_strength"] == expected
    assert expected == round(1 - M**perfect_days, 4)


def test_habit_strength_fades_on_days_without_a_session(alice):
    every_day(alice, D(2026, 6, 1), D(2026, 6, 14))

    figures = progress.summary(alice, start=D(2026, 6, 1), end=D(2026, 6, 17))

    # 14 perfect days, then 3 updates with done = 0: (1 − m**14) · m**3 = 0.525961 · 0.852226 = 0.448238
    assert figures["habit_strength"] == 0.4482


def test_habit_strength_of_a_three_days_a_week_plan_decays_slower(alice):
    remind_on(alice, [0, 2, 4])
    for day in [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 6)]:  # Mon, Wed, Fri
        log(alice, day)

    figures = progress.summary(alice, start=D(2026, 3, 2), end=D(2026, 3, 6))

    # m = 0.5**(sqrt(3/7)/13) = 0.965697; days 2..6 March done 1,0,1,0,1:
    # score = (1 − m)(m**4 + m**2 + 1) = 0.034303 · 2.802268 = 0.096127
    assert figures["habit_strength"] == 0.0961


# --- Pain and relief ---------------------------------------------------------------


def test_pain_averages_over_the_range_and_its_first_and_last_weeks(alice):
    pain(alice, D(2026, 2, 28), 10)  # before the range
    pain(alice, D(2026, 3, 1), 6, "walking")
    pain(alice, D(2026, 3, 1), 8, "standing")
    pain(alice, D(2026, 3, 3), 7)
    pain(alice, D(2026, 3, 10), 4)
    pain(alice, D(2026, 3, 14), 3, "walking")
    pain(alice, D(2026, 3, 14), 2, "night")
    pain(alice, D(2026, 3, 15), 0)  # after the range
    log(alice, D(2026, 3, 5), before=10, after=0)  # a session's scores feed relief, not pain

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 14))

    assert figures["pain"] == {
        "average": 5.0,  # (6 + 8 + 7 + 4 + 3 + 2) / 6 = 30 / 6
        "first_week_average": 7.0,  # 1–7 March: (6 + 8 + 7) / 3
        "last_week_average": 3.0,  # 8–14 March: (4 + 3 + 2) / 3
        "change": -4.0,  # 3 − 7: negative is better
        "by_area": [],  # no entry says where it hurts
    }


def test_pain_figures_are_null_without_entries(alice):
    pain(alice, D(2026, 3, 1), 5)
    figures = progress.summary(alice, start=D(2026, 3, 2), end=D(2026, 3, 20))
    assert figures["pain"] == {
        "average": None,
        "first_week_average": None,
        "last_week_average": None,
        "change": None,
        "by_area": [],
    }


def test_pain_change_is_null_when_one_week_has_no_entry(alice):
    pain(alice, D(2026, 3, 1), 5)
    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 20))
    assert (figures["pain"]["first_week_average"], figures["pain"]["last_week_average"]) == (5.0, None)
    assert figures["pain"]["change"] is None


def test_averages_are_rounded_to_two_decimals(alice):
    for score, context in [(1, "walking"), (2, "standing"), (2, "night")]:
        pain(alice, D(2026, 3, 1), score, context)
    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 1))
    assert figures["pain"]["average"] == 1.67  # 5 / 3 = 1.666…


def test_relief_averages_the_drop_over_sessions_with_both_scores(alice):
    log(alice, D(2026, 3, 1), before=6, after=4)
    log(alice, D(2026, 3, 2), before=7, after=3)
    log(alice, D(2026, 3, 3), before=5)
    log(alice, D(2026, 3, 4))

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 4))

    # (6 − 4 + 7 − 3) / 2 sessions with both = 3
    assert figures["relief"] == {"average_drop": 3.0}


# --- Breakdowns --------------------------------------------------------------------


@pytest.fixture
def two_routines(db):
    back = routine(
        "test-back", "Test back release", "posterior", [["gluteus-medius"], ["gluteus-medius", "piriformis"]]
    )
    front = routine("test-front", "Test front release", "anterior", [["psoas"]])
    return back, front


def test_breakdowns_by_routine_muscle_and_chain(alice, two_routines):
    back, front = two_routines
    log(alice, D(2026, 3, 1), 20, back, 6, 4)
    log(alice, D(2026, 3, 2), 10, back, 5, 5)
    log(alice, D(2026, 3, 3), 15, front, 8, 4)
    log(alice, D(2026, 3, 4), 5, None, 7, 6)

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 4))

    def short(rows, key):
        return {row[key]: (row["sessions"], row["minutes"], row["average_drop"]) for row in rows}

    # back: 20 + 10 min, drops 2 and 0 → 1.0; front: drop 4; free: drop 1
    assert [row["routine"] for row in figures["by_routine"]] == ["test-back", "test-front", None]
    assert short(figures["by_routine"], "routine") == {
        "test-back": (2, 30, 1.0),
        "test-front": (1, 15, 4.0),
        None: (1, 5, 1.0),
    }
    # gluteus medius is in both steps of "back" but each session counts once for it
    assert short(figures["by_muscle"], "muscle") == {
        "gluteus-medius": (2, 30, 1.0),
        "piriformis": (2, 30, 1.0),
        "psoas": (1, 15, 4.0),
    }
    assert short(figures["by_chain"], "chain") == {
        "posterior": (2, 30, 1.0),
        "anterior": (1, 15, 4.0),
        "both": (0, 0, None),
    }
    # all four sessions: (2 + 0 + 4 + 1) / 4 = 1.75
    assert (figures["sessions"], figures["minutes"], figures["relief"]["average_drop"]) == (4, 50, 1.75)


def test_breakdown_rows_carry_the_names_and_averages_before_and_after(alice, two_routines):
    back, _ = two_routines
    log(alice, D(2026, 3, 1), 20, back, 6, 4)
    log(alice, D(2026, 3, 2), 10, back, 5, 5)

    row = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 2))["by_routine"][0]

    # before (6 + 5) / 2 = 5.5, after (4 + 5) / 2 = 4.5
    assert row == {
        "routine": "test-back",
        "name": "Test back release",
        "sessions": 2,
        "minutes": 30,
        "average_drop": 1.0,
        "average_before": 5.5,
        "average_after": 4.5,
    }


# --- The daily series --------------------------------------------------------------


def test_daily_has_one_row_per_day_with_empty_days(alice):
    log(alice, D(2026, 3, 2), 10)
    log(alice, D(2026, 3, 2), 25)
    pain(alice, D(2026, 3, 2), 3, "walking")
    pain(alice, D(2026, 3, 2), 6, "night")
    pain(alice, D(2026, 3, 3), 5)

    rows = progress.daily(alice, start=D(2026, 3, 1), end=D(2026, 3, 3))

    assert rows == [
        {"date": D(2026, 3, 1), "sessions": 0, "minutes": 0, "pain_average": None},
        {"date": D(2026, 3, 2), "sessions": 2, "minutes": 35, "pain_average": 4.5},  # (3 + 6) / 2
        {"date": D(2026, 3, 3), "sessions": 0, "minutes": 0, "pain_average": 5.0},
    ]


# --- The range ---------------------------------------------------------------------


def test_the_default_range_is_the_30_days_ending_today(alice):
    with time_machine.travel(at("Europe/Paris", 2026, 3, 31, 12, 0), tick=False):
        assert progress.resolve_range(alice) == (D(2026, 3, 2), D(2026, 3, 31))


def test_a_start_alone_runs_to_today_and_an_end_alone_covers_30_days(alice):
    with time_machine.travel(at("Europe/Paris", 2026, 3, 31, 12, 0), tick=False):
        assert progress.resolve_range(alice, D(2026, 3, 20)) == (D(2026, 3, 20), D(2026, 3, 31))
        assert progress.resolve_range(alice, None, D(2026, 1, 30)) == (D(2026, 1, 1), D(2026, 1, 30))


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(2026, 3, 10), D(2026, 3, 9), "end"),  # end before start
        (D(2020, 1, 1), D(2025, 1, 1), "end"),  # 5 years and a day
        (D(1899, 12, 31), D(1900, 1, 5), "start"),
        (D(2999, 12, 1), D(3000, 1, 1), "end"),
    ],
)
def test_an_impossible_range_is_refused_with_the_field_at_fault(alice, start, end, field):
    with pytest.raises(progress.RangeError) as refused:
        progress.resolve_range(alice, start, end)
    assert refused.value.field == field


def test_a_range_of_exactly_five_years_is_accepted(alice):
    # 1 Jan 2020 – 31 Dec 2024: five calendar years, 1,827 days
    assert progress.resolve_range(alice, D(2020, 1, 1), D(2024, 12, 31)) == (D(2020, 1, 1), D(2024, 12, 31))


def test_a_start_after_today_without_an_end_is_refused(alice):
    with (
        time_machine.travel(at("Europe/Paris", 2026, 3, 31, 12, 0), tick=False),
        pytest.raises(progress.RangeError) as refused,
    ):
        progress.resolve_range(alice, D(2026, 4, 2))
    assert refused.value.field == "start"


# The pain warnings are tested in test_pain_warnings.py.


# --- Self-checks against pain ---------------------------------------------------------


def check(user, day, chain="posterior"):
    return SelfCheck.objects.create(user=user, date=day, pelvis="tuck", causes=[], chain=chain)


def test_each_self_check_in_the_range_comes_with_the_7_day_pain_average_ending_that_date(alice, bob):
    pain(alice, D(2026, 3, 3), 8)  # 8 days before the check on the 10th: outside its week
    pain(alice, D(2026, 3, 4), 6)
    pain(alice, D(2026, 3, 10), 3, context="rest")
    pain(alice, D(2026, 3, 10), 3, context="walking")
    pain(bob, D(2026, 3, 9), 10)
    check(alice, D(2026, 3, 1), "anterior")  # before the range
    check(alice, D(2026, 3, 10))
    check(alice, D(2026, 3, 20), "both")  # no pain in its week
    check(bob, D(2026, 3, 10))

    rows = progress.self_checks_with_pain(alice, start=D(2026, 3, 5), end=D(2026, 3, 31))

    assert [(row["date"], row["chain"], row["chain_label"], row["pain_average"]) for row in rows] == [
        (D(2026, 3, 10), "posterior", "Posterior chain", 4.0),
        (D(2026, 3, 20), "both", "Both chains", None),
    ]


def test_the_self_check_pain_average_is_the_summarys_last_week_average(alice):
    for n, day in enumerate(days(D(2026, 2, 20), D(2026, 3, 10))):
        pain(alice, day, n % 7 + 1)
        if n % 3 == 0:
            pain(alice, day, 9, context="night")
    check(alice, D(2026, 3, 10))
    (row,) = progress.self_checks_with_pain(alice, start=D(2026, 3, 1), end=D(2026, 3, 10))
    summary = progress.summary(alice, start=D(2026, 2, 1), end=D(2026, 3, 10))
    assert row["pain_average"] == summary["pain"]["last_week_average"]


@pytest.mark.parametrize("checks", [1, 30])
def test_self_checks_with_pain_runs_two_queries_whatever_their_number(alice, checks, django_assert_num_queries):
    for n in range(checks):
        check(alice, D(2026, 3, 1) + datetime.timedelta(days=n))
        pain(alice, D(2026, 3, 1) + datetime.timedelta(days=n), n % 10)
    with django_assert_num_queries(2):
        progress.self_checks_with_pain(alice, start=D(2026, 3, 1), end=D(2026, 3, 31))


# --- Isolation and query counts ----------------------------------------------------


def test_another_users_logs_never_count(alice, bob):
    log(alice, D(2026, 3, 1), 10)
    for day in days(D(2026, 2, 1), D(2026, 3, 5)):
        log(bob, day, 30, before=9, after=1)
        pain(bob, day, 9)

    figures = progress.summary(alice, start=D(2026, 3, 1), end=D(2026, 3, 5))
    rows = progress.daily(alice, start=D(2026, 3, 1), end=D(2026, 3, 5))

    assert (figures["sessions"], figures["minutes"], figures["longest_streak"], figures["pain"]["average"]) == (
        1,
        10,
        1,
        None,
    )
    assert sum(row["sessions"] for row in rows) == 1


@pytest.mark.parametrize("years", [0, 3])
def test_summary_and_daily_run_a_fixed_number_of_queries(alice, two_routines, django_assert_num_queries, years):
    end = D(2026, 3, 31)
    first = end - datetime.timedelta(days=29 + 365 * years)
    history(alice, first, end)
    Session.objects.filter(user=alice, date__gte=end - datetime.timedelta(days=5)).update(routine=two_routines[0])
    remind_on(alice, [0, 2, 4])
    alice.refresh_from_db()  # forget the cached reminder schedule

    # the reminder schedule, the session dates, the marked days, the per-routine rows, the muscles,
    # the pain averages, the pain by area, the outcomes (sign-up is after the range: the first session is the first day)
    with django_assert_num_queries(8):
        progress.summary(alice, start=first, end=end)
    with django_assert_num_queries(2):
        progress.daily(alice, start=first, end=end)
