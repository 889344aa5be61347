"""How the browser tests drive Chromium: launch arguments, viewports, and a watched browser tab.

The launch arguments live here and only here; ``tests/conftest.py`` hands them to
pytest-playwright, so every browser test in the suite starts Chromium the same way.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

CHROMIUM = "/usr/bin/chromium"
# The machine is offline and the tests must not depend on anything outside it: no
# background services that phone home, no GPU, /dev/shm too small in containers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
REQUIRE_BROWSER = "BACKCARE_REQUIRE_BROWSER"

# axe-core (carried by axe-playwright-python, so nothing comes from a CDN) checks every page a
# journey pictures against WCAG 2.2 A and AA, once in each colour scheme.
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
COLOR_SCHEMES = ("light", "dark")
# Every page axe checked in this run, by URL name and scheme; tests/e2e/conftest.py writes it out.
AXE_CHECKED: set[tuple[str, str]] = set()


def chromium_launch_args() -> dict:
    """pytest-playwright's launch options; skips the browser tests when Chromium is missing, unless CI requires it."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)"
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{REQUIRE_BROWSER}=1 but {message}", pytrace=False)
        pytest.skip(message)
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def url_name(path: str) -> str:
    """The URL's name in the app (``tracker:player``), or the path itself when it has none."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name or path


def describe_violations(where: str, violations: list[dict]) -> list[str]:
    """One line per element axe found at fault: rule id, impact, selector and help."""
    return [
        f"{where}: {violation['id']} ({violation['impact']}) at {' '.join(map(str, node['target']))}: "
        f"{violation['help']} — {node.get('failureSummary', '').splitlines()[-1].strip()}"
        for violation in violations
        for node in violation["nodes"]
    ]


class Tab:
    """One browser tab against the live server, watched for what must never happen.

    Records every console error and uncaught exception (a Content-Security-Policy violation
    is a console error), every request to a host other than the live server, and every
    page the tab navigated to; ``screenshot()`` keeps a picture of the page it is on and runs
    axe-core on it in the light and the dark colour scheme.
    ``assert_clean()`` fails on any error, foreign request or accessibility violation, and on
    a page visited without a screenshot.
    """

    def __init__(self, context, *, base_url: str, shots, persona: str, javascript: bool = True):
        self.context = context
        # Ten seconds for any one step: a page of this app that takes longer is a failure anyway.
        context.set_default_timeout(10_000)
        self.page = context.new_page()
        self.base_url = base_url
        self.shots = shots
        self.persona = persona
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.visited: list[str] = []
        self.pictured: set[str] = set()
        self.expected_failures: set[str] = set()
        self.violations: list[str] = []
        self.javascript = javascript  # as the context was made: Playwright cannot tell
        self._checker = None
        context.on("request", self._on_request)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("framenavigated", self._on_navigated)

    # --- What the tab watches --------------------------------------------------------------

    def _on_request(self, request):
        if not request.url.startswith(self.base_url + "/"):
            self.foreign_requests.append(request.url)

    def _on_console(self, message):
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        # A page the test opened expecting an error status logs the status as a failed load.
        if message.text.startswith("Failed to load resource") and where in self.expected_failures:
            return
        self.errors.append(f"console: {message.text} ({where})")

    def _on_navigated(self, frame):
        if frame == self.page.main_frame:
            self.visited.append(urldefrag(frame.url).url)

    # --- Moving around -----------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, name: str, *, status: int = 200):
        """Open a path of the live server, check the answer's status and take the page's picture."""
        if status >= 400:
            self.expected_failures.add(self.url(path))
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, f"{path}: {response and response.status}"
        self.screenshot(name)
        return response

    def arrived(self, path: str, name: str):
        """After a click or a form: wait for the page at ``path`` (query string aside) and picture it."""
        self.page.wait_for_url(re.compile(re.escape(self.url(path)) + r"(\?.*)?(#.*)?$"))
        self.page.wait_for_load_state()
        self.screenshot(name)

    def screenshot(self, name: str) -> Path:
        """Picture the page and check it with axe, in the scheme it is shown in and then in the other.

        The second picture is named ``...-dark`` or ``...-light``; the first is the one returned.
        """
        label = f"{self.persona}-{name}" if self.persona else name
        shown = "dark" if self.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") else "light"
        where = urldefrag(self.page.url).url.removeprefix(self.base_url)
        first = None
        for scheme in sorted(COLOR_SCHEMES, key=lambda s: s != shown):  # the one shown first
            if scheme != shown:
                self.page.emulate_media(color_scheme=scheme)
            path = self.shots.next_path(label if scheme == shown else f"{label}-{scheme}")
            self.page.screenshot(path=str(path), full_page=True)
            first = first or path
            results = self._run_axe(scheme)
            self.violations += describe_violations(f"{name} ({where}, {scheme})", results["violations"])
            AXE_CHECKED.add((url_name(where.split("?")[0]), scheme))
        self.page.emulate_media(color_scheme=shown)
        self.pictured.add(urldefrag(self.page.url).url)
        return first

    def _run_axe(self, scheme: str) -> dict:
        if self.javascript:
            return AXE.run(self.page, options=AXE_OPTIONS).response
        # axe needs timers, which never fire in a page without JavaScript: check a copy of the page, its
        # scripts taken out, in a page of its own that has them (same size, same scheme, same stylesheets).
        if self._checker is None:
            self._checker = self.context.browser.new_context(viewport=self.page.viewport_size).new_page()
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", self.page.content(), flags=re.S | re.I)
        html = html.replace("<head>", f'<head><base href="{self.page.url}">', 1)
        self._checker.emulate_media(color_scheme=scheme)
        self._checker.set_content(html, wait_until="load")
        return AXE.run(self._checker, options=AXE_OPTIONS).response

    # --- The verdict ---------------------------------------------------------------------------

    def assert_clean(self):
        if self._checker is not None:
            self._checker.context.close()
        unpictured = [url for url in self.visited if url not in self.pictured and url != "about:blank"]
        assert self.errors == [], "errors in the browser console"
        assert self.foreign_requests == [], "requests left the live server"
        assert unpictured == [], "pages visited without a screenshot"
        assert self.violations == [], "accessibility violations (axe-core, WCAG 2.2 A/AA):\n" + "\n".join(
            self.violations
        )


class Screenshots:
    """Numbered pictures of one test run: test-artifacts/screenshots/<test>/<nn>-<page>.png."""

    def __init__(self, test_name: str):
        self.folder = SCREENSHOTS / _file_name(test_name)
        shutil.rmtree(self.folder, ignore_errors=True)  # no stale picture from an earlier run
        self.folder.mkdir(parents=True)
        self.count = 0

    def next_path(self, name: str) -> Path:
        self.count += 1
        return self.folder / f"{self.count:02d}-{_file_name(name)}.png"
