"""The progress page and the dashboard's progress card."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from tracker.models import SelfCheck

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
    html = page(client).content.decode()
    assert "Your pain needs attention" in html
    assert 'data-tier="emergency"' in html


def test_the_progress_warning_gives_its_reason(client, alice):
    pain(alice, D(2026, 3, 31), 9)
    client.force_login(alice)
    html = page(client).content.decode()
    assert "A pain score of 9/10 in the last 3 days." in html
    assert "risen two weeks running" not in html


def test_the_progress_warning_says_when_the_weekly_average_rose(client, alice):
    # Windows ending 31 March: 11–17, 18–24 and 25–31 March, averaging 3, 5, 7.
    for day, score in ((D(2026, 3, 12), 3), (D(2026, 3, 19), 5), (D(2026, 3, 26), 7)):
        pain(alice, day, score)
    client.force_login(alice)
    html = page(client).content.decode()
    assert "Your weekly pain average has risen two weeks running." in html
    assert "Your last pain score" not in html


def test_the_progress_page_lists_self_checks_with_the_pain_average_of_their_week(client, alice, bob):
    pain(alice, D(2026, 3, 20), 6)
    pain(alice, D(2026, 3, 21), 3)
    SelfCheck.objects.create(user=alice, date=D(2026, 3, 21), pelvis="arch", causes=[], chain="anterior")
    SelfCheck.objects.create(user=bob, date=D(2026, 3, 22), pelvis="tuck", causes=[], chain="posterior")
    client.force_login(alice)
    html = page(client).content.decode()
    section = html.split('id="self-checks-title"')[1].split("</section>")[0]
    assert "21 Mar 2026" in section and "Anterior chain" in section and "4.5" in section
    assert "22 Mar 2026" not in section and "Posterior chain" not in section


def test_the_progress_page_invites_a_self_check_when_none_is_in_range(client, alice):
    client.force_login(alice)
    section = page(client).content.decode().split('id="self-checks-title"')[1].split("</section>")[0]
    assert "No self-check saved in this range." in section
    assert reverse("routines:self-check") in section


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
