"""Journey: alice records her outcomes twice, two weeks apart, marks yesterday as a flare day, and the
progress page shows the change and a streak unbroken by the flare; her report prints to PDF in Chromium."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from routines.models import Routine
from tests.conftest import make_user
from tracker.models import DayMark, Outcome, Session

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(catalog, django_user_model):
    alice = make_user(django_user_model, "alice", timezone="Europe/Paris")
    today = alice.local_today()
    routine = Routine.objects.get(slug="posterior-chain-release")
    # Sessions three days ago, two days ago and today; yesterday she had a flare and did none.
    for days_ago in (3, 2, 0):
        Session.objects.create(
            user=alice, routine=routine, date=today - datetime.timedelta(days=days_ago), duration_minutes=15
        )
    return alice


def record_outcomes(tab, date, walking, standing, scores, name):
    page = tab.page
    tab.goto(reverse("tracker:outcome-new"), name)
    page.get_by_label("Date").fill(date.isoformat())
    page.get_by_label("Walking (minutes)").fill(str(walking))
    page.get_by_label("Standing (minutes)").fill(str(standing))
    for number, (activity, score) in enumerate(scores, start=1):
        page.get_by_label(re.compile(rf"^Activity {number}")).fill(activity)
        page.get_by_label(f"How well, 0–10 (activity {number})").select_option(str(score))
    page.get_by_role("button", name="Save outcomes").click()
    tab.arrived(reverse("tracker:outcomes"), f"{name}-saved")


def test_outcomes_a_flare_day_and_the_report(alice, open_tab, tmp_path):
    tab = open_tab("alice")
    page = tab.page
    today = alice.local_today()
    log_in(tab, "alice")

    activities = [("Garden", 3), ("Carry the shopping", 2), ("Cook a meal", 4)]
    record_outcomes(tab, today - datetime.timedelta(days=14), 10, 8, activities, "outcomes-first")
    better = [(name, score + 3) for name, score in activities]
    record_outcomes(tab, today, 18, 10, better, "outcomes-second")
    assert Outcome.objects.filter(user=alice).count() == 2

    tab.goto(reverse("tracker:progress"), "progress-before-mark")
    streak = page.locator(".figure-card", has=page.get_by_role("heading", name="Streak"))
    assert "1 day in a row" in streak.inner_text()

    page.get_by_role("link", name="Mark a day").click()
    tab.arrived(reverse("tracker:day-marks"), "day-marks")
    page.get_by_label("Date").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Flare-up").check()
    page.get_by_role("button", name="Mark this day").click()
    tab.arrived(reverse("tracker:day-marks"), "day-marked")
    assert DayMark.objects.get(user=alice).kind == "flare"
    assert page.get_by_role("heading", name="A flare-up plan").is_visible()

    page.get_by_role("navigation").get_by_role("link", name="Progress").click()
    tab.arrived(reverse("tracker:progress"), "progress-after-mark")
    assert "3 days in a row" in streak.inner_text()
    assert "1 rest, flare or away day left out" in streak.inner_text()
    outcomes = page.locator("section", has=page.get_by_role("heading", name="Walking, standing and your activities"))
    walking_row = outcomes.get_by_role("row", name="Walking (minutes)")
    assert walking_row.inner_text().split("\t")[1:] == ["10", "18", "+8", "yes"]
    psfs_row = outcomes.get_by_role("row", name="Your activities (PSFS)")
    assert psfs_row.inner_text().split("\t")[1:] == ["3.0", "6.0", "+3.0", "yes"]

    page.get_by_role("link", name="Report for your clinician").click()
    tab.arrived(reverse("tracker:report"), "report")
    pdf = tmp_path / "report.pdf"
    page.emulate_media(media="print")
    tab.screenshot("report-as-printed")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages
    assert len(pages) == 1
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Backcare report for alice" in text
    assert "Walking (minutes) 10 18 +8 yes" in text
    tab.assert_clean()
