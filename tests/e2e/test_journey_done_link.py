"""Journey: done from the email. A real worker and beat send alice's reminder to an SMTP server on
loopback; she follows its "pain 3" link without logging in: the page shows what will be logged and
stores nothing; its button logs exactly one session; the same link again logs nothing more.
Also the weekly report email, rendered in Chromium at both sizes."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from routines.models import Routine
from tests.celery_helpers import wait_until
from tests.conftest import make_user
from tracker.models import Delivery, DeliveryKind, PainEntry, ReminderSchedule, Session
from tracker.reminders.sender import send_batch

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(catalog, django_user_model):
    return make_user(django_user_model, "alice", timezone="Europe/Paris")


@pytest.fixture
def helped(alice):
    """Yesterday's session eased alice's pain: the reminder names its routine as today's."""
    routine = Routine.objects.order_by("order", "pk").first()
    yesterday = alice.local_today() - datetime.timedelta(days=1)
    Session.objects.create(
        user=alice, routine=routine, date=yesterday, duration_minutes=10, pain_before=5, pain_after=3
    )
    return routine


def due_now(user):
    """Reminders every day at this minute, its slot due now (the slot itself, so no earlier one is missed)."""
    slot = user.local_now().replace(second=0, microsecond=0)
    ReminderSchedule.objects.create(user=user, enabled=True, time=slot.time(), next_due_at=slot)


def from_the_link(user):
    return Session.objects.filter(user=user, client_id__isnull=False)


@pytest.mark.worker
def test_a_pain_link_from_a_real_reminder_logs_one_session_after_the_button(alice, helped, celery, smtp, open_tab):
    handler, _ = smtp
    due_now(alice)
    celery.start()
    (email,) = wait_until(lambda: handler.received_by(alice.email), timeout=120, what="the email", processes=celery)
    text = email.get_body(("plain",)).get_content()
    assert "Done it? How is your back now?" in text
    url = re.search(r"^  3: (\S+)", text, re.MULTILINE)[1]

    tab = open_tab("alice")  # never logged in
    page = tab.page
    tab.page.set_content(email.get_body(("html",)).get_content())
    tab.screenshot("reminder-email")
    assert page.get_by_role("link", name="Pain 3 out of 10").get_attribute("href") == url

    path = url.removeprefix(tab.base_url)
    tab.goto(path, "confirm")
    assert page.get_by_role("heading", name="Log this session?").is_visible()
    assert helped.name in page.get_by_role("main").inner_text()
    assert "3/10" in page.get_by_role("main").inner_text()
    assert not from_the_link(alice).exists()  # GET stores nothing
    # The same email opened on another device too, left on its confirm page.
    other = open_tab("alice-phone")
    other.goto(path, "confirm-elsewhere")

    page.get_by_role("button", name="Log this session").click()
    tab.arrived(path, "logged")
    assert page.get_by_role("heading", name="Session logged").is_visible()
    (session,) = from_the_link(alice)
    assert (session.routine, session.pain_after, session.date) == (helped, 3, alice.local_today())

    tab.goto(path, "again")
    assert page.get_by_role("heading", name="Already logged").is_visible()
    assert page.get_by_role("button", name="Log this session").count() == 0

    other.page.get_by_role("button", name="Log this session").click()  # a second POST of the same link
    other.arrived(path, "pressed-elsewhere")
    assert other.page.get_by_role("heading", name="Already logged").is_visible()
    assert from_the_link(alice).count() == 1
    assert Session.objects.filter(user=alice).count() == 2  # yesterday's and the link's
    tab.assert_clean()
    other.assert_clean()


def test_a_high_score_link_shows_the_pain_warning_after_logging(alice, helped, live_server, open_tab, settings):
    settings.SITE_URL = live_server.url
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30))
    delivery = Delivery.objects.create(user=alice, slot_at=timezone.now())
    send_batch(delivery_ids=[delivery.pk])
    url = re.search(r"^  9: (\S+)", mail.outbox[0].body, re.MULTILINE)[1]
    tab = open_tab()
    path = url.removeprefix(tab.base_url)
    tab.goto(path, "confirm-9")
    tab.page.get_by_role("button", name="Log this session").click()
    tab.arrived(path, "logged-9")
    warning = tab.page.get_by_role("alert")
    assert "A pain score of 9/10 in the last 3 days." in warning.first.inner_text()
    tab.assert_clean()


def test_the_weekly_report_email_reads_at_both_sizes(alice, helped, open_tab, live_server, settings):
    settings.SITE_URL = live_server.url
    today = alice.local_today()
    for days, score in [(1, 4), (9, 6)]:
        PainEntry.objects.create(user=alice, date=today - datetime.timedelta(days=days), score=score, context="rest")
    ReminderSchedule.objects.create(user=alice, weekly_report=True, weekly_report_day=today.weekday())
    delivery = Delivery.objects.create(user=alice, slot_at=timezone.now(), kind=DeliveryKind.WEEKLY_REPORT)
    assert send_batch(delivery_ids=[delivery.pk]).outcomes[delivery.pk] == "sent"
    tab = open_tab()
    tab.page.set_content(mail.outbox[0].alternatives[0][0])
    tab.screenshot("weekly-report-email")
    assert tab.page.get_by_role("heading", name="Your week with Backcare").is_visible()
    assert tab.page.get_by_role("heading", name="Chain balance").is_visible()
    tab.assert_clean()


def test_the_weekly_report_is_turned_on_from_the_reminders_page(alice, open_tab):
    tab = open_tab("alice")
    log_in(tab, "alice")
    tab.goto(reverse("tracker:reminders"), "reminders")
    tab.page.get_by_label("Email me a weekly report").check()
    tab.page.get_by_label("Weekly report day").select_option("Monday")
    tab.page.get_by_role("button", name="Save reminders").click()
    tab.arrived(reverse("tracker:reminders"), "weekly-report-on")
    assert "Next weekly report: Monday" in tab.page.locator("p[role=status]").inner_text()
    schedule = ReminderSchedule.objects.get(user=alice)
    assert (schedule.enabled, schedule.weekly_report, schedule.weekly_report_day) == (False, True, 0)
    tab.assert_clean()
