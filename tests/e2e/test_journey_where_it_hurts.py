"""Journey: alice marks where it hurts — the left outer hip — by tapping the body map on her phone,
and the progress page shows that area, in pain.by_area and on its map; with JavaScript off the same
check-in works through the plain list."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tracker.models import PainEntry

from .browser import VIEWPORTS, Tab
from .conftest import BROWSER_TIMEZONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_tab(new_context, live_server, screenshots):
    """A tab on a touch phone (tapping a small region is what a phone makes hard), with or without JavaScript."""

    def open_one(persona: str, *, javascript: bool = True) -> Tab:
        context = new_context(
            viewport=VIEWPORTS["phone"],
            has_touch=True,
            is_mobile=True,
            java_script_enabled=javascript,
            timezone_id=BROWSER_TIMEZONE,
            locale="en-GB",
        )
        return Tab(context, base_url=live_server.url, shots=screenshots, persona=persona, javascript=javascript)

    return open_one


@pytest.fixture
def alice(catalog, django_user_model):
    return make_user(django_user_model, "alice", timezone="Europe/Paris")


def test_tapping_the_left_outer_hip_on_the_map_shows_on_the_progress_page(alice, phone_tab):
    tab = phone_tab("alice")
    page = tab.page
    log_in(tab, "alice")

    tab.goto(reverse("tracker:pain-new"), "pain-check-in")
    page.get_by_label("6", exact=True).check()
    page.get_by_label("When").select_option("walking")
    region = page.locator('#pain-map [data-area="outer-hip"][data-side="left"]')
    region.locator("ellipse").first.tap()
    assert region.get_attribute("aria-checked") == "true"
    assert page.get_by_label("Outer hip", exact=True).is_checked()
    assert page.get_by_label("Left", exact=True).is_checked()
    tab.screenshot("pain-check-in-tapped")
    page.get_by_role("button", name="Save check-in").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-after-check-in")

    entry = PainEntry.objects.get(user=alice)
    assert (entry.side, entry.areas, entry.score) == ("left", ["outer-hip"], 6)

    tab.goto(reverse("tracker:progress"), "progress")
    where = page.locator("section", has=page.get_by_role("heading", name="Where it hurt"))
    assert where.locator('#pain-area-map [data-area="outer-hip"][data-side="left"]').count() == 1
    assert where.locator('#pain-area-map [data-area="outer-hip"][data-side="right"]').count() == 0
    assert "Outer hip Left 1 6.0" in " ".join(where.locator("tbody tr").first.inner_text().split())
    body = page.request.get(tab.url(reverse("api-progress"))).json()
    assert body["pain"]["by_area"] == [{"area": "outer-hip", "side": "left", "entries": 1, "average": 6.0}]
    tab.assert_clean()


def test_without_javascript_the_list_records_the_same_check_in(alice, phone_tab):
    tab = phone_tab("alice-no-js", javascript=False)
    page = tab.page
    log_in(tab, "alice")

    tab.goto(reverse("tracker:pain-new"), "pain-check-in-no-js")
    assert not page.locator("#pain-map").is_visible()
    page.get_by_label("6", exact=True).check()
    page.get_by_label("When").select_option("walking")
    page.get_by_label("Outer hip", exact=True).check()
    page.get_by_label("Left", exact=True).check()
    page.get_by_role("button", name="Save check-in").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-after-check-in-no-js")

    entry = PainEntry.objects.get(user=alice)
    assert (entry.side, entry.areas) == ("left", ["outer-hip"])
    tab.goto(reverse("tracker:progress"), "progress-no-js")
    assert page.locator('#pain-area-map [data-area="outer-hip"][data-side="left"]').count() == 1
    tab.assert_clean()
