"""The two-week self-experiment: a balanced random order, the result and verdict on a fixed dataset
worked out by hand, stopping early, and the A/B day on the dashboard and in the reminder."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker.experiment import arm_on, balanced_schedule, experiment_result, experiment_start, experiment_stop
from tracker.models import Delivery, Experiment, PainEntry, Session
from tracker.plans import todays_routine
from tracker.reminders.content import reminder_message

from .logs_helpers import make_routine

D = datetime.date
TODAY = D(2026, 6, 15)  # the log tests' frozen today
MAY_FIRST = D(2026, 5, 1)

pytestmark = pytest.mark.usefixtures("at_logs_now")


@pytest.fixture
def two(db):
    return make_routine("test-front"), make_routine("test-back")


def test_every_schedule_has_seven_days_of_each():
    schedules = {balanced_schedule(random.Random(seed)) for seed in range(200)}

    assert all(sorted(schedule) == ["A"] * 7 + ["B"] * 7 for schedule in schedules)
    assert len(schedules) > 150  # and the order really varies


def test_it_starts_with_a_balanced_schedule(alice, two):
    experiment = experiment_start(user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY)

    assert experiment.schedule.count("A") == experiment.schedule.count("B") == 7


@pytest.mark.parametrize(
    ("a", "b", "start", "field"),
    [(0, 0, TODAY, "routine_b"), (0, 1, TODAY - datetime.timedelta(days=1), "start_date")],
    ids=["same-routine", "in-the-past"],
)
def test_bad_setups_are_refused(alice, two, a, b, start, field):
    with pytest.raises(ValidationError) as refused:
        experiment_start(user=alice, routine_a=two[a], routine_b=two[b], start_date=start)

    assert field in refused.value.message_dict
    assert not Experiment.objects.exists()


def test_a_second_experiment_in_the_same_fortnight_is_refused(alice, two):
    experiment_start(user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY)

    with pytest.raises(ValidationError):
        experiment_start(user=alice, routine_a=two[1], routine_b=two[0], start_date=TODAY + datetime.timedelta(days=3))


def fixed(alice, two, *, a_mornings, b_mornings, start=MAY_FIRST):
    """An experiment from ``start`` with A on the first 7 days and B on the last 7, each day's routine
    done, and these next-morning scores."""
    experiment = Experiment.objects.create(
        user=alice, routine_a=two[0], routine_b=two[1], start_date=start, schedule="A" * 7 + "B" * 7
    )
    for offset, score in enumerate([*a_mornings, *b_mornings]):
        day = start + datetime.timedelta(days=offset)
        Session.objects.create(user=alice, routine=two[offset // 7], date=day, duration_minutes=5)
        PainEntry.objects.create(user=alice, date=day + datetime.timedelta(days=1), score=score, context="morning")
    return experiment


def test_the_result_on_a_fixed_dataset(alice, two):
    # after A: 3 3 4 2 3 3 3 (mean 3, var 1/3); after B: 5 6 5 4 5 5 5 (mean 5, var 1/3)
    # se √(2/21) = 0.3086, Welch df = 12; t(0.975, 12) = 2.1788: −2 ± 0.6724
    experiment = fixed(alice, two, a_mornings=[3, 3, 4, 2, 3, 3, 3], b_mornings=[5, 6, 5, 4, 5, 5, 5])

    result = experiment_result(experiment, today=TODAY)

    assert (result["a_days"], result["b_days"], result["difference"]) == (7, 7, -2.0)
    assert (result["ci_low"], result["ci_high"]) == (-2.67, -1.33)
    assert result["verdict"].startswith("Mornings after Routine test-front were less painful")


def test_an_interval_across_zero_says_no_clear_difference(alice, two):
    experiment = fixed(alice, two, a_mornings=[3, 5, 4, 2, 6, 3, 5], b_mornings=[4, 3, 5, 4, 5, 2, 4])

    result = experiment_result(experiment, today=TODAY)

    assert result["ci_low"] < 0 < result["ci_high"]
    assert result["verdict"].startswith("No clear difference")


def test_a_day_whose_routine_was_not_done_does_not_count(alice, two):
    experiment = fixed(alice, two, a_mornings=[3] * 7, b_mornings=[5] * 7)
    Session.objects.filter(user=alice, date=D(2026, 5, 1)).delete()

    assert experiment_result(experiment, today=TODAY)["a_days"] == 6


def test_stopping_early_ends_it_and_leaves_later_days_out(alice, two):
    experiment = fixed(alice, two, a_mornings=[3] * 7, b_mornings=[5] * 7, start=D(2026, 6, 10))

    experiment_stop(experiment=experiment, today=TODAY)  # day 6 of 14

    result = experiment_result(experiment, today=TODAY)
    assert arm_on(experiment, TODAY) is None
    assert (result["a_days"], result["b_days"], result["finished"]) == (5, 0, True)
    assert result["verdict"].startswith("Not enough mornings yet")


def test_todays_routine_is_the_experiments(alice, two):
    experiment = Experiment.objects.create(
        user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY, schedule="B" + "A" * 7 + "B" * 6
    )

    assert todays_routine(alice, TODAY) == (two[1], "experiment")
    assert todays_routine(alice, TODAY + datetime.timedelta(days=1)) == (two[0], "experiment")
    assert experiment.end_date == D(2026, 6, 28)


def test_the_page_sets_it_up_shows_the_days_and_stops_it(alice_client, alice, two):
    alice_client.post(
        reverse("tracker:experiment"), {"routine_a": "test-front", "routine_b": "test-back", "start_date": "2026-06-15"}
    )
    experiment = Experiment.objects.get(user=alice)

    page = alice_client.get(reverse("tracker:experiment")).content.decode()
    assert page.count("<td>A</td>") == 7 and page.count("<td>B</td>") == 7

    alice_client.post(reverse("tracker:experiment-stop", args=[experiment.pk]))
    experiment.refresh_from_db()
    assert experiment.stopped_on == TODAY


def test_bob_cannot_stop_alices_experiment(bob_client, alice, two):
    experiment = Experiment.objects.create(
        user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY, schedule="AB" * 7
    )

    assert bob_client.post(reverse("tracker:experiment-stop", args=[experiment.pk])).status_code == 404


def test_the_dashboard_names_the_experiments_routine(alice_client, alice, two):
    Experiment.objects.create(
        user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY, schedule="B" + "A" * 7 + "B" * 6
    )

    page = alice_client.get(reverse("tracker:dashboard")).content.decode()

    assert "Routine test-back" in page and "two-week self-experiment" in page


def test_the_reminder_names_the_experiments_routine(alice, two):
    Experiment.objects.create(
        user=alice, routine_a=two[0], routine_b=two[1], start_date=TODAY, schedule="B" + "A" * 7 + "B" * 6
    )
    delivery = Delivery.objects.create(user=alice, slot_at=datetime.datetime(2026, 6, 15, 6, 0, tzinfo=datetime.UTC))

    body = reminder_message(delivery).body

    assert "Today's routine: Routine test-back" in body
    assert "(today's routine in your two-week self-experiment)" in body
