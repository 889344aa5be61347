import os

import pytest
from rest_framework.test import APIClient

from tests.e2e.browser import chromium_launch_args

# pytest-django's live_server runs in another thread than the browser tests' event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright starts Debian's Chromium, offline, for every browser test (see tests/e2e/browser.py)."""
    return chromium_launch_args()


def make_user(django_user_model, username, **extra):
    """A person whose address is verified unless ``email_verified=False`` (reminders go only to such people)."""
    extra.setdefault("email_verified", True)
    return django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD, **extra)


@pytest.fixture
def alice(db, django_user_model):
    """Owns the data under test."""
    return make_user(django_user_model, "alice", timezone="Europe/Paris")


@pytest.fixture
def bob(db, django_user_model):
    """The outsider: must never see alice's data."""
    return make_user(django_user_model, "bob", timezone="America/New_York")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def alice_api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def bob_api(bob):
    client = APIClient()
    client.force_authenticate(bob)
    return client


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client
