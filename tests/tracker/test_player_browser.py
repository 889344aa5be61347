"""The guided player in a real browser, on a phone-sized screen, with the clock sped up."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tracker.models import Session

from .logs_helpers import make_routine

# Chromium's launch arguments, and the skip when it is missing, come from tests/conftest.py.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# make_routine(): a 30 s stretch held twice on each side, then 10 repetitions. With 20 s to
# get ready for each step, 5 s between holds and 10 s to switch sides, that is 220 s: 4 minutes.
FULL_ROUTINE_MINUTES = "4"


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 390, "height": 844}}


@pytest.fixture
def routine(transactional_db):
    return make_routine()


@pytest.fixture
def alice_page(page, live_server, alice):
    alice.screened = True  # the health screen is answered ("none of these"): the player opens at once
    alice.save(update_fields=["screened"])
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("#main button[type=submit]")
    page.wait_for_url(live_server.url + reverse("tracker:dashboard"))
    return page


def open_player(page, live_server, routine, speed=100):
    page.goto(f"{live_server.url}{reverse('tracker:player', args=[routine.slug])}?speed={speed}")


def test_the_player_walks_through_every_step_and_logs_the_session(alice_page, live_server, alice, routine):
    page = alice_page
    open_player(page, live_server, routine)
    page.check("#id_pain_before_7")
    page.click("button[data-action=start]")
    page.wait_for_selector("#player[data-state=after]", timeout=15_000)
    assert page.input_value("#id_duration_minutes") == FULL_ROUTINE_MINUTES
    assert page.input_value("#id_steps_completed") == "2"
    page.check("#id_pain_after_3")
    page.click("#screen-after button[type=submit]")
    page.wait_for_url(live_server.url + reverse("tracker:dashboard"))
    session = Session.objects.get(user=alice)
    assert (session.routine_id, session.pain_before, session.pain_after) == (routine.pk, 7, 3)
    assert (session.duration_minutes, session.steps_completed) == (4, 2)


def test_a_skipped_step_is_not_counted_as_completed(alice_page, live_server, routine):
    page = alice_page
    open_player(page, live_server, routine)
    page.click("button[data-action=start]")
    page.click("button[data-action=skip]")
    page.wait_for_selector("#player[data-state=after]", timeout=15_000)
    assert page.input_value("#id_steps_completed") == "1"


def test_the_countdown_stands_still_while_paused(alice_page, live_server, routine):
    page = alice_page
    open_player(page, live_server, routine, speed=1)
    page.click("button[data-action=start]")
    page.click("button[data-action=pause]")
    before = page.inner_text("#countdown")
    page.wait_for_timeout(1500)
    assert page.inner_text("#countdown") == before
    assert page.inner_text("#phase").startswith("Paused")
    page.click("button[data-action=pause]")
    page.wait_for_timeout(1500)
    assert page.inner_text("#countdown") != before


def test_the_player_counts_each_side_down_in_turn(alice_page, live_server, routine):
    page = alice_page
    open_player(page, live_server, routine, speed=1)
    page.click("button[data-action=start]")
    assert "right side" in page.inner_text("#phase")
    for _ in range(4):  # get ready, hold, rest, hold
        page.click("button[data-action=next]")
    assert page.inner_text("#phase") == "Switch to the left side"
    page.click("button[data-action=next]")
    assert page.inner_text("#phase") == "Hold — left side, 1 of 2"


def test_the_player_starts_with_the_side_the_instructions_start_with(alice_page, live_server, routine):
    first = routine.steps.first().exercise
    first.first_side = "left"
    first.save(update_fields=["first_side"])
    open_player(alice_page, live_server, routine, speed=1)
    alice_page.click("button[data-action=start]")
    assert alice_page.inner_text("#phase") == "Get into position — left side"
