"""Journey: installable and offline (PRODUCT.md §4.4). Alice opens the app once online, so the
service worker installs and keeps her dashboard and today's routine; the network is cut; the
player runs the routine, she logs it and checks in her pain; the page says two entries wait;
the connection returns and exactly one session and one check-in reach the server — even when
the outbox is sent again, twice at once, with the same items."""

import time

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tracker.logs import self_check_save
from tracker.models import PainEntry, Session

from .conftest import BROWSER_TIMEZONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SPEED = 100  # the player's test hook: its clock a hundred times faster


def wait_until(page, script: str, *, seconds: float = 10):
    """Poll an async expression in the page until it is truthy (the service worker's caches answer promises)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def kept(path: str) -> str:
    return f"() => caches.match({path!r}, {{ignoreVary: true}}).then(Boolean)"


def banner(page) -> str:
    return page.locator("#outbox-status").inner_text()


def test_a_routine_and_a_check_in_logged_offline_reach_the_server_once(catalog, open_tab, django_user_model):
    alice = make_user(django_user_model, "alice", timezone=BROWSER_TIMEZONE, screened=True)
    self_check_save(user=alice, pelvis="tuck", causes=["prolonged-standing-walking"])
    tab = open_tab("alice")
    page = tab.page

    # Online, once: the worker installs and takes over; the dashboard asks it to keep today's routine.
    log_in(tab, "alice")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    # The next page loaded is the worker's (Chromium's clients.claim() leaves the page that registered it alone).
    tab.goto(reverse("tracker:dashboard"), "dashboard-controlled")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    player = page.get_by_role("link", name="Start the guided routine").get_attribute("href")
    wait_until(page, kept(player))
    # The catalog kept at install was a visitor's; the dashboard has it kept again with her menu.
    catalog_url = reverse("routines:catalog")
    wait_until(
        page, f"() => caches.match({catalog_url!r}).then(r => r && r.text()).then(t => !!t && t.includes('Log out'))"
    )
    wait_until(page, kept(reverse("tracker:dashboard")))

    tab.context.set_offline(True)
    # The catalog and the dashboard come from the worker's copies; a page never opened says so.
    tab.goto(reverse("routines:catalog"), "offline-catalog")
    assert page.get_by_role("heading", name="Routines", exact=False).first.is_visible()
    assert page.get_by_role("navigation").get_by_role("link", name="Dashboard").is_visible()
    tab.goto(reverse("tracker:progress"), "offline-not-kept")
    assert page.get_by_role("heading", name="You are offline").is_visible()

    tab.goto(f"{player}?speed={SPEED}", "offline-player")
    page.locator("#screen-before").get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Start the routine").click()
    page.wait_for_selector("#player[data-state=after]", timeout=60_000)
    page.locator("#screen-after").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Log this session").click()
    page.wait_for_selector("body[data-outbox-waiting='1']")
    tab.screenshot("offline-player-kept")
    assert page.url == tab.url(f"{player}?speed={SPEED}"), "the page keeps the log itself and stays"
    assert "1 entry waiting to be sent. They will be sent when you are back online." in banner(page)

    tab.goto(reverse("tracker:dashboard"), "offline-dashboard")
    check_in = page.locator("section", has=page.get_by_role("heading", name="Quick pain check-in"))
    check_in.get_by_label("8", exact=True).check()  # high enough for the warning signs
    check_in.get_by_label("When").select_option("walking")
    check_in.get_by_role("button", name="Save check-in").click()
    page.wait_for_selector("body[data-outbox-waiting='2']")
    tab.screenshot("offline-two-waiting")
    assert "2 entries waiting to be sent." in banner(page)
    assert not Session.objects.filter(user=alice).exists()
    assert not PainEntry.objects.filter(user=alice).exists()
    items = page.evaluate("BackcareOutbox.all()")

    # The connection returns: the page sends what waited, and says so.
    tab.context.set_offline(False)
    page.wait_for_selector("body[data-outbox-waiting='0']")
    assert "2 entries sent at" in banner(page)
    # Pain logged offline is judged when it arrives, with the warning the server gives online.
    assert page.locator("#outbox-status").get_by_role("link", name="Please read the warning signs").is_visible()
    tab.screenshot("online-sent")

    # A forced resend: the same items put back, sent twice at once, then once more on a reload.
    page.evaluate(
        """async (items) => {
            for (const item of items) await BackcareOutbox.add(item);
            const reports = await Promise.all([
                BackcareOutbox.send("alice", document.cookie.match(/csrftoken=([^;]+)/)[1]),
                BackcareOutbox.send("alice", document.cookie.match(/csrftoken=([^;]+)/)[1]),
            ]);
            for (const item of items) await BackcareOutbox.add(item);
            return reports;
        }""",
        items,
    )
    tab.goto(reverse("tracker:dashboard"), "online-resent")
    page.wait_for_selector("body[data-outbox-waiting='0']")

    session = Session.objects.get(user=alice)
    entry = PainEntry.objects.get(user=alice)
    assert (session.routine.slug, session.pain_before, session.pain_after) == (player.split("/")[-2], 6, 3)
    assert (entry.score, entry.context) == (8, "walking")
    assert {str(session.client_id), str(entry.client_id)} == {item["client_id"] for item in items}
    tab.assert_clean()


def outbox(page) -> list[dict]:
    return page.evaluate("BackcareOutbox.all()")


def test_what_alice_left_on_a_shared_device_is_never_bobs(catalog, open_tab, django_user_model):
    """Alice's session ends without a logout (its cookie gone) and Bob signs in on the same browser:
    the check-in the worker kept for her is not sent as his, and her kept pages are not shown to
    him offline. When she signs in again, her check-in reaches her own log."""
    alice = make_user(django_user_model, "alice", timezone=BROWSER_TIMEZONE, screened=True)
    bob = make_user(django_user_model, "bob", timezone=BROWSER_TIMEZONE, screened=True)
    tab = open_tab("shared")
    page = tab.page

    log_in(tab, "alice")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    tab.goto(reverse("tracker:dashboard"), "alice-dashboard-controlled")
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    tab.goto(reverse("tracker:history"), "alice-history")
    wait_until(page, kept(reverse("tracker:history")))
    wait_until(page, kept(reverse("tracker:dashboard")))

    # Offline, a check-in posted past the page's own handler (form.submit() fires no submit
    # event): the service worker keeps it, for the person it knows is signed in.
    tab.context.set_offline(True)
    tab.goto(reverse("tracker:dashboard"), "alice-offline-dashboard")
    check_in = page.locator("section", has=page.get_by_role("heading", name="Quick pain check-in"))
    check_in.get_by_label("4", exact=True).check()
    check_in.get_by_label("When").select_option("walking")
    check_in.locator("form").evaluate("form => HTMLFormElement.prototype.submit.call(form)")
    tab.arrived(reverse("offline"), "kept-by-the-worker")
    assert [item["user"] for item in outbox(page)] == ["alice"]

    # Back online, her session has expired: Bob signs in on the same browser. (The offline page is
    # a visitor's: with something waiting, it reloads when the connection returns.)
    tab.context.clear_cookies()
    with page.expect_navigation():
        tab.context.set_offline(False)
    page.wait_for_load_state()
    log_in(tab, "bob")
    page.wait_for_selector("body[data-user='bob'][data-outbox-waiting='0']")
    page.wait_for_timeout(1500)  # time enough for a send that must not happen
    assert not PainEntry.objects.exists()
    assert [item["user"] for item in outbox(page)] == ["alice"]

    # Offline, Bob is never shown Alice's history.
    tab.context.set_offline(True)
    tab.goto(reverse("tracker:history"), "bob-offline-history")
    assert page.get_by_role("heading", name="You are offline").is_visible()
    assert "alice" not in page.content()
    # Online again, the offline page (a visitor's) reloads to learn who is signed in: Bob.
    with page.expect_navigation():
        tab.context.set_offline(False)
    page.wait_for_load_state()
    tab.goto(reverse("tracker:history"), "bob-history")
    assert page.locator("body").get_attribute("data-user") == "bob"

    # Bob logs out, Alice signs in again: her check-in is sent, to her own log.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    tab.screenshot("bob-logged-out")
    log_in(tab, "alice")
    page.wait_for_selector("body[data-user='alice'][data-outbox-waiting='0']")
    wait_until(page, "() => BackcareOutbox.all().then(items => items.length === 0)")
    assert list(PainEntry.objects.values_list("user", "score")) == [(alice.pk, 4)]
    assert not PainEntry.objects.filter(user=bob).exists()
    tab.assert_clean()
