"""“Today” is the user's own: a date is in the future only where the user lives."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from tracker.models import PainEntry, Session

from .logs_helpers import make_program, make_routine

# 20:00 UTC on 10 June is already 08:00 on 11 June in Auckland (NZST, UTC+12).
AUCKLAND_MORNING = datetime.datetime(2026, 6, 10, 20, 0, tzinfo=datetime.UTC)
# 02:00 UTC on 11 June is still 19:00 on 10 June in Los Angeles (PDT, UTC-7).
LOS_ANGELES_EVENING = datetime.datetime(2026, 6, 11, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def kiri(db, django_user_model):
    return django_user_model.objects.create_user(
        "kiri", "kiri@example.com", "pw-kiri-12345", timezone="Pacific/Auckland"
    )


@pytest.fixture
def lucy(db, django_user_model):
    return django_user_model.objects.create_user(
        "lucy", "lucy@example.com", "pw-lucy-12345", timezone="America/Los_Angeles"
    )


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_auckland_logs_today_while_the_utc_date_is_still_yesterday(kiri):
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        response = api_for(kiri).post(reverse("session-list"), {"date": "2026-06-11", "duration_minutes": 10})
    assert response.status_code == 201, response.data
    assert Session.objects.get(user=kiri).date == datetime.date(2026, 6, 11)


def test_auckland_cannot_log_the_day_after_its_today(kiri):
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        response = api_for(kiri).post(reverse("session-list"), {"date": "2026-06-12", "duration_minutes": 10})
    assert response.status_code == 400
    assert "date" in response.data


def test_los_angeles_cannot_log_the_utc_date_that_is_still_tomorrow_there(lucy):
    with time_machine.travel(LOS_ANGELES_EVENING, tick=False):
        response = api_for(lucy).post(reverse("session-list"), {"date": "2026-06-11", "duration_minutes": 10})
    assert response.status_code == 400
    assert "date" in response.data
    assert Session.objects.count() == 0


def test_los_angeles_logs_its_own_today(lucy):
    with time_machine.travel(LOS_ANGELES_EVENING, tick=False):
        response = api_for(lucy).post(
            reverse("pain-entry-list"), {"date": "2026-06-10", "score": 3, "context": "night"}
        )
    assert response.status_code == 201, response.data
    assert PainEntry.objects.get(user=lucy).date == datetime.date(2026, 6, 10)


def test_los_angeles_pain_entry_for_the_utc_date_answers_400(lucy):
    with time_machine.travel(LOS_ANGELES_EVENING, tick=False):
        response = api_for(lucy).post(
            reverse("pain-entry-list"), {"date": "2026-06-11", "score": 3, "context": "night"}
        )
    assert response.status_code == 400
    assert PainEntry.objects.count() == 0


def test_auckland_web_form_logs_today(client, kiri):
    client.force_login(kiri)
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        response = client.post(reverse("tracker:pain-new"), {"date": "2026-06-11", "score": 4, "context": "morning"})
    assert response.status_code == 302
    assert PainEntry.objects.get(user=kiri).date == datetime.date(2026, 6, 11)


def test_los_angeles_web_form_refuses_the_utc_date(client, lucy):
    client.force_login(lucy)
    with time_machine.travel(LOS_ANGELES_EVENING, tick=False):
        response = client.post(
            reverse("tracker:session-new"), {"date": "2026-06-11", "duration_minutes": 10, "routine": ""}
        )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert Session.objects.count() == 0


def test_the_session_form_offers_the_users_own_today(client, kiri):
    client.force_login(kiri)
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        response = client.get(reverse("tracker:session-new"))
    assert 'value="2026-06-11"' in response.content.decode()


def test_the_player_logs_the_users_own_today(client, kiri):
    routine = make_routine()
    kiri.screened = True
    kiri.save(update_fields=["screened"])
    client.force_login(kiri)
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        client.post(reverse("tracker:player", args=[routine.slug]), {"duration_minutes": 9, "steps_completed": 2})
    assert Session.objects.get(user=kiri).date == datetime.date(2026, 6, 11)


def test_following_a_program_starts_on_the_users_own_today(lucy):
    program = make_program(routine=make_routine())
    with time_machine.travel(LOS_ANGELES_EVENING, tick=False):
        response = api_for(lucy).patch(reverse("api-profile"), {"program": program.slug})
    assert response.status_code == 200, response.data
    lucy.refresh_from_db()
    assert lucy.program_started_on == datetime.date(2026, 6, 10)


def test_an_unchanged_date_is_not_judged_again_after_moving_west(kiri):
    with time_machine.travel(AUCKLAND_MORNING, tick=False):
        session = Session.objects.create(user=kiri, date=datetime.date(2026, 6, 11), duration_minutes=10)
        kiri.timezone = "America/Los_Angeles"
        kiri.save()
        response = api_for(kiri).patch(reverse("session-detail", args=[session.pk]), {"notes": "Moved to LA."})
    assert response.status_code == 200, response.data
    session.refresh_from_db()
    assert (session.date, session.notes) == (datetime.date(2026, 6, 11), "Moved to LA.")
