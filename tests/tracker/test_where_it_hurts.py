"""Where it hurts (PRODUCT.md §4.2): side and areas on pain entries, through the form, the API,
the export, the history, and pain.by_area in the progress summary."""

import datetime
import json

import pytest
from django.urls import reverse

from tracker import progress
from tracker.models import PainEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]

TODAY = "2026-06-15"


def payload(**overrides):
    return {"date": TODAY, "score": 6, "context": "walking", **overrides}


def entry(user, day, context, score, *, side="", areas=()):
    return PainEntry.objects.create(
        user=user, date=datetime.date(2026, 6, day), score=score, context=context, side=side, areas=list(areas)
    )


def test_the_api_stores_side_and_areas_in_the_body_maps_order(alice_api, alice):
    response = alice_api.post(
        reverse("pain-entry-list"), payload(side="left", areas=["outer-hip", "lower-back"]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["areas"] == ["lower-back", "outer-hip"]
    assert PainEntry.objects.get(user=alice).side == "left"


@pytest.mark.parametrize(
    "bad",
    [
        {"areas": ["kneecap"]},
        {"areas": "outer-hip"},
        {"side": "up"},
        {"side": "none"},
    ],
)
def test_the_api_answers_400_on_a_bad_area_or_side_and_stores_nothing(alice_api, bad):
    response = alice_api.post(reverse("pain-entry-list"), payload(**bad), format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(bad)
    assert not PainEntry.objects.exists()


def test_a_patch_with_an_unknown_area_changes_nothing(alice_api, alice):
    stored = entry(alice, 14, "rest", 3, side="right", areas=["buttock"])
    response = alice_api.patch(reverse("pain-entry-detail", args=[stored.pk]), {"areas": ["elbow"]}, format="json")
    assert response.status_code == 400
    stored.refresh_from_db()
    assert stored.areas == ["buttock"]


def test_the_form_stores_the_ticked_areas_and_side(alice_client, alice):
    response = alice_client.post(
        reverse("tracker:pain-new"), {**payload(), "areas": ["outer-hip", "buttock"], "side": "left"}
    )
    assert response.status_code == 302
    stored = PainEntry.objects.get(user=alice)
    assert (stored.side, stored.areas) == ("left", ["buttock", "outer-hip"])


def test_the_form_refuses_an_unknown_area_and_stores_nothing(alice_client):
    response = alice_client.post(reverse("tracker:pain-new"), {**payload(), "areas": ["kneecap"]})
    assert response.status_code == 200
    assert "Choose areas from the list." in response.content.decode()
    assert not PainEntry.objects.exists()


def test_the_history_names_where_it_hurt(alice_client, alice):
    entry(alice, 14, "walking", 5, side="left", areas=["outer-hip", "groin"])
    content = alice_client.get(reverse("tracker:history")).content.decode()
    assert "Left: outer hip, groin" in content


def test_the_export_carries_side_and_areas(alice_client, alice):
    entry(alice, 14, "walking", 5, side="both", areas=["buttock", "back-of-thigh"])
    rows = json.loads(b"".join(alice_client.get(reverse("api-export"), {"format": "json"}).streaming_content))
    pain = [row for row in rows if row["type"] == "pain"]
    assert (pain[0]["side"], pain[0]["areas"]) == ("both", ["buttock", "back-of-thigh"])
    csv_text = b"".join(alice_client.get(reverse("api-export"), {"format": "csv"}).streaming_content).decode()
    assert "buttock;back-of-thigh" in csv_text


def test_by_area_counts_each_area_and_side_with_its_mean_score(alice, bob):
    entry(alice, 10, "walking", 6, side="left", areas=["outer-hip", "buttock"])
    entry(alice, 11, "walking", 4, side="left", areas=["outer-hip"])
    entry(alice, 11, "rest", 3, side="right", areas=["outer-hip"])
    entry(alice, 12, "rest", 9)  # no area: not counted
    entry(alice, 1, "rest", 9, side="left", areas=["outer-hip"])  # before the range
    entry(bob, 11, "rest", 10, side="left", areas=["outer-hip"])
    rows = progress.pain_by_area(alice, start=datetime.date(2026, 6, 5), end=datetime.date(2026, 6, 15))
    assert rows == [
        {"area": "buttock", "side": "left", "entries": 1, "average": 6.0},
        {"area": "outer-hip", "side": "left", "entries": 2, "average": 5.0},
        {"area": "outer-hip", "side": "right", "entries": 1, "average": 3.0},
    ]


def test_the_progress_api_and_page_show_pain_by_area(alice_api, alice_client, alice):
    entry(alice, 14, "walking", 7, side="left", areas=["outer-hip"])
    body = alice_api.get(reverse("api-progress")).json()
    assert body["pain"]["by_area"] == [{"area": "outer-hip", "side": "left", "entries": 1, "average": 7.0}]
    content = alice_client.get(reverse("tracker:progress")).content.decode()
    assert 'data-area="outer-hip" data-side="left"' in content


def test_the_log_function_refuses_an_unknown_area_whoever_calls_it(alice):
    from django.core.exceptions import ValidationError

    from tracker.logs import pain_entry_log

    with pytest.raises(ValidationError) as refused:
        pain_entry_log(user=alice, date=datetime.date(2026, 6, 14), score=3, context="rest", areas=["outer-hip", "ear"])
    assert "areas" in refused.value.message_dict
    assert not PainEntry.objects.exists()


def test_the_database_refuses_an_unknown_side(alice):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        entry(alice, 14, "rest", 3, side="up")
