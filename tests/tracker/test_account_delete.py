"""Deleting an account: a confirmation first, then the user and everything they logged are gone."""

import datetime

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD
from tracker.models import Delivery, PainEntry, ReminderSchedule, SelfCheck, Session

from .progress_data import log, pain, remind_on

D = datetime.date
User = get_user_model()


def give_everything(user):
    log(user, D(2026, 3, 1), before=5, after=3)
    pain(user, D(2026, 3, 1), 4)
    SelfCheck.objects.create(user=user, date=D(2026, 3, 1), pelvis="tuck", causes=["inactivity"], chain="posterior")
    remind_on(user, [0, 2])
    Delivery.objects.create(user=user, slot_at=timezone.now(), status="sent")
    Token.objects.create(user=user)
    AccessLog.objects.create(username=user.username, ip_address="127.0.0.1", user_agent="test")


@pytest.fixture
def alice_signed_in(client, alice, bob):
    give_everything(alice)
    give_everything(bob)
    client.force_login(alice)
    return client


def everything_of(user_id):
    return [
        model.objects.filter(user_id=user_id).count()
        for model in (Session, PainEntry, SelfCheck, ReminderSchedule, Delivery, Token)
    ]


def test_the_page_asks_for_confirmation_and_says_what_goes(alice_signed_in):
    response = alice_signed_in.get(reverse("tracker:account-delete"))
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert b"1 session and 1 pain entry" in response.content


def test_a_wrong_password_deletes_nothing(alice_signed_in, alice):
    response = alice_signed_in.post(reverse("tracker:account-delete"), {"password": "not it"})

    assert response.status_code == 200
    assert b"That is not your password" in response.content
    assert User.objects.filter(pk=alice.pk).exists()
    assert everything_of(alice.pk) == [1, 1, 1, 1, 1, 1]


def test_the_right_password_removes_the_user_and_everything_they_logged(alice_signed_in, alice):
    response = alice_signed_in.post(reverse("tracker:account-delete"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert b"Your account and everything you logged have been deleted." in response.content
    assert not User.objects.filter(pk=alice.pk).exists()
    assert everything_of(alice.pk) == [0, 0, 0, 0, 0, 0]
    assert not AccessLog.objects.filter(username="alice").exists()


def test_after_deletion_the_browser_is_signed_out(alice_signed_in):
    alice_signed_in.post(reverse("tracker:account-delete"), {"password": PASSWORD})
    response = alice_signed_in.get(reverse("tracker:progress"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_deleting_alice_leaves_bob_untouched(alice_signed_in, bob):
    alice_signed_in.post(reverse("tracker:account-delete"), {"password": PASSWORD})
    assert everything_of(bob.pk) == [1, 1, 1, 1, 1, 1]
    assert AccessLog.objects.filter(username="bob").exists()


def test_a_get_deletes_nothing(alice_signed_in, alice):
    alice_signed_in.get(reverse("tracker:account-delete"))
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_page_needs_a_login(client):
    response = client.get(reverse("tracker:account-delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
