"""Benchmark: what every page weighs over the wire, and how much of it the pictures add.

    .venv/bin/python bench/page_weight.py

In its own throwaway database, with the seeded catalog and a user who has logged sessions and
pain entries that say where it hurts, it opens each page through the whole Django stack, then
every stylesheet, script and image the page names on this site (lazy images included, as if
the visitor scrolled to the end), and prints, per page, the bytes sent gzip-compressed (what a
compressing server or proxy sends; raw bytes beside) and the part of them that the pictures
bring: the inline body maps, routines/figures.css and pictures.css, pain_map.js and the figure
files. The budget of issue 12 is 60 KB over the wire per page.
"""

import datetime
import gzip
import re

from _common import setup_django, throwaway_database

ASSET = re.compile(r"""<(?:link[^>]+href|script[^>]+src|img[^>]+src|source[^>]+srcset)="(/[^"]+)\"""")
BODY_MAP = re.compile(r'<svg[^>]*class="body-map.*?</svg>', re.S)
PICTURES = ("routines/figures", "routines/figures.css", "routines/pictures.css", "tracker/pain_map.js")


def wire(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def fetch(client, url: str, method: str = "get", data=None) -> bytes:
    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def pages(routine, exercise, muscle):
    return [
        ("home", "/", None),
        ("catalog", "/routines/", None),
        ("muscle", muscle.get_absolute_url(), None),
        ("exercise", f"/routines/exercises/{exercise.slug}/", None),
        ("routine", routine.get_absolute_url(), None),
        ("self-check", "/routines/self-check/", None),
        ("self-check result", "/routines/self-check/", {"pelvis": "unsure", "causes": ["inactivity"]}),
        ("dashboard", "/dashboard/", None),
        ("pain check-in", "/pain/new/", None),
        ("history", "/history/", None),
        ("progress", "/progress/", None),
        ("player", f"/routines/{routine.slug}/play/", None),
    ]


def main():
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    setup_test_environment(debug=False)
    try:
        with throwaway_database("page-weight"):
            from routines.models import Exercise, Muscle, Routine
            from tracker.models import PainEntry, Session

            user = get_user_model().objects.create_user("walker", timezone="UTC", screened=True)
            routine = max(Routine.objects.with_steps(), key=lambda r: len(r.steps.all()))
            today = datetime.date.today()
            for days in range(20):
                day = today - datetime.timedelta(days=days)
                Session.objects.create(
                    user=user, routine=routine, date=day, duration_minutes=20, pain_before=6, pain_after=3
                )
                PainEntry.objects.create(
                    user=user, date=day, score=5, context="walking", side="left", areas=["outer-hip", "buttock"]
                )
            visitor, client = Client(), Client()
            client.force_login(user)
            player = reverse("tracker:player", args=[routine.slug])
            rows = []
            for name, url, data in pages(routine, Exercise.objects.first(), Muscle.objects.first()):
                url = player if name == "player" else url
                who = client if name in ("dashboard", "pain check-in", "history", "progress", "player") else visitor
                html = fetch(who, url, "post" if data else "get", data)
                assets = sorted(set(ASSET.findall(html.decode())))
                bodies = {asset: fetch(client, asset.split("?")[0]) for asset in assets}
                total_raw = len(html) + sum(len(body) for body in bodies.values())
                total_wire = wire(html) + sum(wire(body) for body in bodies.values())
                maps = "".join(BODY_MAP.findall(html.decode())).encode()
                pictures = [b for a, b in bodies.items() if any(p in a for p in PICTURES)]
                ours = wire(maps) + sum(wire(body) for body in pictures)
                ours_raw = len(maps) + sum(len(body) for body in pictures)
                rows.append((name, url, len(assets), total_raw, total_wire, ours, ours_raw))
            print(
                f"{'page':18s} {'assets':>6s} {'raw KB':>8s} {'wire KB':>8s}"
                f" {'pictures, wire KB':>18s} {'pictures, raw KB':>17s}"
            )
            for name, _url, count, raw, wired, ours, ours_raw in rows:
                print(
                    f"{name:18s} {count:6d} {raw / 1024:8.1f} {wired / 1024:8.1f}"
                    f" {ours / 1024:18.1f} {ours_raw / 1024:17.1f}"
                )
            largest = max(rows, key=lambda row: row[5])
            print(f"largest share of pictures: {largest[0]} ({largest[5] / 1024:.1f} KB over the wire)")
    finally:
        teardown_test_environment()


if __name__ == "__main__":
    main()
