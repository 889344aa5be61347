"""Invariants of the progress figures, on generated histories (hypothesis)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import progress
from tracker.models import PainContext, PainEntry, Session

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

some_dates = st.lists(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)), max_size=120)
a_date = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31))
weekdays = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)


@given(dates=some_dates, end=a_date)
def test_longest_streak_is_never_shorter_than_the_current_one(dates, end):
    assert progress.longest_streak(dates, end) >= progress.current_streak(dates, end)


@given(dates=some_dates, end=a_date)
def test_current_streak_is_a_run_of_active_days_ending_at_end_or_the_day_before(dates, end):
    streak = progress.current_streak(dates, end)
    active = set(dates)
    if streak:
        last = end if end in active else end - ONE_DAY
        assert all(last - ONE_DAY * n in active for n in range(streak))
        assert last - ONE_DAY * streak not in active


@given(end=a_date, length=st.integers(min_value=0, max_value=60), earlier=some_dates, rested_today=st.booleans())
def test_current_streak_is_the_length_of_the_run_that_reaches_end_or_the_day_before(end, length, earlier, rested_today):
    last = end - ONE_DAY if rested_today else end
    run = [last - ONE_DAY * n for n in range(length)]
    # Older sessions stop short of the day before the run, which stays without one.
    older = [day for day in earlier if day < last - ONE_DAY * (length + 1)]

    assert progress.current_streak(run + older, end) == length


@given(dates=some_dates, end=a_date, planned=weekdays)
def test_habit_strength_stays_within_zero_and_one(dates, end, planned):
    assert 0 <= progress.habit_strength(dates, end, planned) <= 1


@given(dates=some_dates, end=a_date, planned=weekdays)
def test_habit_strength_equals_the_day_by_day_definition(dates, end, planned):
    m = progress.habit_multiplier(planned)
    active = {day for day in dates if day <= end}
    score = 0.0
    if active:
        day = min(active)
        while day <= end:  # once per day from the first session through end
            score = score * m + (1 if day in active else 0) * (1 - m)
            day += ONE_DAY
    assert abs(progress.habit_strength(dates, end, planned) - score) < 1e-9


@given(dates=some_dates, start=a_date, length=st.integers(min_value=0, max_value=400), planned=weekdays)
def test_adherence_stays_within_zero_and_one(dates, start, length, planned):
    end = start + datetime.timedelta(days=length)
    rate = progress.adherence(dates, start, end, planned)
    planned_count = sum(1 for n in range(length + 1) if (start + ONE_DAY * n).weekday() in planned)
    assert progress.planned_days(start, end, planned) == planned_count
    if planned_count:
        assert 0 <= rate <= 1
    else:
        assert rate is None


logs = st.lists(
    st.tuples(
        st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 31)),
        st.integers(min_value=1, max_value=240),
        st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    ),
    max_size=40,
)
scores = st.lists(
    st.tuples(
        st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 31)),
        st.sampled_from(PainContext.values),
        st.integers(min_value=0, max_value=10),
    ),
    max_size=40,
    unique_by=lambda entry: (entry[0], entry[1]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=logs, entries=scores, start=st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 31)))
def test_the_daily_series_adds_up_to_the_totals(alice, sessions, entries, start):
    Session.objects.filter(user=alice).delete()
    PainEntry.objects.filter(user=alice).delete()
    Session.objects.bulk_create(
        Session(user=alice, date=day, duration_minutes=minutes, pain_before=before, pain_after=before and before - 1)
        for day, minutes, before in sessions
    )
    PainEntry.objects.bulk_create(
        PainEntry(user=alice, date=day, context=context, score=score) for day, context, score in entries
    )
    end = D(2026, 3, 31)

    figures = progress.summary(alice, start=start, end=end)
    rows = progress.daily(alice, start=start, end=end)

    assert len(rows) == (end - start).days + 1
    assert sum(row["sessions"] for row in rows) == figures["sessions"]
    assert sum(row["minutes"] for row in rows) == figures["minutes"]
    assert sum(1 for row in rows if row["sessions"]) == figures["active_days"]
    assert sum(row["sessions"] for row in figures["by_routine"]) == figures["sessions"]
    assert (figures["pain"]["average"] is None) == all(row["pain_average"] is None for row in rows)
    assert figures["longest_streak"] >= figures["current_streak"]
    assert 0 <= figures["habit_strength"] <= 1
    # None only when the person's first day (sign-up, first log) comes after the range
    assert figures["adherence"] is None or 0 <= figures["adherence"] <= 1
