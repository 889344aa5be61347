"""Journey 4: bob guesses the addresses of alice's records, in his browser and through its API
session; nobody signed out gets further than the login page. Nothing of alice's shows anywhere."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tracker.models import PainEntry, ReminderSchedule, Session

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "alice-only: the left hip hurts after the night shift"


@pytest.fixture
def alice(catalog, django_user_model):
    alice = make_user(django_user_model, "alice", timezone="Europe/Paris")
    today = alice.local_today()
    Session.objects.create(user=alice, date=today, duration_minutes=20, pain_before=6, pain_after=4, notes=SECRET)
    PainEntry.objects.create(user=alice, date=today, score=8, context="night", notes=SECRET)
    ReminderSchedule.objects.create(user=alice, enabled=True)
    return alice


@pytest.fixture
def bob(catalog, django_user_model):
    return make_user(django_user_model, "bob", timezone="America/New_York")


def alices_pages(alice) -> dict[str, str]:
    session = Session.objects.get(user=alice)
    pain = PainEntry.objects.get(user=alice)
    return {
        "session-edit": reverse("tracker:session-edit", args=[session.pk]),
        "session-delete": reverse("tracker:session-delete", args=[session.pk]),
        "pain-edit": reverse("tracker:pain-edit", args=[pain.pk]),
        "pain-delete": reverse("tracker:pain-delete", args=[pain.pk]),
    }


def test_an_outsider_guessing_alices_addresses_sees_nothing_of_hers(alice, bob, open_tab):
    pages = alices_pages(alice)
    tab = open_tab("bob")
    page = tab.page
    log_in(tab, "bob")
    assert SECRET not in page.content()

    for name, path in pages.items():
        tab.goto(path, f"alices-{name}", status=404)
        assert page.get_by_role("heading", name="Page not found").is_visible()
        assert SECRET not in page.content()

    # A forged form post, with bob's own CSRF token, deletes nothing either.
    token = next(cookie["value"] for cookie in tab.context.cookies() if cookie["name"] == "csrftoken")
    forged = page.request.post(
        tab.url(pages["session-delete"]), form={"csrfmiddlewaretoken": token}, headers={"Referer": tab.url("/")}
    )
    assert forged.status == 404

    session, pain = Session.objects.get(user=alice), PainEntry.objects.get(user=alice)
    for path in (f"/api/v1/sessions/{session.pk}/", f"/api/v1/pain-entries/{pain.pk}/"):
        answer = page.request.get(tab.url(path))
        assert (answer.status, SECRET in answer.text()) == (404, False), path
    export = page.request.get(tab.url("/api/v1/export/?format=json"))
    assert (export.status, SECRET in export.text()) == (200, False)

    # An unsubscribe link made up from alice's id, without its signature, changes nothing.
    tab.goto(reverse("tracker:unsubscribe", args=[str(alice.pk)]), "forged-unsubscribe", status=400)
    assert page.get_by_role("heading", name="This unsubscribe link is not valid").is_visible()

    for name in ("History", "Progress", "Dashboard"):
        page.get_by_role("navigation").get_by_role("link", name=name).click()
        tab.arrived(reverse(f"tracker:{name.lower()}"), f"own-{name.lower()}")
        assert SECRET not in page.content()

    assert Session.objects.filter(user=alice).exists()
    assert ReminderSchedule.objects.get(user=alice).enabled
    tab.assert_clean()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(alice, open_tab):
    tab = open_tab("visitor")
    for name, path in alices_pages(alice).items():
        tab.goto(path, f"alices-{name}")
        assert tab.page.url == tab.url(f"{reverse('login')}?next={path}")
        assert SECRET not in tab.page.content()
    answer = tab.page.request.get(tab.url(f"/api/v1/sessions/{Session.objects.get(user=alice).pk}/"))
    assert answer.status == 401
    tab.assert_clean()
