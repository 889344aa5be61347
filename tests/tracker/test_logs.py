"""The rules in tracker.logs hold whoever calls them, and the database stands behind them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker import logs
from tracker.models import PainEntry, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]


def test_session_log_names_every_bad_field_at_once(alice):
    with pytest.raises(ValidationError) as caught:
        logs.session_log(user=alice, date=datetime.date(2026, 6, 16), duration_minutes=0, pain_after=11)
    assert set(caught.value.message_dict) == {"date", "duration_minutes", "pain_after"}
    assert Session.objects.count() == 0


def test_a_pain_entry_that_loses_a_race_gets_the_field_message_not_a_server_error(alice):
    PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 15), score=3, context="rest")
    # As if a second request had passed the duplicate check a moment before the first saved.
    late = PainEntry(user=alice, date=datetime.date(2026, 6, 15), score=5, context="rest")
    with pytest.raises(ValidationError) as caught:
        logs._save_pain_entry(late)
    assert "context" in caught.value.message_dict
    assert PainEntry.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_minutes": 0},
        {"duration_minutes": 241},
        {"pain_before": 11},
        {"date": datetime.date(1899, 12, 31)},
        {"notes": "x" * 2001},
    ],
)
def test_the_database_refuses_a_session_that_skips_the_rules(alice, fields):
    row = {"user": alice, "date": datetime.date(2026, 6, 1), "duration_minutes": 10, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(**row)


def test_the_database_refuses_a_second_pain_entry_for_a_date_and_context(alice):
    PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 1), score=3, context="rest")
    with pytest.raises(IntegrityError), transaction.atomic():
        PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 1), score=4, context="rest")


def test_the_database_refuses_a_pain_score_of_11(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 1), score=11, context="rest")


def test_self_check_save_records_the_chain_of_the_answers(alice):
    check = logs.self_check_save(user=alice, pelvis="unsure", causes=["excess-weight"])
    assert (check.chain, check.causes, check.date) == ("both", ["excess-weight"], datetime.date(2026, 6, 15))


def test_self_check_save_refuses_unknown_answers(alice):
    with pytest.raises(ValidationError):
        logs.self_check_save(user=alice, pelvis="sideways", causes=[])
