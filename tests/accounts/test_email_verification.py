"""A verified address before any email but the verification link and password resets."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from backcare.accounts.verification import verification_token
from tracker.models import Delivery, DeliveryStatus
from tracker.reminders.dispatcher import dispatch_due

from ..tracker.reminders_helpers import remind, send_one
from .conftest import link_in, outbox_to

pytestmark = pytest.mark.django_db
User = get_user_model()
VERIFY_PATH = r"/accounts/verify/[^/\s]+/"


def signup_data(**overrides):
    return {
        "username": "carol",
        "email": "carol@example.com",
        "password1": "a long walk in the park",
        "password2": "a long walk in the park",
        "timezone": "Europe/Paris",
        **overrides,
    }


@pytest.fixture
def dora(db, django_user_model):
    """Signed up, never opened the link."""
    from tests.conftest import make_user

    return make_user(django_user_model, "dora", timezone="Europe/Paris", email_verified=False)


# --- Sending the link ----------------------------------------------------------------------


def test_sign_up_sends_the_link_by_the_email_task_after_commit(client, sent):
    with sent():
        client.post(reverse("signup"), signup_data())
        assert mail.outbox == []  # nothing inside the request

    assert [message.to for message in mail.outbox] == [["carol@example.com"]]
    assert User.objects.get(username="carol").email_verified is False


def test_the_link_opens_a_page_whose_button_verifies_the_address(client, sent):
    with sent():
        client.post(reverse("signup"), signup_data())
    link = link_in(mail.outbox[0], VERIFY_PATH)

    shown = client.get(link)
    assert User.objects.get(username="carol").email_verified is False  # a mail scanner's GET verifies nothing
    done = client.post(link)

    assert "carol@example.com" in shown.content.decode()
    assert done.status_code == 200
    assert User.objects.get(username="carol").email_verified is True


def test_changing_the_address_unverifies_it_and_sends_the_link_to_the_new_one(alice_api, alice, sent):
    with sent():
        answer = alice_api.patch(reverse("api-profile"), {"email": "alice@new.example"}, format="json")

    alice.refresh_from_db()
    assert (answer.data["email_verified"], alice.email_verified) == (False, False)
    assert [message.to for message in mail.outbox] == [["alice@new.example"]]


def test_saving_the_profile_with_the_same_address_keeps_it_verified_and_sends_nothing(alice_client, alice, sent):
    with sent():
        alice_client.post(reverse("profile"), {"email": "alice@example.com", "timezone": "Europe/Paris", "program": ""})

    alice.refresh_from_db()
    assert alice.email_verified is True
    assert mail.outbox == []


def test_a_link_made_for_an_older_address_verifies_nothing(client, dora):
    token = verification_token(dora)
    dora.email = "dora@elsewhere.example"
    dora.save(update_fields=["email"])

    answer = client.post(reverse("email-verify", args=[token]))

    dora.refresh_from_db()
    assert answer.status_code == 400
    assert dora.email_verified is False


def test_a_link_older_than_three_days_verifies_nothing(client, dora):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        token = verification_token(dora)
    with time_machine.travel(datetime.datetime(2026, 6, 4, 9, 1, tzinfo=datetime.UTC), tick=False):
        answer = client.post(reverse("email-verify", args=[token]))

    dora.refresh_from_db()
    assert answer.status_code == 400
    assert dora.email_verified is False


def test_a_tampered_link_verifies_nothing(client, dora):
    answer = client.post(reverse("email-verify", args=[verification_token(dora)[:-2] + "xx"]))

    dora.refresh_from_db()
    assert (answer.status_code, dora.email_verified) == (400, False)


def test_the_profile_offers_to_send_the_link_again_and_sends_it(client, dora, sent):
    client.force_login(dora)
    assert "Send the link again" in client.get(reverse("profile")).content.decode()

    with sent():
        client.post(reverse("email-verify-resend"))

    assert len(outbox_to("dora@example.com")) == 1


# --- The profile API -------------------------------------------------------------------------


def test_the_profile_api_shows_email_verified_and_does_not_take_it(client, dora):
    client.force_login(dora)

    answer = client.patch(reverse("api-profile"), {"email_verified": True}, content_type="application/json")

    dora.refresh_from_db()
    assert (answer.json()["email_verified"], dora.email_verified) == (False, False)


# --- Administrators ----------------------------------------------------------------------------


def test_an_administrator_marks_addresses_verified_with_the_admin_action(admin_client, dora, alice):
    answer = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_email_verified", "_selected_action": [dora.pk]},
        follow=True,
    )

    dora.refresh_from_db()
    assert "1 email address(es) marked verified." in answer.content.decode()
    assert dora.email_verified is True


def test_the_verify_email_command_marks_the_named_people_verified(dora, django_user_model):
    from tests.conftest import make_user

    erin = make_user(django_user_model, "erin", email_verified=False)
    call_command("verify_email", "dora", "erin", stdout=None)

    assert list(User.objects.filter(pk__in=[dora.pk, erin.pk]).values_list("email_verified", flat=True)) == [True, True]


def test_the_verify_email_command_refuses_an_unknown_name_and_changes_nothing(dora):
    with pytest.raises(CommandError, match="No such user: nobody"):
        call_command("verify_email", "dora", "nobody")

    dora.refresh_from_db()
    assert dora.email_verified is False


# --- No other email to an unverified address ----------------------------------------------------


NOW = datetime.datetime(2026, 6, 12, 5, 30, tzinfo=datetime.UTC)  # Friday 07:30 in Paris


def due_delivery(user) -> Delivery:
    remind(user, now=NOW - datetime.timedelta(days=1))
    dispatch_due(now=NOW, batch_size=10)
    return Delivery.objects.get(user=user)


def test_a_reminder_due_for_an_unverified_address_is_recorded_as_skipped_with_the_reason(dora):
    delivery = due_delivery(dora)

    outcome = send_one(delivery.pk)

    delivery.refresh_from_db()
    assert outcome == "skipped"
    assert (delivery.status, delivery.skip_reason) == (DeliveryStatus.SKIPPED, "The email address is not verified.")
    assert mail.outbox == []


def test_a_reminder_due_for_a_verified_address_is_sent(alice):
    delivery = due_delivery(alice)

    assert send_one(delivery.pk) == "sent"
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]


def test_a_password_reset_still_reaches_an_unverified_address(client, dora, sent):
    with sent():
        client.post(reverse("password_reset"), {"email": "dora@example.com"})

    assert len(outbox_to("dora@example.com")) == 1


@pytest.mark.parametrize("persona, told", [("dora", True), ("alice", False)])
def test_the_reminders_page_says_nothing_is_sent_to_an_unconfirmed_address(client, dora, alice, persona, told):
    client.force_login({"dora": dora, "alice": alice}[persona])

    assert ("is not confirmed yet" in client.get(reverse("tracker:reminders")).content.decode()) is told
