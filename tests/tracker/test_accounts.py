import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD
from tracker.models import SelfCheck

from .logs_helpers import make_program, make_routine

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(**overrides):
    return {
        "username": "carol",
        "email": "carol@example.com",
        "password1": "a long walk in the park",
        "password2": "a long walk in the park",
        "timezone": "Pacific/Auckland",
        **overrides,
    }


# --- Sign up, log in, log out -----------------------------------------------------


def test_signup_asks_for_a_time_zone_guessed_from_the_browser(client):
    content = client.get(reverse("signup")).content.decode()
    assert re.search(r'<select name="timezone"[^>]*data-guess-timezone', content)
    for field in ("username", "email", "password1", "password2", "timezone"):
        assert f'<label for="id_{field}"' in content, field


def test_signup_creates_the_user_with_the_chosen_time_zone_and_logs_in(client):
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="carol")
    assert (user.email, user.timezone) == ("carol@example.com", "Pacific/Auckland")
    assert client.get(reverse("tracker:dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus_Mons"),
        ("email", "not-an-email"),
        ("password2", "something else"),
        ("username", "alice"),
    ],
)
def test_signup_refuses_bad_input_with_a_message_on_the_field(client, alice, field, value):
    response = client.post(reverse("signup"), signup_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username="carol").exists()


def test_login_and_logout(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.url == reverse("tracker:dashboard")
    client.post(reverse("logout"))
    assert client.get(reverse("tracker:dashboard")).status_code == 302


def test_a_wrong_password_does_not_log_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert client.get(reverse("tracker:dashboard")).status_code == 302


def test_the_login_page_links_signup_and_password_reset(client):
    content = client.get(reverse("login")).content.decode()
    assert reverse("signup") in content and reverse("password_reset") in content


# --- Passwords --------------------------------------------------------------------


@pytest.fixture
def tasks_run_here():
    """Celery tasks run in this process when published: the path from form to mailbox, without a broker."""
    from backcare.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_password_reset_sends_no_mail_inside_the_request(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_password_reset_sends_an_email_with_a_working_link(
    client, alice, tasks_run_here, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "new and long pw 42", "new_password2": "new and long pw 42"}
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("new and long pw 42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, alice, tasks_run_here, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "brand new pass 77", "new_password2": "brand new pass 77"},
    )
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("brand new pass 77")


# --- API token --------------------------------------------------------------------


def test_the_token_endpoint_returns_a_token_for_good_credentials(api, alice):
    response = api.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert response.data == {"token": Token.objects.get(user=alice).key}


def test_the_token_opens_the_api(api, alice):
    token = api.post(reverse("api-token"), {"username": "alice", "password": PASSWORD}).data["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-profile")).data["username"] == "alice"


def test_the_token_endpoint_answers_400_for_bad_credentials(api, alice):
    response = api.post(reverse("api-token"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.data


def test_the_profile_page_creates_a_token_on_request_shows_it_and_regenerates_it(client, alice):
    client.force_login(alice)
    assert "You need a new token" in client.get(reverse("profile")).content.decode()
    client.post(reverse("profile-token"))
    old = Token.objects.get(user=alice).key
    assert old in client.get(reverse("profile")).content.decode()
    client.post(reverse("profile-token"))
    new = Token.objects.get(user=alice).key
    assert new != old
    assert new in client.get(reverse("profile")).content.decode()


# --- Profile over the API ---------------------------------------------------------


def test_the_profile_api_answers_401_without_credentials(api):
    assert api.get(reverse("api-profile")).status_code == 401
    assert api.patch(reverse("api-profile"), {"timezone": "UTC"}).status_code == 401


def test_the_profile_api_shows_the_account_and_the_last_self_check(alice_api, alice):
    SelfCheck.objects.create(user=alice, date=datetime.date(2026, 5, 1), pelvis="tuck", causes=[], chain="posterior")
    SelfCheck.objects.create(
        user=alice, date=datetime.date(2026, 6, 1), pelvis="arch", causes=["inactivity"], chain="anterior"
    )
    response = alice_api.get(reverse("api-profile"))
    assert response.data == {
        "username": "alice",
        "email": "alice@example.com",
        "email_verified": True,
        "timezone": "Europe/Paris",
        "program": None,
        "program_started_on": None,
        "self_check": {"date": "2026-06-01", "pelvis": "arch", "causes": ["inactivity"], "chain": "anterior"},
        "conditions": [],
        "screened": False,
        "advanced_ack": False,
    }


def test_the_profile_api_changes_email_and_time_zone(alice_api, alice):
    response = alice_api.patch(reverse("api-profile"), {"email": "a@example.org", "timezone": "Asia/Tokyo"})
    assert response.status_code == 200, response.data
    alice.refresh_from_db()
    assert (alice.email, alice.timezone) == ("a@example.org", "Asia/Tokyo")


@pytest.mark.parametrize(
    ("field", "value"),
    [("timezone", "Mars/Olympus_Mons"), ("timezone", ""), ("email", "nope"), ("program", "no-such-program")],
)
def test_the_profile_api_refuses_bad_values(alice_api, alice, field, value):
    response = alice_api.patch(reverse("api-profile"), {field: value})
    assert response.status_code == 400
    assert field in response.data
    alice.refresh_from_db()
    assert (alice.timezone, alice.email, alice.program) == ("Europe/Paris", "alice@example.com", None)


def test_the_profile_api_ignores_a_username_change(alice_api, alice):
    alice_api.patch(reverse("api-profile"), {"username": "mallory"})
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_the_profile_api_has_no_put(alice_api):
    assert alice_api.put(reverse("api-profile"), {"timezone": "UTC"}).status_code == 405


def test_choosing_a_program_starts_it_today_and_null_stops_it(alice_api, alice):
    program = make_program(routine=make_routine())
    with time_machine.travel(datetime.datetime(2026, 6, 15, 23, 30, tzinfo=datetime.UTC), tick=False):
        response = alice_api.patch(reverse("api-profile"), {"program": program.slug})
    assert response.data["program"] == program.slug
    assert response.data["program_started_on"] == "2026-06-16"  # already tomorrow in Paris
    alice_api.patch(reverse("api-profile"), {"program": None})
    alice.refresh_from_db()
    assert (alice.program, alice.program_started_on) == (None, None)


def test_sending_the_same_program_keeps_its_start(alice_api, alice):
    program = make_program(routine=make_routine())
    alice.program, alice.program_started_on = program, datetime.date(2026, 1, 5)
    alice.save()
    alice_api.patch(reverse("api-profile"), {"program": program.slug, "timezone": "Europe/Berlin"})
    alice.refresh_from_db()
    assert alice.program_started_on == datetime.date(2026, 1, 5)


# --- Profile page -----------------------------------------------------------------


def test_the_profile_page_changes_the_time_zone(client, alice):
    client.force_login(alice)
    response = client.post(reverse("profile"), {"email": "alice@example.com", "timezone": "Asia/Tokyo", "program": ""})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Tokyo"


def test_the_profile_page_refuses_an_unknown_time_zone(client, alice):
    client.force_login(alice)
    response = client.post(reverse("profile"), {"email": "alice@example.com", "timezone": "Nowhere/Land"})
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.timezone == "Europe/Paris"


def test_the_profile_page_shows_the_saved_self_check(client, alice):
    SelfCheck.objects.create(
        user=alice, date=datetime.date(2026, 6, 1), pelvis="tuck", causes=["muscle-tightness"], chain="posterior"
    )
    client.force_login(alice)
    content = client.get(reverse("profile")).content.decode()
    assert "Posterior chain" in content and "Tight muscles" in content
