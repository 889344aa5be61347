"""The clinician report (HTML and PDF) and its share links: the same figures as the progress API,
a fixed number of queries, and links that answer 404 once revoked, expired or tampered with."""

import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from routines.models import Routine
from tracker.models import DayMark, Outcome, PainEntry, ReportLink, Session
from tracker.report.figures import report_figures
from tracker.report.links import token_for
from tracker.report.pdf import render_pdf

from .logs_helpers import NOW
from .progress_data import routine

D = datetime.date
TODAY = D(2026, 6, 15)
SIX_WEEKS = {"start": "2026-05-05", "end": "2026-06-15"}

pytestmark = pytest.mark.usefixtures("at_logs_now")


def fill(user, *, days=42, first=None):
    """A session most days with pain before/after, a pain entry a day, outcomes every two weeks."""
    made = Routine.objects.filter(slug=f"test-back-{user.pk}").first() or routine(
        f"test-back-{user.pk}", "Back release", "posterior", [["piriformis"]]
    )
    first = first or TODAY - datetime.timedelta(days=days - 1)
    sessions, entries = [], []
    for n in range((TODAY - first).days + 1):
        day = first + datetime.timedelta(days=n)
        if n % 5 != 4:
            sessions.append(
                Session(user=user, routine=made, date=day, duration_minutes=12, pain_before=6, pain_after=6 - n % 3)
            )
        entries.append(
            PainEntry(user=user, date=day, score=3 + n % 4, context="walking", factors=["stress"] if n % 2 else [])
        )
    Session.objects.bulk_create(sessions)
    PainEntry.objects.bulk_create(entries)
    rows = [{"activity": "Garden", "score": 3}, {"activity": "Shop", "score": 4}, {"activity": "Cook", "score": 5}]
    for n, day in enumerate([TODAY - datetime.timedelta(days=28), TODAY - datetime.timedelta(days=14), TODAY]):
        better = [{**row, "score": row["score"] + n} for row in rows]
        Outcome.objects.create(user=user, date=day, walking_minutes=10 + 5 * n, standing_minutes=12 + n, psfs=better)
    DayMark.objects.create(user=user, date=TODAY - datetime.timedelta(days=3), kind="flare")


def pdf_text(data: bytes) -> str:
    """The text of every page, each run of white space as one space (pypdf ends each table cell with a line)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def percent(value):
    return f"{round(value * 100):d}%"


@pytest.fixture
def alices_six_weeks(alice):
    alice.date_joined = NOW - datetime.timedelta(days=400)
    alice.save(update_fields=["date_joined"])
    fill(alice)
    return alice


def test_the_pdf_is_one_page_with_the_figures_of_the_progress_api(alices_six_weeks, alice_api):
    api = alice_api.get(reverse("api-progress"), SIX_WEEKS).json()
    helps = alice_api.get(reverse("api-insights"), SIX_WEEKS).json()

    data = render_pdf(report_figures(alices_six_weeks, weeks=6))
    text = pdf_text(data)

    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) == 1
    row = [
        api["sessions"],
        api["minutes"],
        api["active_days"],
        percent(api["adherence"]),
        f"{api['current_streak']} days",
    ]
    assert " ".join(str(value) for value in row) in text
    assert (
        f"{api['pain']['average']:g} {api['pain']['first_week_average']:g} {api['pain']['last_week_average']:g}" in text
    )
    walking = api["outcomes"]["walking_minutes"]
    assert f"Walking (minutes) {walking['first']:g} {walking['latest']:g} {walking['change']:+g} yes" in text
    routine_row = helps["routines"][0]
    assert f"{routine_row['ci_low']:g} to {routine_row['ci_high']:g}" in text


def test_the_report_page_shows_the_same_figures(alices_six_weeks, alice_client, alice_api):
    api = alice_api.get(reverse("api-progress"), SIX_WEEKS).json()

    page = alice_client.get(reverse("tracker:report"), {"weeks": 6}).content.decode()

    assert f"<td>{api['sessions']}</td><td>{api['minutes']}</td>" in page
    assert f"<td>{percent(api['adherence'])}</td>" in page
    assert "05 May 2026 to 15 Jun 2026" in page


def test_the_report_pdf_view_answers_a_pdf(alices_six_weeks, alice_client):
    response = alice_client.get(reverse("tracker:report-pdf"), {"weeks": 6})

    assert response["Content-Type"] == "application/pdf"
    assert "Backcare report for alice" in pdf_text(response.content)


@pytest.mark.parametrize("weeks", ["0", "53", "many"])
def test_a_bad_number_of_weeks_answers_400(alice_client, weeks):
    assert alice_client.get(reverse("tracker:report"), {"weeks": weeks}).status_code == 400


def test_the_report_needs_a_login(client):
    assert client.get(reverse("tracker:report")).status_code == 302


@pytest.mark.parametrize("days", [42, 3 * 365])
def test_the_report_runs_a_fixed_number_of_queries_whatever_the_history(
    alices_six_weeks, django_assert_num_queries, days
):
    alice = alices_six_weeks
    for model in (Session, PainEntry, Outcome, DayMark):
        model.objects.filter(user=alice).delete()
    fill(alice, first=TODAY - datetime.timedelta(days=days - 1))

    # progress.summary (reminder schedule, history, marks, routines, muscles, pain, outcomes), weekly pain,
    # the outcome series, the insights' two, the pain warning's three
    with django_assert_num_queries(14):
        render_pdf(report_figures(alice, weeks=52))


# --- Share links ------------------------------------------------------------------


def test_a_share_link_opens_the_report_without_login(alices_six_weeks, alice_api, client):
    response = alice_api.post(reverse("report-link-list"), {"weeks": 6}, format="json")
    assert response.status_code == 201, response.data
    path = response.data["url"].removeprefix(settings.SITE_URL)
    assert path.startswith("/report/shared/")

    page = client.get(path)

    assert page.status_code == 200
    assert "Backcare report for alice" in page.content.decode()
    assert "Backcare report for alice" in pdf_text(client.get(f"{path}pdf/").content)


def test_a_share_link_expires_after_14_days_by_default(alices_six_weeks, alice_api, client):
    body = alice_api.post(reverse("report-link-list"), {"weeks": 6}, format="json").data
    path = reverse("tracker:report-shared", args=[token_for(ReportLink.objects.get(pk=body["id"]))])

    with time_machine.travel(NOW + datetime.timedelta(days=13, hours=23), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=14, seconds=1), tick=False):
        response = client.get(path)
    assert response.status_code == 404
    assert "alice" not in response.content.decode()


def test_a_revoked_link_answers_404(alices_six_weeks, alice_api, client):
    body = alice_api.post(reverse("report-link-list"), {"weeks": 6, "expires_in_days": 30}, format="json").data
    path = reverse("tracker:report-shared", args=[token_for(ReportLink.objects.get(pk=body["id"]))])

    assert alice_api.delete(reverse("report-link-detail", args=[body["id"]])).status_code == 204

    assert client.get(path).status_code == 404
    assert client.get(f"{path}pdf/").status_code == 404


def test_a_tampered_link_answers_404(alices_six_weeks, alice, bob, client):
    link = ReportLink.objects.create(user=alice, key="k" * 32, weeks=6, expires_at=NOW + datetime.timedelta(days=3))
    token = token_for(link)
    forged = token.replace(token.split(":")[0], token_for(ReportLink(pk=link.pk + 1, key="k" * 32)).split(":")[0])

    assert client.get(reverse("tracker:report-shared", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("tracker:report-shared", args=[forged])).status_code == 404


def test_a_link_with_the_right_id_but_a_wrong_key_answers_404(alice, client):
    link = ReportLink.objects.create(user=alice, key="a" * 32, weeks=6, expires_at=NOW + datetime.timedelta(days=3))
    guessed = ReportLink(pk=link.pk, key="b" * 32)

    assert client.get(reverse("tracker:report-shared", args=[token_for(guessed)])).status_code == 404


@pytest.mark.parametrize(
    "bad", [{"weeks": 0}, {"weeks": 53}, {"weeks": 4, "expires_in_days": 0}, {"weeks": 4, "expires_in_days": 31}, {}]
)
def test_bad_share_link_input_answers_400_and_stores_nothing(alice_api, alice, bad):
    response = alice_api.post(reverse("report-link-list"), bad, format="json")

    assert response.status_code == 400
    assert not ReportLink.objects.filter(user=alice).exists()


def test_share_links_answer_401_without_credentials(api):
    assert api.get(reverse("report-link-list")).status_code == 401
    assert api.post(reverse("report-link-list"), {"weeks": 4}).status_code == 401


def test_bob_cannot_revoke_or_read_alices_link(alice, bob_api):
    link = ReportLink.objects.create(user=alice, key="c" * 32, weeks=6, expires_at=NOW + datetime.timedelta(days=3))

    assert bob_api.get(reverse("report-link-detail", args=[link.pk])).status_code == 404
    assert bob_api.delete(reverse("report-link-detail", args=[link.pk])).status_code == 404
    assert ReportLink.objects.filter(pk=link.pk).exists()


def test_the_profile_lists_live_links_and_revokes_them(alice, alice_client, client):
    link = ReportLink.objects.create(user=alice, key="d" * 32, weeks=6, expires_at=NOW + datetime.timedelta(days=3))
    ReportLink.objects.create(user=alice, key="e" * 32, weeks=9, expires_at=NOW - datetime.timedelta(days=1))

    page = alice_client.get(reverse("profile")).content.decode()
    assert token_for(link) in page
    assert "9 weeks" not in page

    alice_client.post(reverse("tracker:report-link-revoke", args=[link.pk]))

    assert not ReportLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("rows", [3, 60])
def test_the_link_list_costs_the_same_queries_for_3_and_60_links(alice_api, alice, rows, django_assert_num_queries):
    ReportLink.objects.bulk_create(
        ReportLink(user=alice, key=f"{n:032d}", weeks=4, expires_at=NOW + datetime.timedelta(days=3))
        for n in range(rows)
    )
    # count, page
    with django_assert_num_queries(2):
        assert len(alice_api.get(reverse("report-link-list"), {"page_size": 1000}).json()["results"]) == rows
