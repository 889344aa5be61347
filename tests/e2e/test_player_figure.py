"""The guided player shows each step's figure moving between its positions, and the still one
(start and end side by side) to people who ask their system for reduced motion."""

import pytest
from django.urls import reverse

from routines.models import Routine
from tests.conftest import make_user

from .browser import VIEWPORTS, Tab
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(catalog, django_user_model):
    return make_user(django_user_model, "alice", timezone="Europe/Paris", screened=True)


@pytest.mark.parametrize(("motion", "shown"), [("no-preference", "motion_figure"), ("reduce", "figure")])
def test_the_player_shows_the_moving_figure_unless_motion_is_reduced(
    alice, new_context, live_server, screenshots, motion, shown
):
    context = new_context(viewport=VIEWPORTS["phone"], reduced_motion=motion)
    tab = Tab(context, base_url=live_server.url, shots=screenshots, persona=f"alice-{motion}")
    page = tab.page
    log_in(tab, "alice")
    routine = Routine.objects.get(slug="posterior-chain-release")
    first = routine.steps.first().exercise
    tab.goto(reverse("tracker:player", args=[routine.slug]), "player")
    page.get_by_role("button", name="Start the routine").click()
    figure = page.locator("#step-figure")
    figure.wait_for()
    page.wait_for_function("document.getElementById('step-figure').complete")
    tab.screenshot("player-step-1")
    assert figure.evaluate("img => img.naturalWidth") > 0
    assert figure.evaluate("img => img.currentSrc") == live_server.url + getattr(first, shown)
    tab.assert_clean()
