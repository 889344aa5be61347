"""The weekly report's batched figures are the progress page's, person by person: progress.two_weeks
against progress.summary, insights.routine_insights_for against routine_insights, outcomes likewise."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from routines.models import Chain
from tracker import progress
from tracker.insights import routine_insights, routine_insights_for
from tracker.models import Outcome, PainEntry, Session
from tracker.outcomes.rules import outcome_changes, outcome_changes_for

from .logs_helpers import make_routine

END = datetime.date(2026, 6, 14)
PSFS = [{"activity": activity, "score": 4} for activity in ("sitting", "walking", "bending")]


def day(offset):
    return END - datetime.timedelta(days=offset)


@pytest.fixture
def people(db):
    User = get_user_model()
    posterior = make_routine("test-posterior", steps=1)
    anterior = make_routine("test-anterior", steps=1)
    anterior.chain = Chain.ANTERIOR
    anterior.save()
    made = []
    for n in range(3):
        person = User.objects.create_user(f"p{n}", f"p{n}@example.com", "x")
        for offset in range(n, 16, 2 + n):
            Session.objects.create(
                user=person,
                routine=[posterior, anterior, None][offset % 3],
                date=day(offset),
                duration_minutes=5 + offset,
                pain_before=None if offset % 4 == 0 else 6,
                pain_after=3 + n,
            )
            PainEntry.objects.create(user=person, date=day(offset), score=(offset + n) % 11, context="rest")
        for offset in (13, 6, 0)[: n + 1]:
            Outcome.objects.create(
                user=person, date=day(offset), walking_minutes=10 + offset, standing_minutes=20 - n, psfs=PSFS
            )
        made.append(person)
    return made


def summary_figures(person, start, end):
    summary = progress.summary(person, start=start, end=end)
    return {key: summary[key] for key in ("sessions", "minutes", "relief", "by_chain")}


def test_this_week_and_the_week_before_are_summarys_figures(people):
    figures = progress.two_weeks({person.pk: END for person in people})
    for person in people:
        assert figures[person.pk]["this_week"] == summary_figures(person, day(6), END)
        assert figures[person.pk]["week_before"] == summary_figures(person, day(13), day(7))


def test_the_pain_is_summarys_over_the_two_weeks(people):
    figures = progress.two_weeks({person.pk: END for person in people})
    for person in people:
        expected = progress.summary(person, start=day(13), end=END)["pain"]
        assert figures[person.pk]["pain"] == {key: expected[key] for key in figures[person.pk]["pain"]}


def test_what_helped_is_routine_insights_person_by_person(people):
    batched = routine_insights_for([person.pk for person in people], start=day(13), end=END)
    for person in people:
        assert batched[person.pk] == routine_insights(person, start=day(13), end=END)


def test_the_outcomes_are_outcome_changes_person_by_person(people):
    batched = outcome_changes_for([person.pk for person in people], start=day(13), end=END)
    for person in people:
        assert batched[person.pk] == outcome_changes(person, start=day(13), end=END)


def test_people_with_different_report_days_cost_three_queries_a_day(people, django_assert_num_queries):
    ends = {people[0].pk: END, people[1].pk: END, people[2].pk: day(1)}
    with django_assert_num_queries(2 * 3):
        figures = progress.two_weeks(ends)
    assert figures[people[2].pk]["this_week"] == summary_figures(people[2], day(7), day(1))
