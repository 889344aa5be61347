"""With DEBUG off, errors answer with the app's own pages (400, 403, 404, 500), never a traceback.

The module doubles as a test-only URLconf: views that fail on purpose, beside the site's own URLs.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse

from tracker.models import Session

pytestmark = pytest.mark.django_db

SECRET = "the-database-password-is-hunter2"


def fails(request):
    raise RuntimeError(f"boom: {SECRET}")


def forbidden(request):
    raise PermissionDenied(SECRET)


def suspicious(request):
    raise SuspiciousOperation(SECRET)


urlpatterns = [
    path("test-errors/500/", fails),
    path("test-errors/403/", forbidden),
    path("test-errors/400/", suspicious),
    path("", include("backcare.urls")),
]

DEBUG_PAGE_MARKERS = ["Traceback", "Django Version", "Request Method", "technical_500", "You're seeing this error"]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def visitor():
    # As a browser would see it: an exception becomes the error page, not an exception in the test.
    return Client(raise_request_exception=False)


def assert_own_error_page(response, *, status: int, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in html
    assert "/static/backcare/app.css" in html  # the site's own look
    assert SECRET not in html
    assert not [marker for marker in DEBUG_PAGE_MARKERS if marker in html]


def test_an_unknown_address_answers_the_apps_404_page(visitor):
    assert_own_error_page(visitor.get("/no-such-page/"), status=404, heading="Page not found")


def test_another_users_record_answers_the_same_404_page(visitor, alice, bob):
    session = Session.objects.create(user=alice, date=alice.local_today(), duration_minutes=10)
    visitor.force_login(bob)

    answer = visitor.get(reverse("tracker:session-edit", args=[session.pk]))

    assert_own_error_page(answer, status=404, heading="Page not found")


@pytest.mark.urls("tests.test_error_pages")
def test_an_unexpected_exception_answers_the_apps_500_page_without_a_traceback(visitor):
    answer = visitor.get("/test-errors/500/")

    assert_own_error_page(answer, status=500, heading="Something went wrong on our side")


@pytest.mark.urls("tests.test_error_pages")
def test_a_refused_permission_answers_the_apps_403_page(visitor):
    answer = visitor.get("/test-errors/403/")

    assert_own_error_page(answer, status=403, heading="You cannot open this page")


@pytest.mark.urls("tests.test_error_pages")
def test_a_suspicious_request_answers_the_apps_400_page(visitor):
    answer = visitor.get("/test-errors/400/")

    assert_own_error_page(answer, status=400, heading="That request could not be understood")


def test_a_request_for_an_unknown_host_answers_the_apps_400_page(visitor):
    answer = visitor.get("/", headers={"host": "evil.example"})

    assert_own_error_page(answer, status=400, heading="That request could not be understood")


def test_a_form_posted_without_its_csrf_token_answers_the_apps_403_page(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    answer = browser.post(reverse("tracker:pain-new"), {"score": "3", "context": "rest"})

    assert_own_error_page(answer, status=403, heading="Please try again")
