"""The service worker's push handlers (backcare/static/backcare/sw-push.js), run in Chromium against a stand-in
for the worker's global scope: a push shows the payload's notification, a tap opens its link on this site only.

A real push cannot reach a headless browser on a machine without the browsers' push services; the server's
side of push is tested against a push service of the tests' own (tests/tracker/test_push_*.py)."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HARNESS = """async ([source, payload, tapUrl]) => {
  const listeners = {}, shown = [], opened = [];
  const scope = {
    location: window.location,
    addEventListener: (type, handler) => { listeners[type] = handler; },
    registration: { showNotification: async (title, options) => { shown.push({ title, options }); } },
    clients: { matchAll: async () => [], openWindow: async (url) => { opened.push(url); } },
  };
  new Function("self", source)(scope);
  const waits = [];
  listeners.push({ data: payload === null ? null : { json: () => JSON.parse(payload), text: () => payload },
                   waitUntil: (promise) => waits.push(promise) });
  listeners.notificationclick({ notification: { data: { url: tapUrl }, close: () => {} },
                                waitUntil: (promise) => waits.push(promise) });
  await Promise.all(waits);
  return { types: Object.keys(listeners).sort(), shown, opened };
}"""


def run(tab, payload, tap_url):
    source = tab.page.evaluate("url => fetch(url).then(answer => answer.text())", static("backcare/sw-push.js"))
    return tab.page.evaluate(HARNESS, [source, payload, tap_url])


def test_a_push_shows_the_payloads_notification_and_a_tap_opens_its_link(catalog, open_tab):
    tab = open_tab()
    tab.goto(reverse("home"), "home")
    payload = '{"title": "Today: QL release", "body": "Tap to start", "url": "/play/ql-release/", "tag": "t1"}'
    result = run(tab, payload, tab.url("/play/ql-release/"))
    assert result["types"] == ["notificationclick", "push"]
    (shown,) = result["shown"]
    assert (shown["title"], shown["options"]["body"], shown["options"]["tag"]) == (
        "Today: QL release",
        "Tap to start",
        "t1",
    )
    assert shown["options"]["data"]["url"] == tab.url("/play/ql-release/")
    assert result["opened"] == [tab.url("/play/ql-release/")]
    tab.assert_clean()


def test_a_link_to_another_site_opens_this_sites_home_instead(catalog, open_tab):
    tab = open_tab()
    tab.goto(reverse("home"), "home")
    result = run(tab, '{"title": "x", "url": "https://evil.example/"}', "https://evil.example/")
    assert result["shown"][0]["options"]["data"]["url"] == tab.url("/")
    assert result["opened"] == [tab.url("/")]


def test_a_push_without_a_payload_still_shows_a_notification(catalog, open_tab):
    tab = open_tab()
    tab.goto(reverse("home"), "home")
    assert run(tab, None, tab.url("/"))["shown"][0]["title"] == "Backcare"
