"""Every operation of /api/schema/, fuzzed by schemathesis as a signed-in user: no 5xx, every answer as documented.

The schema is fetched from the app itself through its WSGI handler, as a client would see it.
Each operation is one test, in one transaction of its own, against alice's account holding
a session and a pain entry; about half the generated ids are swapped for those rows' ids (and
half the generated time zones for a real one), so that reads, updates and deletes succeed as
well as miss, and a success's body is checked against the schema too.
"""

import zoneinfo

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tracker.models import PainEntry, Session

# With the coverage phase's boundary cases on top, about 2,500 requests: under 30 s.
MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# The id a fuzzed path may be pointed at, per collection; set for each test by the `token` fixture.
OWN_ROWS: dict[str, int] = {}

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)

pytestmark = pytest.mark.django_db


@schema.hook
def map_case(context, case):
    path_id = case.path_parameters.get("id") if case.path_parameters else None
    if isinstance(path_id, int) and path_id % 2 == 0:
        collection = case.operation.path.split("/")[3]
        if collection in OWN_ROWS:
            case.path_parameters["id"] = OWN_ROWS[collection]
    zone = case.body.get("timezone") if isinstance(case.body, dict) else None
    if isinstance(zone, str) and len(zone) % 2 == 0 and zone not in zoneinfo.available_timezones():
        case.body["timezone"] = "Europe/Paris"
    return case


@pytest.fixture(autouse=True)
def connection_kept_open():
    """The test's transaction must outlive each request, as Django's own test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(alice):
    today = alice.local_today()
    session = Session.objects.create(user=alice, date=today, duration_minutes=10, pain_before=5, pain_after=3)
    pain = PainEntry.objects.create(user=alice, date=today, score=4, context="walking")
    OWN_ROWS.update({"sessions": session.pk, "pain-entries": pain.pk})
    yield Token.objects.create(user=alice).key
    OWN_ROWS.clear()


@schema.parametrize()
# The user and rows are made once per operation, not per example: what one example adds, the next sees.
@settings(max_examples=MAX_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_without_a_server_error_and_as_documented(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
