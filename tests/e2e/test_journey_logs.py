"""Journey 2: alice checks in her pain, edits one session and deletes another; the history and the
charts follow each change."""

import datetime

import pytest
from django.urls import reverse

from routines.models import Routine
from tests.conftest import make_user
from tracker.models import PainEntry, Session

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def long_date(day: datetime.date) -> str:
    """As the history names a day for screen readers: 25 November 2026."""
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def alice(catalog, django_user_model):
    alice = make_user(django_user_model, "alice", timezone="Europe/Paris")
    today = alice.local_today()
    Session.objects.create(
        user=alice,
        routine=Routine.objects.get(slug="posterior-chain-release"),
        date=today - datetime.timedelta(days=1),
        duration_minutes=20,
        pain_before=6,
        pain_after=4,
    )
    Session.objects.create(
        user=alice,
        routine=Routine.objects.get(slug="ql-release"),
        date=today - datetime.timedelta(days=3),
        duration_minutes=15,
    )
    return alice


def test_a_check_in_an_edit_and_a_delete_show_in_the_history_and_the_charts(alice, open_tab):
    tab = open_tab("alice")
    page = tab.page
    today = alice.local_today()
    yesterday, three_days_ago = today - datetime.timedelta(days=1), today - datetime.timedelta(days=3)
    log_in(tab, "alice")

    tab.goto(reverse("tracker:progress"), "progress-before")
    sessions_chart = page.locator("section", has=page.get_by_role("heading", name="Sessions", exact=True))
    assert "2 sessions, 35 minutes" in sessions_chart.locator("figcaption").inner_text()
    pain_section = page.locator("section", has=page.get_by_role("heading", name="Pain per day"))
    assert "No pain check-ins in this range." in pain_section.inner_text()

    tab.goto(reverse("tracker:dashboard"), "dashboard")
    page.get_by_role("link", name="Add notes or another date").click()
    tab.arrived(reverse("tracker:pain-new"), "pain-check-in")
    assert page.get_by_label("Date").input_value() == today.isoformat()
    page.get_by_label("7", exact=True).check()
    page.get_by_label("When").select_option("standing")
    page.get_by_label("Notes").fill("After the queue at the post office.")
    page.get_by_role("button", name="Save check-in").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-after-check-in")
    assert "Pain 7/10" in page.locator(".messages").inner_text()

    page.get_by_role("navigation").get_by_role("link", name="History").click()
    tab.arrived(reverse("tracker:history"), "history")
    pain_list = page.locator("#pain")
    assert "Standing · 7/10" in pain_list.inner_text()
    assert "After the queue at the post office." in pain_list.inner_text()

    page.get_by_role("link", name=f"Edit the session of {long_date(yesterday)}").click()
    edited = Session.objects.get(user=alice, date=yesterday)
    tab.arrived(reverse("tracker:session-edit", args=[edited.pk]), "session-edit")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Pain after (0–10)").fill("2")
    page.get_by_label("Notes").fill("Slower, and it helped.")
    page.get_by_role("button", name="Save changes").click()
    tab.arrived(reverse("tracker:history"), "history-after-edit")
    assert "Session saved." in page.locator(".messages").inner_text()
    sessions_list = page.locator("#sessions")
    assert "30 min · pain 6 → 2" in sessions_list.inner_text()

    page.get_by_role("link", name=f"Delete the session of {long_date(three_days_ago)}").click()
    deleted = Session.objects.get(user=alice, date=three_days_ago)
    tab.arrived(reverse("tracker:session-delete", args=[deleted.pk]), "session-delete")
    page.get_by_role("button", name="Delete").click()
    tab.arrived(reverse("tracker:history"), "history-after-delete")
    assert "Session deleted." in page.locator(".messages").inner_text()
    assert page.get_by_text("Sessions (1) · Pain check-ins (1)").is_visible()
    assert "QL release" not in sessions_list.inner_text()

    page.get_by_role("navigation").get_by_role("link", name="Progress").click()
    tab.arrived(reverse("tracker:progress"), "progress-after")
    assert "1 sessions, 30 minutes" in sessions_chart.locator("figcaption").inner_text()
    pain_chart = pain_section.locator("svg[role=img]")
    assert "1 days with a check-in, lowest 7, highest 7" in pain_chart.get_attribute("aria-label")

    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard-chart")
    streak = page.locator("section", has=page.get_by_role("heading", name="Your streak"))
    assert "highest 7" in streak.locator("svg[role=img]").get_attribute("aria-label")

    assert list(Session.objects.filter(user=alice).values_list("duration_minutes", "pain_after")) == [(30, 2)]
    assert PainEntry.objects.get(user=alice).score == 7
    tab.assert_clean()
