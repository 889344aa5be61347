import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache


@pytest.fixture
def tasks_run_here():
    """Celery tasks run in the test's own process as they are queued (after commit)."""
    from backcare.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def sent(tasks_run_here, django_capture_on_commit_callbacks):
    """``with sent(): ...``: run the block, then its after-commit callbacks (the queued emails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def rate_limits(settings):
    """``rate_limits(signup="2/h")``: the test settings turn the account limits off; this turns them on."""

    def set_rates(**rates):
        settings.RATELIMIT_ENABLE = True
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}

    cache.clear()
    yield set_rates
    cache.clear()


def link_in(message, path_pattern: str) -> str:
    """The site-relative path of the link in ``message`` matching ``path_pattern``."""
    return re.search(re.escape(settings.SITE_URL) + rf"({path_pattern})", message.body).group(1)


def outbox_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
