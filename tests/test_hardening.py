"""Hardening: login lockout, API throttling, CSRF on every form, a Content-Security-Policy with no
inline script, and secure cookies and HSTS under the production settings."""

import json
import secrets
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from backcare.accounts.verification import verification_token
from tests.conftest import PASSWORD
from tests.test_settings import manage
from tracker.models import PainEntry, Session

pytestmark = pytest.mark.django_db

LOGIN_FAILURE_LIMIT = 5
# <script> elements the browser does not run, so the policy has no say over them (json_script).
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


# --- Reading pages ----------------------------------------------------------------------


class PageParts(HTMLParser):
    """What a page carries that the policy or the CSRF protection cares about."""

    def __init__(self, html: str):
        super().__init__()
        self.scripts: list[dict] = []
        self.post_forms: list[dict] = []
        self.inline: list[str] = []  # inline styles and event handlers, which the policy also refuses
        self._form = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        elif tag == "style":
            self.inline.append("<style>")
        elif tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "csrf": False}
            self.post_forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name") == "csrfmiddlewaretoken":
            self._form["csrf"] = bool(attrs.get("value"))
        for name, value in attrs.items():
            script_url = name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:")
            if name == "style" or name.startswith("on") or script_url:
                self.inline.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        if words := part.split():
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def alices_records(alice):
    today = alice.local_today()
    session = Session.objects.create(user=alice, date=today, duration_minutes=20, pain_before=5, pain_after=3)
    pain = PainEntry.objects.create(user=alice, date=today, score=4, context="walking")
    return session, pain


@pytest.fixture
def alices_pages(alice, alices_records) -> list[str]:
    """Every page alice can open, each form of the site among them (she has answered the health screen)."""
    session, pain = alices_records
    alice.screened = True
    alice.save(update_fields=["screened"])
    return [
        reverse("tracker:dashboard"),
        reverse("tracker:history"),
        reverse("tracker:progress"),
        reverse("tracker:session-new"),
        reverse("tracker:session-edit", args=[session.pk]),
        reverse("tracker:session-delete", args=[session.pk]),
        reverse("tracker:pain-new"),
        reverse("tracker:pain-edit", args=[pain.pk]),
        reverse("tracker:pain-delete", args=[pain.pk]),
        reverse("tracker:player", args=["posterior-chain-release"]),
        reverse("tracker:reminders"),
        reverse("tracker:account-delete"),
        reverse("profile"),
        reverse("health-screen"),
        reverse("password_change"),
        reverse("routines:catalog"),
        reverse("routines:routine", args=["ql-release"]),
        reverse("routines:muscle", args=["piriformis"]),
        reverse("routines:exercise", args=["figure-four-stretch"]),
        reverse("routines:program", args=["flexible-back"]),
        reverse("routines:self-check"),
    ]


PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/api/docs/",
    "/admin/login/",
    "/warning-signs/",
    "/flare-up/",
]


@pytest.fixture
def every_page(client, alice, alices_pages):
    """(path, response) for each page, public and alice's, with the self-check's result and a reset link too."""
    answers = [(path, client.get(path)) for path in PUBLIC_PAGES]
    uid, token = urlsafe_base64_encode(force_bytes(alice.pk)), default_token_generator.make_token(alice)
    reset = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    answers.append(("password reset confirm", reset))
    answers.append(("email verification", client.get(reverse("email-verify", args=[verification_token(alice)]))))
    answers.append(("404", client.get("/no-such-page/")))
    client.force_login(alice)
    answers += [(path, client.get(path)) for path in alices_pages]
    result = client.post(reverse("routines:self-check"), {"pelvis": "tuck", "causes": ["inactivity"]})
    answers.append(("self-check result", result))
    for path, response in answers:
        assert response.status_code in (200, 404), f"{path}: {response.status_code}"
    return answers


# --- Login lockout ------------------------------------------------------------------------


@pytest.fixture
def lockouts(settings):
    settings.AXES_ENABLED = True


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_logins_lock_the_username_out_even_with_the_right_password(lockouts, client, alice):
    failures = [log_in(client, "alice", f"wrong {n}").status_code for n in range(LOGIN_FAILURE_LIMIT)]
    locked = log_in(client, "alice", PASSWORD)

    assert failures[:-1] == [200] * (LOGIN_FAILURE_LIMIT - 1)
    assert (locked.status_code, "Too many failed logins" in locked.content.decode()) == (429, True)
    assert "_auth_user_id" not in client.session


def test_four_failed_logins_do_not_lock_the_username_out(lockouts, client, alice):
    for n in range(LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "alice", f"wrong {n}")

    assert log_in(client, "alice", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_a_locked_out_username_does_not_lock_out_others_from_the_same_address(lockouts, client, alice, bob):
    for n in range(LOGIN_FAILURE_LIMIT):
        log_in(client, "alice", f"wrong {n}")

    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_a_locked_out_username_gets_no_api_token_either(lockouts, client, api, alice):
    for n in range(LOGIN_FAILURE_LIMIT):
        log_in(client, "alice", f"wrong {n}")

    answer = api.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})

    assert answer.status_code == 400
    assert "token" not in answer.json()


def test_failed_api_token_requests_count_towards_the_lockout(lockouts, client, api, alice):
    for n in range(LOGIN_FAILURE_LIMIT):
        api.post(reverse("api-token"), {"username": "alice", "password": f"wrong {n}"})

    assert log_in(client, "alice", PASSWORD).status_code == 429


# --- API throttling -------------------------------------------------------------------------


@pytest.fixture
def throttle_rates(settings, monkeypatch):
    """``throttle_rates(user="3/min")``: the test settings turn throttling off; this turns it back on."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None, **rates},
        }
        # DRF copies the rates onto the throttle class when it is imported; the reloaded setting
        # alone would not reach it.
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)

    cache.clear()  # the throttles count requests in the cache
    yield set_rates
    cache.clear()


def test_a_user_past_the_rate_gets_429_with_a_retry_after(throttle_rates, alice_api):
    throttle_rates(user="3/min")
    answers = [alice_api.get("/api/v1/sessions/") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60


def test_one_users_rate_does_not_throttle_another(throttle_rates, alice_api, bob_api):
    throttle_rates(user="3/min")
    for _ in range(3):
        alice_api.get("/api/v1/sessions/")

    assert bob_api.get("/api/v1/sessions/").status_code == 200


def test_an_anonymous_client_past_the_rate_gets_429(throttle_rates, api):
    throttle_rates(anon="2/min")
    statuses = [api.get("/api/v1/muscles/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_the_token_endpoint_is_throttled_even_for_the_right_password(throttle_rates, api, alice):
    throttle_rates(token="2/min")
    for n in range(2):
        api.post(reverse("api-token"), {"username": "alice", "password": f"guess {n}"})

    answer = api.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})

    assert (answer.status_code, "token" in answer.json()) == (429, False)


# --- Input no field accepts ---------------------------------------------------------------


@pytest.fixture
def alice_browser(alice):
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)
    return browser


@pytest.fixture
def alice_script(alice):
    script = APIClient(raise_request_exception=False)
    script.force_authenticate(alice)
    return script


@pytest.mark.parametrize(
    "method, path, data, status",
    [
        ("get", "/api/v1/routines/ql%00release/", None, 404),
        ("get", "/api/v1/muscles/psoas%00/", None, 404),
        ("post", "/api/v1/sessions/", {"routine": "ql\x00release", "date": "2025-01-06", "duration_minutes": 5}, 400),
        ("patch", "/api/v1/profile/", {"program": "flexible\x00back"}, 400),
    ],
)
def test_a_nul_character_in_an_api_slug_is_refused_not_a_server_error(alice_script, method, path, data, status):
    # PostgreSQL refuses even to compare text holding a NUL: looked up, it would be a 500.
    answer = getattr(alice_script, method)(path, data, format="json")

    assert answer.status_code == status


def test_a_nul_character_in_a_pages_query_is_ignored_not_a_server_error(alice_browser):
    answer = alice_browser.get(reverse("tracker:session-new") + "?routine=ql%00release")

    assert answer.status_code == 200


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/self-check/"),
        ("post", "/api/v1/sessions/"),
        ("post", "/api/v1/pain-entries/"),
        ("patch", "/api/v1/profile/"),
        ("patch", "/api/v1/reminders/"),
    ],
)
def test_json_nested_a_thousand_levels_deep_is_a_clear_400_on_every_json_endpoint(alice_script, method, path):
    answer = getattr(alice_script, method)(path, nested(1000), content_type="application/json")

    assert answer.status_code == 400
    assert answer.json() == {"detail": "JSON nested more than 32 levels deep is not accepted."}


def test_json_nested_past_the_limit_without_reaching_pythons_own_is_refused_and_stores_nothing(alice_script, alice):
    body = json.dumps({"date": str(alice.local_today()), "duration_minutes": 5, "notes": 0}).replace(
        "0}", nested(40) + "}"
    )

    answer = alice_script.post("/api/v1/sessions/", body, content_type="application/json")

    assert (answer.status_code, answer.json()) == (
        400,
        {"detail": "JSON nested more than 32 levels deep is not accepted."},
    )
    assert not Session.objects.exists()


def test_json_nested_one_level_past_the_limit_is_refused(alice_script):
    answer = alice_script.post("/api/v1/self-check/", {"pelvis": json.loads(nested(32))}, format="json")

    assert (answer.status_code, answer.json()) == (
        400,
        {"detail": "JSON nested more than 32 levels deep is not accepted."},
    )


def test_json_nested_as_deep_as_the_limit_is_parsed(alice_script):
    # An object holding 31 nested lists: 32 levels.
    answer = alice_script.post("/api/v1/self-check/", {"pelvis": json.loads(nested(31))}, format="json")

    assert answer.status_code == 400
    assert "pelvis" in answer.json()


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def strict_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def pain_form(**extra):
    return {"date": "", "score": "4", "context": "walking", "notes": "", **extra}


def test_a_form_posted_without_its_csrf_token_is_refused_and_stores_nothing(strict_client, alice):
    answer = strict_client.post(reverse("tracker:pain-new"), pain_form(date=alice.local_today().isoformat()))

    assert answer.status_code == 403
    assert "Please try again" in answer.content.decode()
    assert not PainEntry.objects.exists()


def test_the_same_form_posted_with_its_csrf_token_is_accepted(strict_client, alice):
    strict_client.get(reverse("tracker:pain-new"))
    token = strict_client.cookies["csrftoken"].value
    data = pain_form(date=alice.local_today().isoformat(), csrfmiddlewaretoken=token)

    answer = strict_client.post(reverse("tracker:pain-new"), data)

    assert answer.status_code == 302
    assert PainEntry.objects.filter(user=alice).count() == 1


def test_the_api_refuses_a_browser_session_writing_without_the_csrf_token(alice):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(alice)
    data = {"date": alice.local_today().isoformat(), "duration_minutes": 10}

    answer = api.post("/api/v1/sessions/", data, format="json")

    assert answer.status_code == 403
    assert not Session.objects.exists()


def test_every_form_that_posts_carries_a_csrf_token(every_page):
    # The one form without a token is the one-click unsubscribe (its signed URL is the authority,
    # and RFC 8058 has mail providers post to it without one); it is reached only from emails.
    missing = [
        (path, form["action"])
        for path, response in every_page
        for form in PageParts(response.content.decode()).post_forms
        if not form["csrf"]
    ]
    forms = sum(len(PageParts(response.content.decode()).post_forms) for _, response in every_page)

    assert missing == []
    assert forms >= len(every_page)


# --- Content-Security-Policy --------------------------------------------------------------------


def test_every_page_sends_a_policy_allowing_scripts_from_the_site_only(every_page):
    for path, response in every_page:
        directives = csp_directives(response)
        assert directives.get("script-src") == ["'self'"], path
        assert directives.get("default-src") == ["'self'"], path
        assert directives.get("object-src") == ["'none'"], path
        assert directives.get("frame-ancestors") == ["'none'"], path


def test_no_page_carries_an_inline_script(every_page):
    for path, response in every_page:
        scripts = PageParts(response.content.decode()).scripts
        inline = [script for script in scripts if not script.get("src") and script.get("type") not in DATA_BLOCK_TYPES]
        assert inline == [], path


def test_no_page_carries_an_inline_style_or_event_handler(every_page):
    for path, response in every_page:
        assert PageParts(response.content.decode()).inline == [], path


# --- Caching of private answers -----------------------------------------------------------------


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def test_every_page_of_a_signed_in_person_is_neither_stored_nor_shared_by_caches(client, alice, alices_pages):
    client.force_login(alice)
    uncached = [path for path in alices_pages if not {"no-store", "private"} <= cache_directives(client.get(path))]

    assert uncached == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/profile/", "/api/v1/sessions/", "/api/v1/pain-entries/", "/api/v1/progress/", "/api/v1/reminders/"],
)
def test_every_api_answer_with_personal_data_is_neither_stored_nor_shared_by_caches(api, alice, alices_records, path):
    token = Token.objects.create(user=alice)

    answer = api.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert answer.status_code == 200
    assert {"no-store", "private"} <= cache_directives(answer)


def test_the_public_catalog_stays_cacheable(client):
    assert "no-store" not in cache_directives(client.get(reverse("routines:catalog")))


# --- Production settings ----------------------------------------------------------------------


# The settings that shape cookies and HTTPS; copied from production into this process below.
SECURITY_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
]
PRODUCTION_SETTINGS = ["DEBUG", *SECURITY_SETTINGS, "AXES_ENABLED", "AXES_FAILURE_LIMIT", "REST_FRAMEWORK"]


@pytest.fixture(scope="module")
def production():
    """The values backcare.settings.production gives, read in a process of its own."""
    code = (
        "import json; from django.conf import settings; import axes.conf; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {PRODUCTION_SETTINGS!r}}}))"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        "--settings=backcare.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="backcare.example.org",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_locks_out_logins_and_throttles_the_api(production):
    rates = production["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]

    assert (production["AXES_ENABLED"], production["AXES_FAILURE_LIMIT"]) == (True, LOGIN_FAILURE_LIMIT)
    assert all(rates[scope] for scope in ("anon", "user", "token"))


def test_production_serves_https_only_and_tells_browsers_to_stay_on_it(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]


@pytest.fixture
def production_security(settings, production):
    """This process's settings, with the production values that shape cookies and HTTPS."""
    for name in SECURITY_SETTINGS:
        value = production[name]
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)


def test_under_production_settings_the_login_cookies_are_secure_http_only_and_same_site(
    production_security, client, alice
):
    client.get(reverse("login"), secure=True)
    csrf = client.cookies["csrftoken"]
    answer = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value}, secure=True
    )
    session = answer.cookies["sessionid"]

    assert answer.status_code == 302
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")


def test_under_production_settings_https_answers_carry_hsts_and_http_is_redirected(production_security, client):
    secure = client.get(reverse("home"), secure=True)
    plain = client.get(reverse("home"))

    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert (plain.status_code, plain.headers["Location"]) == (301, "https://testserver/")
