"""Benchmark: the progress summary over 3 years of daily history, against a one-row endpoint.

    .venv/bin/python bench/progress.py [--rounds 200] [--others 1000] [--rows-per-other 100]

It builds its own throwaway database (SQLite by default, PostgreSQL when DATABASE_URL is
set), fills it with one user who logged a session and two pain entries every day for
three years, among --others users with --rows-per-other sessions and pain entries each,
every ninth day marked (rest, flare, away) and outcomes every two weeks, then times,
interleaved in the same run and with the same token, through the whole Django stack
(middleware, URL resolver, DRF authentication):

    GET /api/v1/progress/?start=<3 years ago>    the figure under test
    GET /api/v1/muscles/psoas/                   a one-row catalog endpoint, the yardstick

and prints both medians, both 95th percentiles, their ratio (target: median ratio ≤ 3)
and how many SQL queries each request runs. The daily series and the insights are timed too,
for reference; last, the clinician report of the last 52 weeks (figures and PDF, and its page).
"""

import argparse
import datetime
import random
import statistics
import time

from _common import setup_django, throwaway_database

YEARS = 3
CONTEXTS = ["walking", "standing"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def populate(*, others, rows_per_other, today):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from routines.models import Routine
    from tracker.models import DayMark, Outcome, PainEntry, ReminderSchedule, Session

    User = get_user_model()
    rng = random.Random(4)
    routines = list(Routine.objects.values_list("pk", flat=True)) or [None]
    first = today - datetime.timedelta(days=365 * YEARS)
    span = (today - first).days + 1

    User.objects.bulk_create(
        [User(username=f"other{n}", timezone="Europe/Paris", password="!") for n in range(others)], batch_size=1000
    )
    for batch_start in range(0, others, 100):
        people = list(User.objects.filter(username__startswith="other").order_by("pk")[batch_start : batch_start + 100])
        sessions, entries = [], []
        for person in people:
            for _ in range(rows_per_other):
                day = first + datetime.timedelta(days=rng.randrange(span))
                sessions.append(
                    Session(user=person, date=day, duration_minutes=rng.randint(5, 40), routine_id=rng.choice(routines))
                )
            for n in range(rows_per_other):
                entries.append(
                    PainEntry(
                        user=person,
                        date=first + datetime.timedelta(days=n * span // rows_per_other),
                        context="walking",
                        score=rng.randint(0, 10),
                    )
                )
        Session.objects.bulk_create(sessions, batch_size=2000)
        PainEntry.objects.bulk_create(entries, batch_size=2000)

    alice = User.objects.create_user(
        "alice", "alice@example.com", "correct horse battery staple", timezone="Europe/Paris"
    )
    ReminderSchedule.objects.create(user=alice, enabled=True, weekdays=ReminderSchedule.mask_for([0, 2, 4, 6]))
    days = [first + datetime.timedelta(days=n) for n in range(span)]
    # Every ninth day marked (rest, flare or away) and without a session; outcomes every two weeks.
    marked = {day for n, day in enumerate(days) if n % 9 == 8}
    DayMark.objects.bulk_create(
        [DayMark(user=alice, date=day, kind=rng.choice(["rest", "flare", "away"])) for day in sorted(marked)]
    )
    psfs = [{"activity": name, "score": rng.randint(0, 10)} for name in ("Garden", "Shop", "Cook")]
    Outcome.objects.bulk_create(
        [
            Outcome(
                user=alice, date=day, walking_minutes=rng.randint(5, 60), standing_minutes=rng.randint(5, 40), psfs=psfs
            )
            for day in days[::14]
        ]
    )
    factors = ["long-sitting", "poor-sleep", "stress", "active-day"]
    Session.objects.bulk_create(
        [
            Session(
                user=alice,
                date=day,
                duration_minutes=rng.randint(5, 30),
                routine_id=rng.choice(routines + [None]),
                pain_before=(before := rng.randint(2, 9)),
                pain_after=max(0, before - rng.randint(0, 4)),
            )
            for day in days
            if day not in marked
        ],
        batch_size=2000,
    )
    PainEntry.objects.bulk_create(
        [
            PainEntry(
                user=alice,
                date=day,
                context=c,
                score=rng.randint(0, 10),
                factors=rng.sample(factors, rng.randint(0, 2)),
            )
            for day in days
            for c in CONTEXTS
        ],
        batch_size=2000,
    )
    return alice, Token.objects.create(user=alice).key, first


def measure(*, rounds, token, start):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    targets = {
        "progress": f"/api/v1/progress/?start={start.isoformat()}",
        "muscle": "/api/v1/muscles/psoas/",
        "daily": f"/api/v1/progress/daily/?start={start.isoformat()}",
        "insights": f"/api/v1/insights/?start={start.isoformat()}",
    }

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response

    queries = {}
    for name, url in targets.items():
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries[name] = len(captured)
    figures = get(targets["progress"]).json()

    for _ in range(10):  # warm-up: imports, caches, connection
        for url in targets.values():
            get(url)

    timings = {name: [] for name in targets}
    order = list(targets)
    for round_number in range(rounds):
        # Alternate the order so neither endpoint always runs right after the other.
        for name in order if round_number % 2 else reversed(order):
            began = time.perf_counter()
            get(targets[name])
            timings[name].append(time.perf_counter() - began)
    return timings, queries, figures


def measure_report(*, rounds, user):
    """The clinician report of the last 52 weeks: the figures and the PDF, and the printable page."""
    from django.test import Client

    from tracker.report.figures import report_figures
    from tracker.report.pdf import render_pdf

    client = Client()
    client.force_login(user)
    timings = {"pdf": [], "page": []}
    size = 0
    for round_number in range(rounds + 2):
        began = time.perf_counter()
        size = len(render_pdf(report_figures(user, weeks=52)))
        pdf = time.perf_counter() - began
        began = time.perf_counter()
        assert client.get("/report/?weeks=52").status_code == 200
        page = time.perf_counter() - began
        if round_number >= 2:  # the first two warm up
            timings["pdf"].append(pdf)
            timings["page"].append(page)
    return timings, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="interleaved request rounds (default 200)")
    parser.add_argument("--others", type=int, default=1000, help="other users (default 1000)")
    parser.add_argument("--rows-per-other", type=int, default=100, help="sessions and pain entries of each")
    parser.add_argument("--report-rounds", type=int, default=20, help="clinician reports timed (default 20)")
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    vendor = connection.vendor
    with throwaway_database("progress"):
        began = time.perf_counter()
        from django.utils import timezone

        today = timezone.now().astimezone(datetime.UTC).date()
        alice, token, start = populate(others=args.others, rows_per_other=args.rows_per_other, today=today)
        print(
            f"database: {vendor}; alice: {alice.sessions.count()} sessions, {alice.pain_entries.count()} pain entries "
            f"since {start}; {args.others} other users with {args.rows_per_other} sessions and pain entries each "
            f"(built in {time.perf_counter() - began:.1f} s)"
        )
        timings, queries, figures = measure(rounds=args.rounds, token=token, start=start)
        report_timings, pdf_size = measure_report(rounds=args.report_rounds, user=alice)
    teardown_test_environment()

    print(
        f"progress over {figures['start']} – {figures['end']}: {figures['sessions']} sessions, "
        f"longest streak {figures['longest_streak']}, habit strength {figures['habit_strength']}, "
        f"marked days {figures['marked_days']}, walking {figures['outcomes']['walking_minutes']}"
    )
    print(f"{args.rounds} interleaved rounds")
    for name, label in (
        ("progress", "GET /api/v1/progress/?start=…   "),
        ("daily", "GET /api/v1/progress/daily/?start=…"),
        ("insights", "GET /api/v1/insights/?start=…   "),
        ("muscle", "GET /api/v1/muscles/psoas/       "),
    ):
        values = timings[name]
        print(
            f"  {label} median {statistics.median(values) * 1000:7.2f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:7.2f} ms   {queries[name]} queries"
        )
    ratio = statistics.median(timings["progress"]) / statistics.median(timings["muscle"])
    p95_ratio = percentile(timings["progress"], 0.95) / percentile(timings["muscle"], 0.95)
    print(f"median ratio progress / muscle: {ratio:.2f} (target ≤ 3)   p95 ratio: {p95_ratio:.2f}")
    print(f"clinician report, last 52 weeks of 3 years, {args.report_rounds} rounds:")
    for name, label in (("pdf", f"figures + one-page PDF ({pdf_size:,} bytes)"), ("page", "GET /report/?weeks=52")):
        median, p95 = statistics.median(report_timings[name]), percentile(report_timings[name], 0.95)
        print(f"  {label:44} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
