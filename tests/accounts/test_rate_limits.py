"""Rate limits on sign-up and account emails: per client address, per email address; nothing enumerated."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user

from .conftest import outbox_to

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, n):
    password = "a long walk in the park"
    data = {"username": f"new{n}", "email": "victim@example.com", "timezone": "UTC"}
    return client.post(reverse("signup"), {**data, "password1": password, "password2": password})


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


# --- Sign-up ---------------------------------------------------------------------------------


def test_sign_ups_past_the_rate_from_one_client_are_refused_and_store_nothing(rate_limits):
    rate_limits(signup="3/h")
    answers = [signup(from_address("203.0.113.5"), n) for n in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert "Too many new accounts" in answers[-1].content.decode()
    assert User.objects.filter(username__startswith="new").count() == 3


def test_another_client_can_still_sign_up(rate_limits):
    rate_limits(signup="3/h")
    for n in range(3):
        signup(from_address("203.0.113.5"), n)

    assert signup(from_address("198.51.100.7"), 9).status_code == 302
    assert User.objects.filter(username="new9").exists()


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(rate_limits, settings):
    settings.NUM_PROXIES = 1
    rate_limits(signup="1/h")
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert [signup(first, 1).status_code, signup(second, 2).status_code] == [302, 302]
    assert User.objects.filter(username__in=["new1", "new2"]).count() == 2


# --- Account emails per address -------------------------------------------------------------------


@pytest.fixture
def twelve_accounts(django_user_model):
    """Twelve accounts made with one person's address, as someone else could make them."""
    return [make_user(django_user_model, f"fake{n}", email_verified=False) for n in range(12)]


def test_one_reset_request_for_an_address_shared_by_twelve_accounts_sends_no_more_than_the_rate(
    client, rate_limits, sent, twelve_accounts
):
    User.objects.filter(username__startswith="fake").update(email="victim@example.com")
    rate_limits(email_per_address="3/h")

    with sent():
        answer = client.post(reverse("password_reset"), {"email": "victim@example.com"})

    assert answer.url == reverse("password_reset_done")
    assert len(outbox_to("victim@example.com")) == 3


def test_resets_past_the_rate_for_an_address_send_nothing_and_show_the_same_page(rate_limits, sent, alice):
    rate_limits(email_per_address="3/h")
    with sent():
        answers = [
            from_address(f"203.0.113.{n}").post(reverse("password_reset"), {"email": "alice@example.com"})
            for n in range(5)
        ]

    assert {answer.url for answer in answers} == {reverse("password_reset_done")}
    assert len(outbox_to("alice@example.com")) == 3


def test_reset_requests_past_the_rate_from_one_client_send_nothing_and_show_the_same_page(
    rate_limits, sent, django_user_model
):
    rate_limits(email_per_client="2/h")
    for n in range(3):
        make_user(django_user_model, f"person{n}")
    client = from_address("203.0.113.5")

    with sent():
        answers = [client.post(reverse("password_reset"), {"email": f"person{n}@example.com"}) for n in range(3)]

    assert {answer.url for answer in answers} == {reverse("password_reset_done")}
    assert [message.to for message in mail.outbox] == [["person0@example.com"], ["person1@example.com"]]


def test_a_limited_reset_for_an_unknown_address_looks_the_same_as_one_for_a_known_one(rate_limits, alice):
    rate_limits(email_per_client="1/h")
    client = from_address("203.0.113.5")
    client.post(reverse("password_reset"), {"email": "alice@example.com"})

    known = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (302, reverse("password_reset_done"))


def test_sign_ups_with_one_address_send_it_no_more_verification_links_than_the_rate(rate_limits, sent):
    rate_limits(email_per_address="3/h")
    with sent():
        for n in range(5):
            signup(from_address(f"203.0.113.{n}"), n)

    assert User.objects.filter(email="victim@example.com").count() == 5
    assert len(outbox_to("victim@example.com")) == 3


def test_send_the_link_again_past_the_rate_says_the_same_and_sends_nothing_more(rate_limits, sent, django_user_model):
    rate_limits(email_per_address="2/h")
    dora = make_user(django_user_model, "dora", email_verified=False)
    client = from_address("203.0.113.5")
    client.force_login(dora)

    with sent():
        answers = [client.post(reverse("email-verify-resend"), follow=True) for _ in range(3)]

    messages = [[str(message) for message in answer.context["messages"]] for answer in answers]
    assert messages[0] == messages[2] == ["We sent a confirmation link to dora@example.com. It works for 3 days."]
    assert len(outbox_to("dora@example.com")) == 2


def test_sign_up_forms_refused_for_a_typing_mistake_do_not_use_up_the_rate(rate_limits):
    rate_limits(signup="1/h")
    client = from_address("203.0.113.5")
    mistyped = client.post(reverse("signup"), {"username": "new1", "email": "not an address", "timezone": "UTC"})

    assert (mistyped.status_code, signup(client, 1).status_code) == (200, 302)
