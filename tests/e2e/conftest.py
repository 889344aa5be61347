"""Fixtures of the browser journeys: each runs once on a desktop screen and once on a phone.

Chromium's launch arguments come from tests/conftest.py (tests/e2e/browser.py holds them).
"""

import pytest
from django.apps import apps
from django.urls import reverse

from routines.seed import load_catalog
from tests.celery_helpers import CeleryProcesses
from tests.conftest import PASSWORD
from tests.smtp_helpers import RecordingHandler, smtp_server
from tracker.seed import load_content

from .browser import AXE_CHECKED, SCREENSHOTS, VIEWPORTS, Screenshots, Tab

# The browser's own zone; the people in the journeys choose theirs in the app.
BROWSER_TIMEZONE = "America/New_York"


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def catalog(transactional_db):
    """The seeded catalog and reminder content: a transactional test's flush empties every table."""
    load_catalog(apps)
    load_content(apps)


@pytest.fixture
def screenshots(request):
    return Screenshots(request.node.name)


@pytest.fixture
def open_tab(new_context, live_server, viewport, screenshots):
    """``open_tab("alice")``: a tab in a browser context of its own (its own cookies), at this test's viewport."""

    def open_one(persona: str = "") -> Tab:
        context = new_context(viewport=VIEWPORTS[viewport], timezone_id=BROWSER_TIMEZONE, locale="en-GB")
        return Tab(context, base_url=live_server.url, shots=screenshots, persona=persona)

    return open_one


@pytest.fixture
def smtp():
    """A real SMTP server on loopback that records what it receives."""
    with smtp_server(RecordingHandler()) as server:
        yield server


@pytest.fixture
def celery(transactional_db, smtp, live_server, tmp_path):
    """Worker and beat, not started yet; links in their emails lead to the live server."""
    _, port = smtp
    env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_TIMEOUT": "5",
        "SITE_URL": live_server.url,
        "REMINDER_DISPATCH_INTERVAL": "1",
    }
    processes = CeleryProcesses(tmp_path, env=env, concurrency=1)
    try:
        with processes:
            yield processes
    finally:
        processes.dump_logs()  # shown only when the test failed


def log_in(tab: Tab, username: str, password: str = PASSWORD):
    tab.goto(reverse("login"), "login")
    tab.page.get_by_label("Username").fill(username)
    tab.page.get_by_label("Password").fill(password)
    tab.page.get_by_role("button", name="Log in").click()
    tab.arrived(reverse("tracker:dashboard"), "dashboard")


@pytest.fixture(scope="session", autouse=True)
def axe_checked_pages():
    """Writes test-artifacts/axe-checked.txt: every page axe checked in this run, by URL name and scheme."""
    yield
    if AXE_CHECKED:
        lines = sorted(f"{name} {scheme}" for name, scheme in AXE_CHECKED)
        (SCREENSHOTS.parent / "axe-checked.txt").write_text("\n".join(lines) + "\n")
