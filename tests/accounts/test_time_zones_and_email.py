"""One time-zone validator for forms and API (no localtime, Factory or EST); an email address everywhere."""

import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from backcare.accounts.forms import SignupForm
from tracker.api.reminders import ReminderScheduleSerializer
from tracker.serializers import ProfileSerializer

pytestmark = pytest.mark.django_db
User = get_user_model()
NOT_PLACES = ["localtime", "Factory", "EST", "EST5EDT", "GMT", "Etc/GMT+5", "posixrules"]


@pytest.mark.parametrize("zone", NOT_PLACES)
def test_the_profile_api_refuses_a_zone_that_is_not_a_place_and_stores_nothing(alice_api, alice, zone):
    answer = alice_api.patch(reverse("api-profile"), {"timezone": zone}, format="json")

    alice.refresh_from_db()
    assert answer.status_code == 400
    assert "not a known time zone" in answer.json()["timezone"][0]
    assert alice.timezone == "Europe/Paris"


@pytest.mark.parametrize("zone", ["localtime", "Factory", "EST"])
def test_the_reminders_api_refuses_a_zone_that_is_not_a_place_and_stores_nothing(alice_api, alice, zone):
    answer = alice_api.patch(reverse("api-reminders"), {"timezone": zone}, format="json")

    alice.refresh_from_db()
    assert answer.status_code == 400
    assert alice.timezone == "Europe/Paris"


def test_forms_and_api_accept_exactly_the_same_zones():
    form_field = SignupForm().fields["timezone"]
    api_fields = [ProfileSerializer().fields["timezone"], ReminderScheduleSerializer().fields["timezone"]]

    def accepted(field, zone):
        check = getattr(field, "run_validation", None) or field.clean  # a DRF field, or a form field
        try:
            check(zone)
        except Exception:  # django.forms and DRF each raise their own ValidationError
            return False
        return True

    disagreements = [
        zone
        for zone in sorted(zoneinfo.available_timezones() | {"localtime", "Factory"})
        if len({accepted(form_field, zone), *(accepted(field, zone) for field in api_fields)}) > 1
    ]
    assert disagreements == []
    assert accepted(form_field, "Europe/Paris") and not accepted(api_fields[0], "localtime")


def test_a_legacy_zone_a_person_already_has_survives_a_profile_save_of_a_new_address(alice_client, alice):
    User.objects.filter(pk=alice.pk).update(timezone="US/Pacific")

    alice_client.post(reverse("profile"), {"email": "alice@new.example", "timezone": "US/Pacific", "program": ""})

    alice.refresh_from_db()
    assert (alice.email, alice.timezone) == ("alice@new.example", "US/Pacific")


# --- Email required --------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["", None])
def test_the_profile_api_refuses_an_empty_email_and_stores_nothing(alice_api, alice, email):
    answer = alice_api.patch(reverse("api-profile"), {"email": email}, format="json")

    alice.refresh_from_db()
    assert answer.status_code == 400
    assert "email" in answer.json()
    assert alice.email == "alice@example.com"


def test_the_admin_refuses_a_new_person_without_an_email(admin_client):
    answer = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "noemail",
            "email": "",
            "usable_password": "true",
            "password1": "long pw 4 x",
            "password2": "long pw 4 x",
        },
    )

    assert answer.status_code == 200
    assert "email" in answer.context["adminform"].form.errors
    assert not User.objects.filter(username="noemail").exists()


def test_the_admin_adds_a_person_with_an_email(admin_client):
    admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "withemail",
            "email": "with@example.com",
            "usable_password": "true",
            "password1": "long pw 4 xyz",
            "password2": "long pw 4 xyz",
        },
    )

    assert User.objects.get(username="withemail").email == "with@example.com"
