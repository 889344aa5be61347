"""The progress page and the dashboard's progress card."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from .progress_data import days, log, pain, routine

D = datetime.date
PARIS_NOON = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


@pytest.fixture
def alice_with_a_month(client, alice):
    back = routine("test-back", "Test back release", "posterior", [["piriformis"]])
    front = routine("test-front", "Test front release", "anterior", [["psoas"]])
    for n, day in enumerate(days(D(2026, 3, 2), D(2026, 3, 31))):
        if n % 3:
            log(alice, day, 15, back if n % 2 else front, 6, 3 + n % 2)
        pain(alice, day, 3 + n % 4)
    client.force_login(alice)
    return client


def page(client, **params):
    with time_machine.travel(PARIS_NOON, tick=False):
        return client.get(reverse("tracker:progress"), params)


def test_the_progress_page_needs_a_login(client):
    response = client.get(reverse("tracker:progress"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_progress_page_shows_every_figure_and_chart(alice_with_a_month):
    response = page(alice_with_a_month)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["start"], figures["end"], figures["sessions"]) == (D(2026, 3, 2), D(2026, 3, 31), 20)
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4  # pain, sessions, chains, relief
    assert html.count('class="day active"') == 20


def test_every_chart_has_a_text_alternative(alice_with_a_month):
    html = page(alice_with_a_month).content.decode()
    labels = re.findall(r'<svg [^>]*role="img"[^>]*aria-label="([^"]+)"', html)
    assert len(labels) == 4
    assert labels[0].startswith("Pain from 2 Mar 2026 to 31 Mar 2026: 30 days with a check-in")


def test_the_charts_carry_nothing_the_content_security_policy_blocks(alice_with_a_month):
    html = page(alice_with_a_month).content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert "<script" not in main
    assert "<style" not in main
    assert " style=" not in main


def test_the_page_follows_the_chosen_range(alice_with_a_month):
    response = page(alice_with_a_month, start="2026-03-30", end="2026-03-31")
    assert (response.context["figures"]["start"], response.context["figures"]["end"]) == (
        D(2026, 3, 30),
        D(2026, 3, 31),
    )
    assert 'value="2026-03-30"' in response.content.decode()


def test_a_bad_range_shows_the_message_and_no_figures(alice_with_a_month):
    response = page(alice_with_a_month, start="2026-03-10", end="2026-03-01")
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert "figures" not in response.context


def test_an_empty_history_says_so_instead_of_drawing(client, alice):
    client.force_login(alice)
    html = page(client).content.decode()
    assert "<svg" not in html
    assert "No sessions in this range." in html


def test_high_pain_shows_the_warning_signs(client, alice):
    pain(alice, D(2026, 3, 31), 9)
    client.force_login(alice)
    assert "See a clinician instead if you notice" in page(client).content.decode()


def test_the_progress_card_renders_with_only_the_user(alice):
    for day in days(D(2026, 3, 28), D(2026, 3, 31)):
        log(alice, day)
        pain(alice, day, 4)

    with time_machine.travel(PARIS_NOON, tick=False):
        html = Template("{% load progress_tags %}{% dashboard_progress user %}").render(Context({"user": alice}))

    assert re.search(r'<span class="stat">4</span>\s*<span>days in a row now', html)
    assert 'role="img"' in html
    assert reverse("tracker:progress") in html


def test_the_dashboard_includes_the_progress_card(client, alice):
    log(alice, D(2026, 3, 31))
    client.force_login(alice)
    with time_machine.travel(PARIS_NOON, tick=False):
        html = client.get(reverse("tracker:dashboard")).content.decode()
    assert "Your streak" in html


def test_a_long_range_counts_sessions_per_month(alice_with_a_month):
    response = page(alice_with_a_month, start="2022-04-01", end="2026-03-31")
    assert response.context["activity_chart"].summary.startswith("Sessions per month: 20 sessions")
    assert "Jan 2026" in response.context["pain_chart"].svg
