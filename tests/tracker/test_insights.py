"""What helps (tracker.insights and /api/v1/insights/) on a fixed dataset whose means and 95 %
intervals were worked out by hand, with the t quantiles read from a printed table:
t(0.975, 4) = 2.7764, t(0.975, 5) = 2.5706."""

import datetime

import pytest
from django.urls import reverse

from tracker import insights
from tracker.models import PainEntry, Session

from .progress_data import log, routine

D = datetime.date
START, END = D(2026, 3, 1), D(2026, 3, 31)


def url():
    return reverse("api-insights")


def drops(user, made, values, first_day=1):
    for offset, drop in enumerate(values):
        log(user, D(2026, 3, first_day + offset), routine=made, before=5, after=5 - drop)


@pytest.fixture
def dataset(alice):
    steady = routine("test-steady", "Steady", "posterior", [["piriformis"]])
    short = routine("test-short", "Short", "anterior", [["psoas"]])
    unsure = routine("test-unsure", "Unsure", "both", [["quadratus-lumborum"]])
    drops(alice, steady, [1, 2, 3, 4, 5])  # mean 3, sd √2.5, se 0.7071: 3 ± 2.7764 × 0.7071 = 3 ± 1.9632
    drops(alice, short, [2, 2, 3, 3], first_day=10)  # n = 4: no interval
    drops(alice, unsure, [-2, -1, 0, 1, 2, 3], first_day=20)  # mean 0.5, sd √3.5, se 0.7638: 0.5 ± 1.9634
    # stressed days 7, 7, 8, 6, 7 (mean 7, var 0.5); the others 4, 4, 4, 4, 4 (mean 4, var 0):
    # se √(0.5/5 + 0) = 0.3162, Welch df = 0.01 / (0.01/4 + 0) = 4 (pooled would say 8);
    # 3 ± 2.7764 × 0.3162 = 3 ± 0.8780
    for day, score in enumerate([7, 7, 8, 6, 7], start=1):
        PainEntry.objects.create(user=alice, date=D(2026, 3, day), score=score, context="rest", factors=["stress"])
    for day, score in enumerate([4, 4, 4, 4, 4], start=10):
        PainEntry.objects.create(user=alice, date=D(2026, 3, day), score=score, context="rest", factors=["poor-sleep"])
    return alice


def by_key(rows, key):
    return {row[key]: row for row in rows}


def test_a_routine_with_five_scored_sessions_has_its_t_interval(dataset):
    row = by_key(insights.routine_insights(dataset, start=START, end=END), "routine")["test-steady"]

    assert (row["sessions"], row["average_drop"], row["ci_low"], row["ci_high"]) == (5, 3.0, 1.04, 4.96)
    assert row["verdict"].startswith("Helps")


def test_a_routine_with_four_scored_sessions_has_no_interval(dataset):
    row = by_key(insights.routine_insights(dataset, start=START, end=END), "routine")["test-short"]

    assert (row["sessions"], row["average_drop"], row["ci_low"], row["ci_high"]) == (4, 2.5, None, None)
    assert row["verdict"].startswith("Not enough data yet")


def test_an_interval_that_crosses_zero_says_no_clear_difference(dataset):
    row = by_key(insights.routine_insights(dataset, start=START, end=END), "routine")["test-unsure"]

    assert (row["average_drop"], row["ci_low"], row["ci_high"]) == (0.5, -1.46, 2.46)
    assert row["verdict"].startswith("No clear difference")


def test_a_factor_has_the_welch_interval_of_the_difference(dataset):
    row = by_key(insights.factor_insights(dataset, start=START, end=END), "factor")["stress"]

    assert (row["with_entries"], row["without_entries"], row["difference"]) == (5, 5, 3.0)
    assert (row["ci_low"], row["ci_high"]) == (2.12, 3.88)
    assert row["verdict"].startswith("Pain is 3.0 points higher")


def test_a_factor_never_ticked_has_no_difference(dataset):
    row = by_key(insights.factor_insights(dataset, start=START, end=END), "factor")["lifting"]

    assert (row["with_entries"], row["without_entries"], row["difference"], row["ci_low"]) == (0, 10, None, None)


def test_sessions_without_both_scores_are_left_out(dataset):
    Session.objects.create(user=dataset, date=D(2026, 3, 9), duration_minutes=5, pain_before=8)
    rows = insights.routine_insights(dataset, start=START, end=END)

    assert sum(row["sessions"] for row in rows) == 15


# --- The API ----------------------------------------------------------------------


def test_the_api_answers_with_the_same_rows(alice_api, dataset):
    body = alice_api.get(url(), {"start": "2026-03-01", "end": "2026-03-31"}).json()

    steady = by_key(body["routines"], "routine")["test-steady"]
    assert (steady["ci_low"], steady["ci_high"]) == (1.04, 4.96)
    assert by_key(body["factors"], "factor")["stress"]["difference"] == 3.0


def test_another_users_data_never_counts(bob_api, dataset):
    body = bob_api.get(url(), {"start": "2026-03-01", "end": "2026-03-31"}).json()

    assert body["routines"] == []
    assert all(row["with_entries"] == 0 and row["without_entries"] == 0 for row in body["factors"])


def test_it_answers_401_without_credentials(api):
    assert api.get(url()).status_code == 401


def test_a_range_ending_before_it_starts_answers_400(alice_api):
    response = alice_api.get(url(), {"start": "2026-03-10", "end": "2026-03-01"})

    assert response.status_code == 400
    assert "end" in response.json()


@pytest.mark.parametrize("days", [5, 500])
def test_it_runs_two_queries_whatever_the_history(alice_api, alice, django_assert_num_queries, days):
    made = routine("test-steady", "Steady", "posterior", [["piriformis"]])
    first = END - datetime.timedelta(days=days - 1)
    Session.objects.bulk_create(
        Session(
            user=alice,
            routine=made,
            date=first + datetime.timedelta(days=n),
            duration_minutes=5,
            pain_before=5,
            pain_after=3,
        )
        for n in range(days)
    )

    # the scored sessions, the pain entries
    with django_assert_num_queries(2):
        assert alice_api.get(url(), {"start": first.isoformat(), "end": END.isoformat()}).status_code == 200
