"""Every field an API answer carries is in the schema: a generated client reads only what is documented.

Each GET operation is called for a person with one row of everything, and the keys of its answer
(nested objects and list items too) are compared with the properties its schema documents.
"""

import datetime

import pytest
from django.apps import apps

from routines.seed import load_catalog
from tracker.models import DayMark, Outcome, PainEntry, ReportLink, Session

pytestmark = pytest.mark.django_db

PSFS = [{"activity": f"activity {n}", "score": n} for n in (3, 4, 5)]


@pytest.fixture
def everything(alice):
    load_catalog(apps)
    today = alice.local_today()
    rows = {
        "sessions": Session.objects.create(
            user=alice, date=today, duration_minutes=10, pain_before=5, pain_after=3, routine_id=None
        ),
        "pain-entries": PainEntry.objects.create(
            user=alice, date=today, score=8, context="walking", side="left", areas=["outer-hip"]
        ),
        "outcomes": Outcome.objects.create(user=alice, date=today, walking_minutes=10, standing_minutes=5, psfs=PSFS),
        "day-marks": DayMark.objects.create(user=alice, date=today - datetime.timedelta(days=1), kind="rest"),
    }
    Outcome.objects.create(
        user=alice, date=today - datetime.timedelta(days=14), walking_minutes=5, standing_minutes=5, psfs=PSFS
    )
    return rows


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    for combined in ("allOf", "oneOf", "anyOf"):
        for option in node.get(combined, []):
            option = _resolve(schema, option)
            if option.get("type") != "null" and (option.get("properties") or option.get("items")):
                return option
    return node


def undocumented(schema, node, value, where=""):
    """Paths of the keys in ``value`` that ``node`` (a schema) does not document."""
    node = _resolve(schema, node)
    if isinstance(value, dict) and "properties" in node:
        missing = [f"{where}.{key}" for key in value if key not in node["properties"]]
        for key, inner in value.items():
            if key in node["properties"]:
                missing += undocumented(schema, node["properties"][key], inner, f"{where}.{key}")
        return missing
    if isinstance(value, list) and "items" in node:
        return [path for item in value[:3] for path in undocumented(schema, node["items"], item, f"{where}[]")]
    return []


def test_every_field_an_answer_carries_is_documented(alice_api, everything):
    schema = alice_api.get("/api/schema/?format=json").json()
    ids = {name: row.pk for name, row in everything.items()}
    ids["report-links"] = ReportLink.objects.create(
        user=everything["sessions"].user, key="k" * 32, weeks=4, expires_at="2999-01-01T00:00:00Z"
    ).pk
    slugs = {"muscles": "piriformis", "exercises": "clamshell", "routines": "ql-release", "programs": None}
    called, missing = [], []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if not operation or not path.startswith("/api/v1/") or "export" in path:
            continue
        collection = path.split("/")[3]
        url = path.replace("{id}", str(ids.get(collection, 0))).replace("{slug}", str(slugs.get(collection)))
        if "{" in url:
            continue
        answer = alice_api.get(url)
        if answer.status_code != 200:
            continue
        body = answer.json()
        documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
        called.append(url)
        missing += [f"GET {path}: {field}" for field in undocumented(schema, documented, body)]

    assert len(called) >= 15, called
    assert missing == []
