"""A log sent again with the same client_id (an offline queue's resend) is stored once (PRODUCT.md §4.4)."""

import contextlib
import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from tracker.logs import pain_entry_log_once, session_log_once
from tracker.models import PainEntry, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_logs_now", "routine")]

TODAY = "2026-06-15"
CLIENT_ID = "5b0d6a4e-2f1c-4a8e-9b3d-7c6e5f4a3b21"

LOGS = {
    "session": (
        Session,
        "session-list",
        {"routine": "test-hip-release", "date": TODAY, "duration_minutes": 15, "pain_before": 6, "pain_after": 3},
        {"duration_minutes": 40},
    ),
    "pain-entry": (
        PainEntry,
        "pain-entry-list",
        {"date": TODAY, "score": 6, "context": "standing"},
        {"score": 2, "context": "walking"},
    ),
}


@pytest.fixture(params=list(LOGS))
def log(request):
    model, url_name, payload, other_body = LOGS[request.param]
    return model, reverse(url_name), payload, other_body


def test_the_same_client_id_twice_answers_200_with_the_first_row(alice_api, alice, log):
    model, url, payload, _ = log
    first = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    again = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data == first.data
    assert model.objects.filter(user=alice).count() == 1


def test_a_resend_with_another_body_stores_nothing_new(alice_api, alice, log):
    model, url, payload, other_body = log
    first = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    again = alice_api.post(url, {**payload, **other_body, "client_id": CLIENT_ID})
    assert again.status_code == 200
    assert again.data == first.data
    assert model.objects.filter(user=alice).count() == 1


def test_the_client_id_shows_in_the_output(alice_api, log):
    _, url, payload, _ = log
    created = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    assert created.data["client_id"] == CLIENT_ID
    assert alice_api.get(f"{url}{created.data['id']}/").data["client_id"] == CLIENT_ID


def test_another_users_same_client_id_stores_their_own_row(alice_api, bob_api, alice, bob, log):
    model, url, payload, _ = log
    alices = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    bobs = bob_api.post(url, {**payload, "client_id": CLIENT_ID})
    assert bobs.status_code == 201
    assert bobs.data["id"] != alices.data["id"]
    assert model.objects.get(pk=bobs.data["id"]).user == bob


@pytest.mark.parametrize("bad", ["not-a-uuid", "5b0d6a4e-2f1c-4a8e-9b3d", 12, ["x"]])
def test_a_bad_uuid_answers_400_and_stores_nothing(alice_api, alice, log, bad):
    model, url, payload, _ = log
    response = alice_api.post(url, {**payload, "client_id": bad})
    assert response.status_code == 400
    assert "client_id" in response.data
    assert not model.objects.filter(user=alice).exists()


def test_without_a_client_id_every_post_stores_a_row(alice_api, alice):
    payload = LOGS["session"][2]
    assert alice_api.post(reverse("session-list"), payload).status_code == 201
    assert alice_api.post(reverse("session-list"), payload).status_code == 201
    assert Session.objects.filter(user=alice).count() == 2


def test_a_change_keeps_the_client_id_it_was_made_with(alice_api, log):
    _, url, payload, _ = log
    created = alice_api.post(url, {**payload, "client_id": CLIENT_ID})
    changed = alice_api.patch(f"{url}{created.data['id']}/", {"client_id": str(uuid.uuid4()), "notes": "later"})
    assert changed.status_code == 200, changed.data
    assert changed.data["client_id"] == CLIENT_ID


# --- The race: two resends at once -------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "log_once, fields",
    [
        (session_log_once, {"date": "2026-06-15", "duration_minutes": 10}),
        (pain_entry_log_once, {"date": "2026-06-15", "score": 4, "context": "rest"}),
    ],
)
def test_two_resends_at_once_store_one_row(alice, log_once, fields):
    """Both requests pass the first look before either saves; the constraint makes the loser answer the first row."""
    fields = {**fields, "date": datetime.date.fromisoformat(fields["date"])}
    barrier = threading.Barrier(2)
    results, errors = [], []
    model = Session if log_once is session_log_once else PainEntry
    original_first = type(model.objects.none()).first

    def first_after_both_looked(queryset):
        row = original_first(queryset)
        if "client_id" in str(queryset.query) and row is None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
        return row

    def send():
        try:
            results.append(log_once(user=alice, client_id=CLIENT_ID, **fields))
        except Exception as exc:  # the test reports any failure of either thread
            errors.append(exc)
        finally:
            connection.close()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(model.objects.none()), "first", first_after_both_looked)
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert model.objects.filter(user=alice).count() == 1
