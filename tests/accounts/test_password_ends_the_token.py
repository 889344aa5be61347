"""An API token dies with the password it was made under: change, reset, admin or command alike."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new password 77"


@pytest.fixture
def stolen(alice):
    """A client holding alice's token, as someone who took it would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    assert client.get("/api/v1/sessions/").status_code == 200
    return client


def test_changing_the_password_ends_the_api_token(alice_client, stolen):
    answer = alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert answer.status_code == 302
    assert stolen.get("/api/v1/sessions/").status_code == 401


def test_resetting_the_password_ends_the_api_token(client, alice, stolen):
    uid, token = urlsafe_base64_encode(force_bytes(alice.pk)), default_token_generator.make_token(alice)
    form = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)

    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.url == reverse("password_reset_complete")
    assert stolen.get("/api/v1/sessions/").status_code == 401
    assert "API token stopped working" in client.get(done.url).content.decode()


def test_an_administrator_setting_the_password_ends_the_api_token(admin_client, alice, stolen):
    url = reverse("admin:auth_user_password_change", args=[alice.pk])

    answer = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert answer.status_code == 302
    assert stolen.get("/api/v1/sessions/").status_code == 401


def test_the_changepassword_command_ends_the_api_token(alice, stolen, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", "alice", stdout=None)

    assert stolen.get("/api/v1/sessions/").status_code == 401


def test_after_a_password_change_the_profile_says_a_new_token_is_needed(alice_client, stolen):
    alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    page = alice_client.get(reverse("profile")).content.decode()

    assert "You need a new token" in page
    assert "your password changed" in page


def test_a_token_made_after_the_change_works(alice_client, alice, stolen):
    alice_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    alice_client.post(reverse("profile-token"))
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=alice).key}")

    assert script.get("/api/v1/sessions/").status_code == 200


def test_saving_the_profile_without_a_new_password_keeps_the_token(alice_client, alice, stolen):
    alice_client.post(reverse("profile"), {"email": "alice@example.com", "timezone": "Asia/Tokyo", "program": ""})

    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"
    assert stolen.get("/api/v1/sessions/").status_code == 200
