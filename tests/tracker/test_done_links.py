"""Done from the email: a reminder's signed pain links, confirmed without logging in, logged once."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.core.cache import cache

from routines.models import Routine
from tracker.done_links import done_token
from tracker.models import Delivery, PainEntry, ReminderSchedule, Session

from .logs_helpers import make_program, make_routine
from .reminders_helpers import send_one

UTC = datetime.UTC
SLOT = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=UTC)  # Friday 07:30 in Paris
NOW = SLOT + datetime.timedelta(hours=3)
TODAY = datetime.date(2026, 6, 12)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def routine(db):
    return make_routine("test-done-routine", steps=1)


def link(user, routine, *, score=3, date=TODAY, minutes=12):
    token = done_token(user_id=user.pk, date=date, routine=routine.slug, minutes=minutes, score=score)
    return f"/done/{token}/"


def open_valid_page(client, alice, routine):
    """The CSRF token a real page set, so that a refused POST is refused for its link, not for CSRF."""
    confirm(client, link(alice, routine, date=TODAY - datetime.timedelta(days=2)))


def confirm(client, url):
    """What the page's button does (pressed again, as from a page left open): a POST with the page's CSRF token."""
    page = client.get(url)
    if token := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()):
        client.csrf = token.group(1)
    return client.post(url, {"csrfmiddlewaretoken": getattr(client, "csrf", "")})


@pytest.fixture
def client(client):
    client.enforce_csrf_checks = True
    client.handler.enforce_csrf_checks = True
    return client


# --- The links in the email -----------------------------------------------------------


def test_every_reminder_with_a_routine_carries_pain_links_0_to_10_in_both_parts(alice, routine):
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30))
    send_one(Delivery.objects.create(user=alice, slot_at=SLOT).pk)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert "Done it? How is your back now?" in message.body and "Done it? How is your back now?" in html
    text_links = re.findall(rf"{re.escape(settings.SITE_URL)}/done/[^/\s]+/", message.body)
    assert len(set(text_links)) == 11
    assert all(f'href="{url}"' in html for url in text_links)


def test_an_emailed_link_opens_a_confirm_page_for_the_emailed_routine_and_score(alice, routine, client):
    alice.program = make_program(routine=routine)
    alice.program_started_on = TODAY
    alice.save()
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30))
    send_one(Delivery.objects.create(user=alice, slot_at=SLOT).pk)
    seven = re.search(r"  7: (\S+)", mail.outbox[0].body).group(1)
    page = client.get(seven.removeprefix(settings.SITE_URL))
    assert page.status_code == 200
    assert routine.name in page.content.decode() and "<td><strong>7/10</strong></td>" in page.content.decode()


# --- GET changes nothing; POST logs once ----------------------------------------------


def test_opening_the_link_stores_nothing(alice, routine, client):
    response = client.get(link(alice, routine))
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_the_button_logs_one_session_with_the_links_routine_date_and_score(alice, routine, client):
    response = confirm(client, link(alice, routine, score=4, minutes=12))
    assert response.status_code == 200
    session = Session.objects.get()
    assert (session.user, session.routine, session.date) == (alice, routine, TODAY)
    assert (session.pain_before, session.pain_after, session.duration_minutes) == (None, 4, 12)


def test_posting_the_same_link_twice_logs_one_session_and_says_it_is_already_logged(alice, routine, client):
    url = link(alice, routine)
    confirm(client, url)
    again = confirm(client, url)
    assert Session.objects.count() == 1
    assert "already logged" in again.content.decode()


def test_the_link_opened_again_after_logging_says_already_logged_and_offers_no_button(alice, routine, client):
    url = link(alice, routine)
    confirm(client, url)
    page = client.get(url).content.decode()
    assert "already logged" in page and "Log this session</button>" not in page


def test_another_score_from_the_same_email_logs_nothing_more(alice, routine, client):
    confirm(client, link(alice, routine, score=3))
    confirm(client, link(alice, routine, score=6))
    assert list(Session.objects.values_list("pain_after", flat=True)) == [3]


def test_the_session_carries_a_client_id_so_the_database_keeps_it_to_one(alice, routine, client):
    confirm(client, link(alice, routine))
    assert Session.objects.get().client_id is not None


def test_a_post_without_the_csrf_token_logs_nothing(alice, routine, client):
    response = client.post(link(alice, routine))
    assert response.status_code == 403
    assert not Session.objects.exists()


# --- Whose session --------------------------------------------------------------------


def test_a_link_logs_for_its_own_person_even_when_someone_else_is_logged_in(alice, bob, routine, client):
    client.force_login(bob)
    confirm(client, link(alice, routine))
    assert list(Session.objects.values_list("user__username", flat=True)) == ["alice"]


def test_alices_used_link_cannot_log_a_session_for_bob(alice, bob, routine, client):
    url = link(alice, routine)
    confirm(client, url)
    client.force_login(bob)
    confirm(client, url)
    assert not Session.objects.filter(user=bob).exists()
    assert Session.objects.count() == 1


def test_a_link_for_another_day_is_another_session(alice, routine, client):
    confirm(client, link(alice, routine, date=TODAY))
    confirm(client, link(alice, routine, date=TODAY - datetime.timedelta(days=1)))
    assert Session.objects.filter(user=alice).count() == 2


# --- Bad links ------------------------------------------------------------------------


def test_a_tampered_link_answers_400_and_stores_nothing(alice, routine, client):
    token = link(alice, routine).split("/")[2]
    payload, rest = token.split(":", 1)
    tampered = f"/done/{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}:{rest}/"
    open_valid_page(client, alice, routine)
    Session.objects.all().delete()
    assert client.get(tampered).status_code == 400
    assert confirm(client, tampered).status_code == 400
    assert not Session.objects.exists()


def test_a_token_signed_for_something_else_is_not_a_done_link(alice, routine, client):
    forged = signing.dumps({"u": alice.pk, "d": "2026-06-12", "r": routine.slug, "m": 10, "s": 3})
    open_valid_page(client, alice, routine)
    Session.objects.all().delete()
    assert confirm(client, f"/done/{forged}/").status_code == 400
    assert not Session.objects.exists()


def test_a_link_past_three_days_answers_410_and_stores_nothing(alice, routine, client):
    url = link(alice, routine)
    open_valid_page(client, alice, routine)  # a page opened in time set the CSRF token
    Session.objects.all().delete()
    with time_machine.travel(NOW + datetime.timedelta(days=3, minutes=1), tick=False):
        page = client.get(url)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
        assert confirm(client, url).status_code == 410
    assert not Session.objects.exists()


def test_a_link_still_works_on_its_third_day(alice, routine, client):
    url = link(alice, routine)
    with time_machine.travel(NOW + datetime.timedelta(days=2, hours=23), tick=False):
        confirm(client, url)
    assert Session.objects.count() == 1


def test_a_link_of_an_inactive_account_logs_nothing(alice, routine, client):
    url = link(alice, routine)
    open_valid_page(client, alice, routine)
    Session.objects.all().delete()
    alice.is_active = False
    alice.save()
    assert confirm(client, url).status_code == 410
    assert not Session.objects.exists()


def test_too_many_visits_from_one_address_are_refused(alice, routine, client, settings):
    open_valid_page(client, alice, routine)
    Session.objects.all().delete()
    settings.RATELIMIT_ENABLE = True
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "done_link": "2/h"}
    cache.clear()
    url = link(alice, routine)
    client.get(url)
    client.get(url)
    assert client.get(url).status_code == 429
    assert confirm(client, url).status_code == 429
    assert not Session.objects.exists()
    cache.clear()


# --- Health advice after logging ------------------------------------------------------


def test_a_high_score_shows_the_pain_warning_and_the_warning_signs_after_logging(alice, routine, client):
    page = confirm(client, link(alice, routine, score=9)).content.decode()
    assert "Your pain needs attention" in page
    assert "A pain score of 9/10 in the last 3 days." in page
    assert 'href="/warning-signs/"' in page


def test_a_low_score_with_no_other_sign_shows_no_pain_warning(alice, routine, client):
    page = confirm(client, link(alice, routine, score=2)).content.decode()
    assert "Your pain needs attention" not in page


def test_a_warning_from_earlier_entries_shows_even_with_a_low_score(alice, routine, client):
    PainEntry.objects.create(user=alice, date=TODAY, score=8, context="rest")
    page = confirm(client, link(alice, routine, score=2)).content.decode()
    assert "A pain score of 8/10 in the last 3 days." in page


def test_after_a_pain_warning_the_links_log_the_gentlest_routine_the_email_offers(alice, client):
    PainEntry.objects.create(user=alice, date=TODAY - datetime.timedelta(days=1), score=6, context="night")
    alice.program = make_program(routine=Routine.objects.get(slug="hip-strength-basics"))
    alice.program_started_on = TODAY
    alice.save()
    ReminderSchedule.objects.create(user=alice, enabled=True, time=datetime.time(7, 30))
    send_one(Delivery.objects.create(user=alice, slot_at=SLOT).pk)
    body = mail.outbox[0].body
    minutes = int(re.search(r"The gentlest routine, about (\d+) minutes", body).group(1))
    confirm(client, re.search(r"  5: (\S+)", body).group(1).removeprefix(settings.SITE_URL))
    session = Session.objects.get()
    assert (session.routine.slug, session.duration_minutes, session.pain_after) == ("easing-day", minutes, 5)


def test_a_high_score_from_a_link_days_old_still_shows_the_pain_warning(alice, routine, client):
    three_days_on = datetime.datetime(2026, 6, 15, 6, 0, tzinfo=UTC)  # Monday 08:00 in Paris
    with time_machine.travel(three_days_on, tick=False):
        page = confirm(client, link(alice, routine, score=9)).content.decode()
    assert Session.objects.get().date == TODAY  # the slot's day, three days back
    assert "Your pain needs attention" in page


def test_a_link_the_rules_of_a_log_refuse_answers_400_and_stores_nothing(alice, routine, client):
    open_valid_page(client, alice, routine)
    Session.objects.all().delete()
    response = confirm(client, link(alice, routine, date=TODAY + datetime.timedelta(days=2)))
    assert response.status_code == 400
    assert "future" in response.content.decode()
    assert not Session.objects.exists()
