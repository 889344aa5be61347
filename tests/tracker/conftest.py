import pytest
import time_machine

from .logs_helpers import NOW, make_routine


@pytest.fixture
def at_logs_now():
    """Time frozen at the log tests' NOW, so "today" and "future" are fixed."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def routine(db):
    return make_routine()
