"""Journey: a newcomer answers the health screen with a hip replacement, follows the posterior routine in
the guided player and never meets an exercise flagged for it; the footer's emergency sentence and the
warning-signs page are read on both screen sizes (the ``viewport`` fixture runs each journey twice)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from routines.models import Exercise
from routines.safety import warning_signs
from tests.conftest import PASSWORD
from tracker.models import Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROUTINE = "posterior-chain-release"
SPEED = 100


def sign_up(tab, username):
    page = tab.page
    tab.goto(reverse("signup"), "signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-welcome")


def test_a_person_with_a_hip_replacement_never_meets_an_exercise_flagged_for_it(catalog, open_tab):
    flagged = {e.name for e in Exercise.objects.all() if "hip-replacement" in e.avoid_with}
    in_routine = set(
        Exercise.objects.filter(routine_steps__routine__slug=ROUTINE).values_list("name", flat=True).distinct()
    )
    assert flagged & in_routine, "the journey needs a routine with something to leave out"
    tab = open_tab("hana")
    page = tab.page
    sign_up(tab, "hana")

    player = reverse("tracker:player", args=[ROUTINE])
    tab.goto(f"{player}?speed={SPEED}", "health-screen")
    page.get_by_label("I have had a hip replacement (either side)").check()
    page.get_by_role("button", name="Save my answers").click()
    tab.arrived(player, "player-before")
    assert get_user_model().objects.get(username="hana").conditions == ["hip-replacement"]

    left_out = page.locator(".left-out")
    assert left_out.is_visible()
    for name in flagged & in_routine:
        assert f"{name}: left out because you told us about: a hip replacement" in left_out.inner_text()
    steps = json.loads(page.locator("#routine-data").text_content())["steps"]
    assert [step["name"] for step in steps] == ["Piriformis ball release"]

    seen = []
    page.expose_function("stepShown", lambda name: seen.append(name))
    page.evaluate(
        "new MutationObserver(() => window.stepShown(document.getElementById('step-name').textContent))"
        ".observe(document.getElementById('step-name'), {childList: true, characterData: true, subtree: true})"
    )
    page.locator("#screen-before").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Start the routine").click()
    page.wait_for_selector("#player[data-state=steps]")
    tab.screenshot("player-steps")
    page.wait_for_selector("#player[data-state=after]", timeout=30_000)
    tab.screenshot("player-after")
    assert seen and set(seen) == {"Piriformis ball release"}
    assert not flagged & set(seen)
    assert page.locator("#after-summary").inner_text().startswith("You did 1 of 1 steps")
    page.locator("#screen-after").get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Log this session").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-after-session")
    assert Session.objects.get(user__username="hana").steps_completed == 1

    tab.goto(reverse("routines:routine", args=[ROUTINE]), "routine-page")
    step_names = page.locator("ol.steps > li h2").all_inner_texts()
    assert step_names == ["Piriformis ball release"]
    tab.assert_clean()


def test_the_footer_carries_the_emergency_sentence_and_leads_to_the_warning_signs(catalog, open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto(reverse("home"), "home")
    footer = page.locator("footer.site-footer")
    footer.scroll_into_view_if_needed()
    assert footer.locator(".emergency-line").is_visible()
    assert warning_signs.EMERGENCY_SENTENCE in " ".join(footer.inner_text().split())
    tab.screenshot("home-footer")

    footer.get_by_role("link", name="All warning signs, and when to see a doctor").click()
    tab.arrived(reverse("warning-signs"), "warning-signs")
    assert page.get_by_role("heading", name="Warning signs: when to get help instead", level=1).is_visible()
    for tier in warning_signs.tiers():
        block = page.locator(f'[data-tier="{tier.key}"]')
        assert block.get_by_role("heading", name=tier.title).is_visible()
        assert block.get_by_text(tier.action).is_visible()
        assert block.locator("li").count() == len(tier.signs)
    # On a phone the tiers stack: nothing may be wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="What to do in a flare-up").first.click()
    tab.arrived(reverse("flare-up"), "flare-up")
    assert page.get_by_role("heading", name="What to do in a flare-up").is_visible()
    tab.assert_clean()
