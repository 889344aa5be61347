"""Journey 1: a newcomer signs up, takes the self-check, follows the recommended routine in the
guided player and finds the session, the streak and the pain chart on the dashboard."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import PASSWORD
from tracker.models import PainEntry, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECOMMENDED = "posterior-chain-release"  # a tucked pelvis points to the posterior chain
# The player's clock at its fastest: the 17-minute routine passes in about ten seconds.
SPEED = 100


def test_a_newcomer_signs_up_follows_the_recommended_routine_and_sees_it_on_the_dashboard(catalog, open_tab):
    tab = open_tab("alice")
    page = tab.page

    tab.goto(reverse("home"), "home")
    page.get_by_role("navigation").get_by_role("link", name="Sign up").click()
    tab.arrived(reverse("signup"), "signup")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-welcome")
    assert "Your time zone is Europe/Paris" in page.locator(".messages").inner_text()
    assert get_user_model().objects.get(username="alice").timezone == "Europe/Paris"

    page.get_by_role("link", name="Take the self-check").click()
    tab.arrived(reverse("routines:self-check"), "self-check")
    page.get_by_label("I tuck my pelvis under when I walk").check()
    page.get_by_label("Standing or walking for long periods").check()
    page.get_by_role("button", name="See my result").click()
    tab.arrived(reverse("routines:self-check"), "self-check-result")
    assert page.get_by_role("heading", name="Your result: Posterior chain").is_visible()

    page.locator(".grid").get_by_role("link", name="Posterior chain release").click()
    tab.arrived(reverse("routines:routine", args=[RECOMMENDED]), "routine")
    start = page.get_by_role("link", name="Start the guided routine")
    assert start.get_attribute("href") == reverse("tracker:player", args=[RECOMMENDED])

    # The first guided routine asks the health screen first, then comes back to the player.
    tab.goto(f"{reverse('tracker:player', args=[RECOMMENDED])}?speed={SPEED}", "health-screen")
    assert page.get_by_role("heading", name="Health screen").is_visible()
    page.get_by_label("None of these apply to me").check()
    page.get_by_role("button", name="Save my answers").click()
    tab.arrived(reverse("tracker:player", args=[RECOMMENDED]), "player-before")
    page.locator("#screen-before").get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Start the routine").click()
    page.wait_for_selector("#player[data-state=steps]")
    tab.screenshot("player-steps")
    page.wait_for_selector("#player[data-state=after]", timeout=30_000)
    tab.screenshot("player-after")
    assert page.locator("#after-summary").inner_text().startswith("You did 6 of 6 steps")
    page.locator("#screen-after").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Log this session").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-after-session")

    assert "Pain 6 → 3." in page.locator(".messages").inner_text()
    recent = page.locator("section", has=page.get_by_role("heading", name="Recent sessions"))
    assert "Posterior chain release" in recent.inner_text()
    assert "pain 6 → 3" in recent.inner_text()
    streak = page.locator("section", has=page.get_by_role("heading", name="Your streak"))
    assert streak.locator(".figure .stat").first.inner_text() == "1"
    assert "No pain check-ins in the last 30 days yet." in streak.inner_text()

    # The dashboard's pain chart draws the daily check-ins (a session's before and after feed relief).
    check_in = page.locator("section", has=page.get_by_role("heading", name="Quick pain check-in"))
    check_in.get_by_label("3", exact=True).check()
    check_in.get_by_label("When").select_option("walking")
    check_in.get_by_role("button", name="Save check-in").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-pain-chart")
    chart = streak.locator("figure.chart-figure svg[role=img]")
    assert chart.is_visible()
    assert "1 days with a check-in" in chart.get_attribute("aria-label")

    page.get_by_role("navigation").get_by_role("link", name="Progress").click()
    tab.arrived(reverse("tracker:progress"), "progress")
    relief = page.locator("section", has=page.get_by_role("heading", name="Relief per routine"))
    assert "Posterior chain release (6 before, 3 after)" in relief.locator("figcaption").inner_text()

    session = Session.objects.get(user__username="alice")
    assert (session.routine.slug, session.pain_before, session.pain_after, session.steps_completed) == (
        RECOMMENDED,
        6,
        3,
        6,
    )
    assert PainEntry.objects.filter(user__username="alice", score=3, context="walking").exists()
    tab.assert_clean()
