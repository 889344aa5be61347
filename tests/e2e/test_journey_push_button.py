"""The reminders page's push card in a browser: with the site's service worker running, it offers to subscribe
this browser; the browser's push service decides the rest.

The machine has no route to the browsers' push services, so Chromium's pushManager.subscribe fails here: the
card must say so, and nothing is stored. (The server's side of push is tested against a push service of the
tests' own: tests/tracker/test_push_*.py.) /sw.js is helper-made here, importing the real sw-push.js, so that
this test does not depend on the offline service worker's caching rules."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from tests.conftest import make_user
from tracker.models import PushSubscription

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(catalog, django_user_model):
    return make_user(django_user_model, "alice", timezone="Europe/Paris")


def test_the_card_offers_to_subscribe_and_says_why_it_could_not(alice, open_tab):
    tab = open_tab("alice")
    tab.context.route(
        "**/sw.js",
        lambda route: route.fulfill(
            body=f'importScripts("{static("backcare/sw-push.js")}");', content_type="application/javascript"
        ),
    )
    tab.context.grant_permissions(["notifications"], origin=tab.base_url)
    log_in(tab, "alice")
    tab.goto(reverse("tracker:reminders"), "reminders")
    tab.page.evaluate("navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)")
    tab.goto(reverse("tracker:reminders"), "reminders-with-service-worker")
    status = tab.page.locator("[data-push-status]")
    button = tab.page.get_by_role("button", name="Send reminders to this browser")
    button.wait_for()
    assert status.inner_text() == "This browser does not get push reminders yet."
    tab.screenshot("reminders-push-offered")

    button.click()
    tab.page.wait_for_function("!document.querySelector('[data-push-status]').textContent.includes('Asking')")
    tab.screenshot("reminders-push-refused")
    assert status.inner_text().startswith("Could not subscribe this browser:")
    assert not PushSubscription.objects.exists()
    # Chromium's own line: Playwright's contexts are incognito ones, where it has no Push API (crbug.com/41124656).
    tab.errors = [error for error in tab.errors if "does not support the Push API in incognito mode" not in error]
    tab.assert_clean()
