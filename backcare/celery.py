import os
import sqlite3

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django import db
from kombu.transport import sqlalchemy as sqlalchemy_transport
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Like wsgi.py: a worker or beat started without a settings module gets the strict ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings.production")

app = Celery("backcare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The embedded broker, kombu's SQLAlchemy transport on a SQLite file, is polled: by default
# once a second, and also whenever every pool process is busy, which held a worker to about
# two tasks a second. kombu reads ``polling_interval`` from the transport options, but this
# transport hands every option on to SQLAlchemy's create_engine, which refuses it; so the
# transport's own default is set here. An idle poll is one indexed SELECT.
sqlalchemy_transport.Transport.polling_interval = 0.05


@event.listens_for(Engine, "connect")
def sqlite_broker_in_wal_mode(dbapi_connection, connection_record):
    """The embedded broker's file opened as the app's own SQLite database is: WAL, synchronous NORMAL.

    SQLAlchemy serves only that transport here. In SQLite's default rollback journal each
    publish and each fetch was a commit with several fsyncs: about 215 publishes a second,
    a worker held to 215 tasks a second however little each did, and to 96 while tasks were
    being published. NORMAL can lose the last commits on a power cut, not on a crash; a
    reminder whose message is lost that way is queued again by the dispatcher.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(task=None, **kwargs):
    """Before and after each task, what Django does around each request.

    A connection is closed only when it is broken or older than CONN_MAX_AGE, and checked
    (CONN_HEALTH_CHECKS) before its first use in the next task. Celery's own handling
    closes every connection each time: a new PostgreSQL connection per reminder, which
    was a third of the worker's time. An eager task (tests) runs inside the caller's
    transaction, so it is left alone, as Celery leaves it.
    """
    if task is not None and not task.request.is_eager:
        db.close_old_connections()
