"""The reminder email and safety: the emergency tier in every email, and easing mode after a pain warning."""

import datetime

import pytest
import time_machine
from django.core import mail

from routines.models import Routine
from routines.safety import warning_signs
from routines.safety.flare import FLARE_PLAN
from tracker.models import ContentItem, Delivery, PainEntry, ReminderSchedule, Session
from tracker.safety import WARNING_SIGNS_ITEM_TITLE

from .logs_helpers import make_program
from .reminders_helpers import send_one

pytestmark = pytest.mark.django_db

SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)  # Friday 07:30 in Paris
TODAY = datetime.date(2026, 6, 12)
PLANNED = "hip-strength-basics"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SLOT + datetime.timedelta(seconds=20), tick=False):
        yield


def send_reminder(user):
    user.program = make_program(routine=Routine.objects.get(slug=PLANNED))
    user.program_started_on = TODAY
    user.save(update_fields=["program", "program_started_on"])
    ReminderSchedule.objects.update_or_create(user=user, defaults={"enabled": True, "time": datetime.time(7, 30)})
    assert send_one(Delivery.objects.create(user=user, slot_at=SLOT).pk) == "sent"
    message = mail.outbox[-1]
    return message.subject, message.body, message.alternatives[0][0]


def test_every_reminder_carries_the_emergency_tier_and_a_link_to_all_warning_signs(alice):
    _, text, html = send_reminder(alice)
    for part in (text, html):
        assert warning_signs.EMERGENCY_SENTENCE in part
        assert "/warning-signs/" in part


def test_without_a_warning_the_reminder_follows_the_plan(alice):
    subject, text, _ = send_reminder(alice)
    assert subject.startswith("Today: Hip strength basics")
    assert "Today's routine: Hip strength basics" in text
    assert "Your pain needs attention" not in text


def test_after_a_session_that_got_worse_the_next_reminder_eases_off_with_the_gentlest_routine(alice):
    Session.objects.create(
        user=alice, date=TODAY - datetime.timedelta(days=1), duration_minutes=15, pain_before=3, pain_after=7
    )
    subject, text, html = send_reminder(alice)
    assert subject == "Your pain needs attention: ease off today"
    for part in (text, html):
        assert "Your pain rose from 3 to 7 during a session on 11 June." in part
        assert "Easing day" in part
        assert "Hip strength basics" not in part
        assert FLARE_PLAN[0] in part
        for tier in warning_signs.tiers():
            assert tier.title in part
            assert tier.action in part
        assert "/flare-up/" in part


def test_night_pain_switches_the_next_reminder_to_easing_mode(alice):
    PainEntry.objects.create(user=alice, date=TODAY - datetime.timedelta(days=2), score=6, context="night")
    subject, text, _ = send_reminder(alice)
    assert subject == "Your pain needs attention: ease off today"
    assert "Night pain of 6/10 in the last 7 days." in text


def test_the_content_item_about_warning_signs_lists_the_three_tiers_from_the_one_source(alice):
    item = ContentItem.objects.get(title=WARNING_SIGNS_ITEM_TITLE)
    ContentItem.objects.exclude(pk=item.pk).update(active=False)
    _, text, html = send_reminder(alice)
    for part in (text, html):
        assert "Know when to stop and see someone" in part
        for tier in warning_signs.tiers():
            assert tier.title in part
            assert all(sign in part for sign in tier.signs)


def test_another_content_item_carries_only_the_emergency_sentence(alice):
    ContentItem.objects.filter(title=WARNING_SIGNS_ITEM_TITLE).update(active=False)
    _, text, _ = send_reminder(alice)
    assert warning_signs.EMERGENCY_SENTENCE in text
    assert warning_signs.tier("urgent").title not in text
