import datetime

import pytest
from django.urls import reverse

from tracker.models import PainEntry

from .logs_helpers import make_pain_entries

TODAY = "2026-06-15"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now")]


@pytest.fixture
def alice_entry(alice):
    return PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 14), score=4, context="walking")


def valid_payload(**overrides):
    return {"date": TODAY, "score": 6, "context": "standing", "notes": "After the queue at the bakery.", **overrides}


def list_url():
    return reverse("pain-entry-list")


def detail_url(entry):
    return reverse("pain-entry-detail", args=[entry.pk])


@pytest.mark.parametrize("method", ["get", "post"])
def test_list_and_create_answer_401_without_credentials(api, method):
    assert getattr(api, method)(list_url(), valid_payload() if method == "post" else None).status_code == 401


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_detail_answers_401_without_credentials(api, alice_entry, method):
    assert getattr(api, method)(detail_url(alice_entry), valid_payload()).status_code == 401
    assert PainEntry.objects.filter(pk=alice_entry.pk, score=4).exists()


def test_alice_checks_in_her_pain(alice_api, alice):
    response = alice_api.post(list_url(), valid_payload())
    assert response.status_code == 201, response.data
    entry = PainEntry.objects.get(user=alice)
    assert response.data == {
        "id": entry.pk,
        "date": TODAY,
        "score": 6,
        "context": "standing",
        "side": "",
        "areas": [],
        "notes": "After the queue at the bakery.",
        "factors": [],
        "client_id": None,
    }


def test_factors_are_stored_in_the_catalogs_order(alice_api, alice):
    response = alice_api.post(list_url(), valid_payload(factors=["stress", "long-standing"]))

    assert response.status_code == 201, response.data
    assert PainEntry.objects.get(user=alice).factors == ["long-standing", "stress"]


def test_an_unknown_factor_answers_400_and_stores_nothing(alice_api, alice):
    response = alice_api.post(list_url(), valid_payload(factors=["gardening"]), format="json")

    assert response.status_code == 400
    assert "factors" in response.data
    assert not PainEntry.objects.filter(user=alice).exists()


def test_several_contexts_on_one_date_are_allowed(alice_api, alice):
    assert alice_api.post(list_url(), valid_payload(context="walking")).status_code == 201
    assert alice_api.post(list_url(), valid_payload(context="sitting")).status_code == 201
    assert PainEntry.objects.filter(user=alice).count() == 2


def test_bob_may_use_the_same_date_and_context_as_alice(bob_api, bob, alice_entry):
    response = bob_api.post(list_url(), valid_payload(date="2026-06-14", context="walking"))
    assert response.status_code == 201
    assert PainEntry.objects.get(user=bob).score == 6
    alice_entry.refresh_from_db()
    assert alice_entry.score == 4


def test_alice_reads_updates_and_deletes_her_entry(alice_api, alice_entry):
    assert alice_api.get(detail_url(alice_entry)).data["score"] == 4
    assert alice_api.patch(detail_url(alice_entry), {"score": 2}).data["score"] == 2
    put = alice_api.put(detail_url(alice_entry), valid_payload(date="2026-06-14", context="night"))
    assert put.status_code == 200, put.data
    alice_entry.refresh_from_db()
    assert (alice_entry.context, alice_entry.score) == ("night", 6)
    assert alice_api.delete(detail_url(alice_entry)).status_code == 204
    assert not PainEntry.objects.filter(pk=alice_entry.pk).exists()


def test_an_entry_keeps_its_own_date_and_context_when_changed(alice_api, alice_entry):
    response = alice_api.put(detail_url(alice_entry), {"date": "2026-06-14", "context": "walking", "score": 1})
    assert response.status_code == 200, response.data
    alice_entry.refresh_from_db()
    assert (alice_entry.date, alice_entry.context, alice_entry.score) == (datetime.date(2026, 6, 14), "walking", 1)
    assert PainEntry.objects.filter(user=alice_entry.user).count() == 1


def test_the_list_filters_by_range_and_context(alice_api, alice):
    make_pain_entries(alice, 18, start=datetime.date(2026, 6, 1))
    in_range = alice_api.get(list_url(), {"start": "2026-06-02", "end": "2026-06-02"})
    assert in_range.data["count"] == 6
    by_context = alice_api.get(list_url(), {"context": "night"})
    assert [row["date"] for row in by_context.data["results"]] == ["2026-06-03", "2026-06-02", "2026-06-01"]


def test_an_unknown_context_filter_answers_400(alice_api):
    assert alice_api.get(list_url(), {"context": "dancing"}).status_code == 400


def test_bob_does_not_see_alices_entries(bob_api, alice_entry):
    assert bob_api.get(list_url()).data["count"] == 0


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_bob_gets_404_for_alices_entry(bob_api, alice_entry, method):
    assert getattr(bob_api, method)(detail_url(alice_entry), valid_payload(score=9)).status_code == 404
    alice_entry.refresh_from_db()
    assert alice_entry.score == 4


INVALID = [
    ("score", 11),
    ("score", -1),
    ("score", None),
    ("date", "2026-06-16"),
    ("date", "1899-12-31"),
    ("context", "dancing"),
    ("notes", "x" * 2001),
]


@pytest.mark.parametrize(("field", "value"), INVALID)
def test_an_invalid_field_answers_400_and_stores_nothing(alice_api, field, value):
    response = alice_api.post(list_url(), valid_payload(**{field: value}))
    assert response.status_code == 400
    assert list(response.data) == [field]
    assert PainEntry.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), INVALID)
def test_an_invalid_change_answers_400_and_changes_nothing(alice_api, alice_entry, field, value):
    response = alice_api.patch(detail_url(alice_entry), {field: value})
    assert response.status_code == 400
    assert field in response.data
    alice_entry.refresh_from_db()
    assert (alice_entry.date, alice_entry.score, alice_entry.context) == (datetime.date(2026, 6, 14), 4, "walking")


def test_a_second_entry_for_the_same_date_and_context_answers_400_on_the_field(alice_api, alice_entry):
    response = alice_api.post(list_url(), valid_payload(date="2026-06-14", context="walking"))
    assert response.status_code == 400
    assert "edit it instead" in str(response.data["context"][0])
    assert PainEntry.objects.count() == 1


def test_moving_an_entry_onto_another_answers_400(alice_api, alice, alice_entry):
    other = PainEntry.objects.create(user=alice, date=datetime.date(2026, 6, 14), score=2, context="night")
    response = alice_api.patch(detail_url(other), {"context": "walking"})
    assert response.status_code == 400
    assert "context" in response.data
    other.refresh_from_db()
    assert other.context == "night"


@pytest.mark.parametrize("rows", [5, 500])
def test_the_list_costs_the_same_queries_for_5_and_500_rows(alice_api, alice, rows, django_assert_num_queries):
    make_pain_entries(alice, rows)
    with django_assert_num_queries(2):
        response = alice_api.get(list_url(), {"page_size": 1000})
    assert len(response.data["results"]) == rows
