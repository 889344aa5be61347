"""Benchmark: the data export streams, so its memory stays flat however long the history.

    .venv/bin/python bench/export.py

In its own throwaway database (SQLite by default, PostgreSQL when DATABASE_URL is set) it
gives users 3, 10 and 20 years of daily sessions and two pain entries a day,
downloads GET /api/v1/export/?format=csv and ?format=json for each through the whole
Django stack, and prints the bytes sent and the peak Python memory allocated while the
response was produced and consumed (tracemalloc). Rows are read and written in batches of
2,000, so the peak is set by the batch, not by the length of the history.
"""

import datetime
import time
import tracemalloc

from _common import setup_django, throwaway_database


def fill(username, years, today):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from tracker.models import PainEntry, Session

    user = get_user_model().objects.create_user(username, timezone="UTC")
    days = [today - datetime.timedelta(days=n) for n in range(365 * years)]
    notes = "Walked to the station, stiff on the left side afterwards."
    Session.objects.bulk_create(
        [Session(user=user, date=d, duration_minutes=15, pain_before=5, pain_after=3, notes=notes) for d in days],
        batch_size=2000,
    )
    PainEntry.objects.bulk_create(
        [PainEntry(user=user, date=d, score=4, context=c) for d in days for c in ("walking", "standing")],
        batch_size=2000,
    )
    return Token.objects.create(user=user).key, len(days) * 3


def download(token, format):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    tracemalloc.start()
    began = time.perf_counter()
    response = client.get("/api/v1/export/", {"format": format})
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    return size, peak, elapsed


def main():
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    try:
        with throwaway_database("export"):
            today = datetime.date.today()
            warm_up, _ = fill("warm_up", 1, today)
            download(warm_up, "csv")
            download(warm_up, "json")
            for username, years in (("three_years", 3), ("ten_years", 10), ("twenty_years", 20)):
                token, rows = fill(username, years, today)
                for format in ("csv", "json"):
                    size, peak, elapsed = download(token, format)
                    print(
                        f"{connection.vendor}: {years:2d} year(s), {rows:6d} records, {format:4s}: "
                        f"{size / 1e6:6.2f} MB sent in {elapsed:5.2f} s, peak Python memory {peak / 1e6:5.2f} MB"
                    )
    finally:
        teardown_test_environment()


if __name__ == "__main__":
    main()
