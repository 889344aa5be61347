"""Benchmark: every page's bytes over the wire and server time, on a first and a repeat visit.

    .venv/bin/python bench/pages.py

The app runs as it does in production for what reaches the browser: DEBUG off, static files
collected by whitenoise's CompressedManifestStaticFilesStorage (hashed names, gzip copies)
and, for the pages themselves, Django's GZipMiddleware standing in for the reverse proxy that
compresses HTML in front of gunicorn. It serves a throwaway database with the seeded catalog
and a person who has logged three weeks of sessions and pain, from a threaded WSGI server on
a loopback port, to Debian's Chromium driven by Playwright.

Each page is opened in a fresh browser context (empty cache, no service worker): the first
visit. The bytes are the Chrome DevTools Protocol's ``encodedDataLength`` of every request of
the page (headers and the compressed body, as received), the page's own and the assets it
loads. The server time is the document's, from the WSGI call to its last byte. Then, once the
service worker has installed, the same page again: the repeat visit. Its requests answered by
the service worker are counted, and the bytes the server sent during that visit (counted at
the server, so the service worker's own fetches are in them too).
"""

import contextlib
import datetime
import tempfile
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler

from _common import setup_django, throwaway_database

FIRST_VISIT_BUDGET = 150 * 1024
PASSWORD = "bench-pages-password"


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Meter:
    """WSGI wrapper: per request path, the bytes of the bodies sent and the time to the last byte."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.sent = 0
            self.requests = 0
            self.times = {}

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        body = self.app(environ, start_response)
        size = 0
        try:
            for chunk in body:
                size += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            with self.lock:
                self.sent += size
                self.requests += 1
                self.times[environ["PATH_INFO"]] = time.perf_counter() - started


def configure(static_root):
    """Production-like serving of the pages and the static files (see the docstring)."""
    from django.conf import settings
    from django.test.utils import override_settings

    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "django.middleware.gzip.GZipMiddleware"
    )
    override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        MIDDLEWARE=middleware,
    ).enable()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def make_person():
    from django.contrib.auth import get_user_model

    from routines.models import Routine
    from tracker.logs import self_check_save
    from tracker.models import PainEntry, Session

    user = get_user_model().objects.create_user("walker", "walker@example.com", PASSWORD, timezone="UTC", screened=True)
    self_check_save(user=user, pelvis="tuck", causes=["prolonged-standing-walking"])
    routine = max(Routine.objects.with_steps(), key=lambda r: len(r.steps.all()))
    today = datetime.date.today()
    for days in range(21):
        day = today - datetime.timedelta(days=days)
        Session.objects.create(user=user, routine=routine, date=day, duration_minutes=20, pain_before=6, pain_after=3)
        PainEntry.objects.create(user=user, date=day, score=5, context="walking", side="left", areas=["outer-hip"])
    return user, routine


def pages(routine):
    from django.urls import reverse

    from routines.models import Exercise, Muscle

    anonymous = [
        ("home", "/"),
        ("catalog", reverse("routines:catalog")),
        ("muscle", Muscle.objects.first().get_absolute_url()),
        ("exercise", reverse("routines:exercise", args=[Exercise.objects.first().slug])),
        ("routine", routine.get_absolute_url()),
        ("self-check", reverse("routines:self-check")),
        ("warning signs", reverse("warning-signs")),
        ("log in", reverse("login")),
        ("sign up", reverse("signup")),
        ("offline", reverse("offline")),
    ]
    signed_in = [
        ("dashboard", reverse("tracker:dashboard")),
        ("player", reverse("tracker:player", args=[routine.slug])),
        ("history", reverse("tracker:history")),
        ("progress", reverse("tracker:progress")),
        ("session form", reverse("tracker:session-new")),
        ("pain form", reverse("tracker:pain-new")),
        ("outcomes", reverse("tracker:outcomes")),
        ("outcome form", reverse("tracker:outcome-new")),
        ("day marks", reverse("tracker:day-marks")),
        ("experiment", reverse("tracker:experiment")),
        ("report", reverse("tracker:report")),
        ("reminders", reverse("tracker:reminders")),
        ("profile", reverse("profile")),
    ]
    return [(name, url, False) for name, url in anonymous] + [(name, url, True) for name, url in signed_in]


def session_cookie(user, base_url):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


class Visit:
    """One page load watched through the DevTools protocol: bytes received, requests the service worker answered."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.bytes = 0
        self.requests = 0
        self.from_worker = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.responseReceived", self._response)

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]
        self.requests += 1

    def _response(self, event):
        if event["response"].get("fromServiceWorker"):
            self.from_worker += 1


def visit(context, page, url):
    watched = Visit(context, page)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    watched.cdp.detach()
    return watched


def measure(browser, meter, base_url, name, path, cookie):
    from tests.e2e.browser import VIEWPORTS

    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        if cookie:
            context.add_cookies([cookie])
        page = context.new_page()
        meter.reset()
        first = visit(context, page, base_url + path)
        server_ms = meter.times.get(path, float("nan")) * 1000
        # The worker installs after the first load (registered by offline.js; here too, for a page
        # without it, such as the printable report); the next navigation is the worker's.
        page.evaluate(
            "() => Promise.race([navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready),"
            " new Promise((_, fail) => setTimeout(() => fail(new Error('no service worker')), 30000))])"
        )
        page.wait_for_load_state("networkidle")
        installed_kb = meter.sent / 1024  # the page, and the worker installing (the app shell it keeps)
        meter.reset()
        repeat = visit(context, page, base_url + path)
        controlled = page.evaluate("() => navigator.serviceWorker.controller !== null")
        return {
            "name": name,
            "path": path,
            "first_kb": first.bytes / 1024,
            "first_requests": first.requests,
            "server_ms": server_ms,
            "installed_kb": installed_kb,
            "repeat_kb": repeat.bytes / 1024,
            "repeat_requests": repeat.requests,
            "repeat_from_worker": repeat.from_worker,
            "repeat_server_kb": meter.sent / 1024,
            "repeat_server_requests": meter.requests,
            "repeat_server_ms": meter.times.get(path, float("nan")) * 1000,
            "controlled": controlled,
        }
    finally:
        context.close()


def main():
    setup_django()
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import setup_test_environment, teardown_test_environment
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

    setup_test_environment(debug=False)
    static_root = tempfile.mkdtemp(prefix="bench-pages-static-")
    try:
        with throwaway_database("pages"):
            configure(static_root)
            user, routine = make_person()
            meter = Meter(get_wsgi_application())
            server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
            server.set_app(meter)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            base_url = f"http://127.0.0.1:{server.server_address[1]}"
            cookie = session_cookie(user, base_url)
            rows = []
            to_visit = pages(routine)  # before Playwright's loop starts: the ORM refuses to run inside it
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    for name, path, signed_in in to_visit:
                        rows.append(measure(browser, meter, base_url, name, path, cookie if signed_in else None))
                    browser.close()
            finally:
                server.shutdown()
                with contextlib.suppress(Exception):
                    server.server_close()
            report(rows)
    finally:
        teardown_test_environment()


def report(rows):
    print("Phone viewport, Chromium; KB = 1024 bytes as received (compressed, headers included).")
    print(
        "first KB: the page and its assets as the browser received them; +SW install: bytes the server sent"
        " for the page and the worker's install (app shell kept); repeat: the browser's bytes from the network,"
        " requests the worker answered (the page itself goes to the network through it: pages are network"
        " first), and the server's count of requests and bytes in that visit (the worker keeping linked pages"
        " and their pictures included)."
    )
    print(
        f"{'page':14s} {'first KB':>9s} {'reqs':>5s} {'server ms':>10s} {'+SW install':>12s}"
        f" │ {'repeat KB':>10s} {'reqs':>5s}"
        f" {'from SW':>8s} {'server KB':>10s} {'server reqs':>12s} {'server ms':>10s}"
    )
    for row in sorted(rows, key=lambda r: r["first_kb"], reverse=True):
        print(
            f"{row['name']:14s} {row['first_kb']:9.1f} {row['first_requests']:5d} {row['server_ms']:10.1f}"
            f" {row['installed_kb']:12.1f} │"
            f" {row['repeat_kb']:10.1f} {row['repeat_requests']:5d} {row['repeat_from_worker']:8d}"
            f" {row['repeat_server_kb']:10.1f} {row['repeat_server_requests']:12d} {row['repeat_server_ms']:10.1f}"
            + ("" if row["controlled"] else "  (not controlled!)")
        )
    largest = max(rows, key=lambda r: r["first_kb"])
    verdict = "within" if largest["first_kb"] * 1024 <= FIRST_VISIT_BUDGET else "OVER"
    print(
        f"largest first visit: {largest['name']} ({largest['path']}), {largest['first_kb']:.1f} KB"
        f" — {verdict} the {FIRST_VISIT_BUDGET // 1024} KB budget"
    )
    first = sum(row["first_kb"] for row in rows)
    repeat = sum(row["repeat_server_kb"] for row in rows)
    by_worker = sum(row["repeat_from_worker"] for row in rows)
    asked = sum(row["repeat_requests"] for row in rows)
    print(
        f"repeat visits: {by_worker} of {asked} requests answered by the service worker;"
        f" the server sent {repeat:.1f} KB in all, against {first:.1f} KB on the first visits"
    )


if __name__ == "__main__":
    main()
