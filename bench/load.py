"""Load drill: gunicorn on PostgreSQL, concurrent clients logging sessions through the API
while others read progress; then the same clients on a trivial endpoint, in the same run.

    .venv/bin/python bench/load.py [--sessions 10000] [--writers 50] [--readers 5]

Loopback only. It creates its own database (DATABASE_URL's server, database ``backcare_load``),
starts gunicorn on 127.0.0.1, and stops everything by itself within --timeout seconds.
Afterwards it checks that exactly --sessions rows exist and that no request answered 5xx.
"""

import argparse
import datetime
import http.client
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def database_urls(base_url, name):
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def recreate_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Client:
    """One keep-alive HTTP connection with a token; reopens when the server closes it."""

    def __init__(self, port, token):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def request(self, method, path, body=None):
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=self.headers)
            response = self.conn.getresponse()
            response.read()
            status = response.status
        except (http.client.HTTPException, OSError):
            self.conn.close()
            status = 599  # no answer at all counts as a server failure
        return status, time.perf_counter() - started


def run_phase(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def summarise(name, samples, elapsed):
    latencies = [latency for _status, latency in samples]
    errors = sum(1 for status, _ in samples if status >= 500)
    return {
        "name": name,
        "requests": len(samples),
        "throughput": len(samples) / elapsed if elapsed else float("nan"),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "5xx": errors,
        "statuses": sorted({status for status, _ in samples}),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--readers", type=int, default=5)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=int, default=900, help="hard limit for the whole drill, seconds")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/backcare")
    )
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/load.py runs on PostgreSQL: set DATABASE_URL or --database-url to a postgres:// URL")
    db_name = "backcare_load"
    db_url, admin_url = database_urls(args.database_url, db_name)
    var_dir = tempfile.mkdtemp(prefix="backcare-load-")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "backcare.settings.local",
        "DEBUG": "false",
        "BACKCARE_VAR_DIR": var_dir,
        "API_THROTTLE_USER": "1000000/min",
        "API_THROTTLE_ANON": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)

    print(f"database {db_name}, gunicorn {args.web_workers} workers x {args.web_threads} threads on port {args.port}")
    recreate_database(admin_url, db_name)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "BACKCARE_VAR_DIR")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from tracker.models import Session

    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"load{i}", timezone="Europe/Paris") for i in range(args.writers + args.readers)]
    )
    tokens = [Token.objects.create(user=user).key for user in users]
    writer_tokens, reader_tokens = tokens[: args.writers], tokens[args.writers :]

    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "backcare.wsgi",
            "--bind", f"127.0.0.1:{args.port}",
            "--workers", str(args.web_workers),
            "--worker-class", "gthread",
            "--threads", str(args.web_threads),
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        probe = Client(args.port, tokens[0])
        while probe.request("GET", "/api/v1/muscles/psoas/")[0] != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not come up")
            time.sleep(0.2)

        # Phase 1: writers log the sessions while readers read progress.
        per_writer = [args.sessions // args.writers + (i < args.sessions % args.writers) for i in range(args.writers)]
        today = datetime.date.today()
        writes, reads = queue.SimpleQueue(), queue.SimpleQueue()
        writers_done = threading.Event()

        def writer(token, count):
            client = Client(args.port, token)
            for n in range(count):
                if time.monotonic() > deadline:
                    return
                body = {
                    "date": (today - datetime.timedelta(days=1 + n % 700)).isoformat(),
                    "duration_minutes": 5 + n % 30,
                    "pain_before": 6,
                    "pain_after": 4,
                }
                writes.put(client.request("POST", "/api/v1/sessions/", body))

        def reader(token):
            client = Client(args.port, token)
            while not writers_done.is_set() and time.monotonic() < deadline:
                reads.put(client.request("GET", "/api/v1/progress/"))

        reader_threads = [threading.Thread(target=reader, args=(t,)) for t in reader_tokens]
        writer_threads = [
            threading.Thread(target=writer, args=(t, c)) for t, c in zip(writer_tokens, per_writer, strict=True)
        ]
        started = time.perf_counter()
        for thread in reader_threads:
            thread.start()
        run_phase(writer_threads)
        writers_done.set()
        for thread in reader_threads:
            thread.join()
        mixed_elapsed = time.perf_counter() - started

        # Phase 2: the same clients on a trivial one-row endpoint, as many requests.
        trivial = queue.SimpleQueue()

        def trivial_client(token, count):
            client = Client(args.port, token)
            for _ in range(count):
                if time.monotonic() > deadline:
                    return
                trivial.put(client.request("GET", "/api/v1/muscles/psoas/"))

        started = time.perf_counter()
        run_phase(
            [
                threading.Thread(target=trivial_client, args=(t, c))
                for t, c in zip(writer_tokens, per_writer, strict=True)
            ]
        )
        trivial_elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    def drain(q):
        items = []
        while not q.empty():
            items.append(q.get())
        return items

    rows = [
        summarise("POST /api/v1/sessions/ (with readers)", drain(writes), mixed_elapsed),
        summarise("GET /api/v1/progress/ (during writes)", drain(reads), mixed_elapsed),
        summarise("GET /api/v1/muscles/psoas/ (trivial)", drain(trivial), trivial_elapsed),
    ]
    stored = Session.objects.count()
    print(f"\n{'endpoint':42} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'5xx':>5}  statuses")
    for row in rows:
        print(
            f"{row['name']:42} {row['requests']:>9} {row['throughput']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['5xx']:>5}  {row['statuses']}"
        )
    write_rate, trivial_rate = rows[0]["throughput"], rows[2]["throughput"]
    print(f"\nsession rows stored: {stored} (expected {args.sessions})")
    print(f"write throughput / trivial throughput: {write_rate / trivial_rate:.2f}")
    print(f"p50 ratio write / trivial: {rows[0]['p50_ms'] / rows[2]['p50_ms']:.2f}")

    from django.db import connections

    connections.close_all()
    drop_database(admin_url, db_name)
    failures = sum(row["5xx"] for row in rows)
    ok = stored == args.sessions and failures == 0
    print("RESULT:", "ok" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
