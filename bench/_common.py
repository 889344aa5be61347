"""What the benches share: Django on the test settings, and a throwaway database of their own.

    from _common import ROOT, setup_django, throwaway_database   # a script under bench/

    setup_django()
    with throwaway_database("reminders"):
        ...   # the default connection now points at a fresh, migrated database

SQLite by default (a file under var/), the server of DATABASE_URL when it is set; the
name carries the process id, so that two runs, or a test run, never clobber each other.
"""

import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings.test")
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_database(label: str):
    """Create and migrate a database the way Django's test runner does; drop it at the end. Yields its name."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(Path(settings.VAR_DIR) / f"bench-{label}-{os.getpid()}.sqlite3")
    else:
        name = f"bench_{label.replace('-', '_')}_{os.getpid()}"
    db["TEST"] = {**db.get("TEST", {}), "NAME": name}
    original_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        if connection.vendor == "sqlite":
            # A process killed while it had the file open leaves its WAL files behind.
            for suffix in ("-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
