import datetime
import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from routines.models import Muscle, Routine

from .celery import app as celery_app
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Beat asks for a heartbeat every minute; three missed ones mean no worker is taking tasks.
HEARTBEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def home(request):
    if request.user.is_authenticated:
        return redirect("tracker:dashboard")
    return render(
        request,
        "home.html",
        {"muscles": Muscle.objects.all(), "routines": Routine.objects.with_steps()},
    )


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def _check_worker():
    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    if beat is None:
        raise RuntimeError("no worker has run the heartbeat task yet")
    age = timezone.now() - beat.beat_at
    if age > HEARTBEAT_STALE_AFTER:
        raise RuntimeError(f"last heartbeat {int(age.total_seconds())} s ago")
    return f"last heartbeat {int(age.total_seconds())} s ago"


@never_cache
def healthz(request):
    """Report the database, the broker and the workers: 200 when database and broker answer."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker), ("worker", _check_worker)):
        try:
            detail = check()
            checks[name] = {"ok": True, "detail": detail or "ok"}
        except Exception as exc:  # a health check reports every failure, whatever its kind
            # The error text can name hosts and users: logged, and shown only with DEBUG on.
            logger.warning("health check %s failed: %s: %s", name, type(exc).__name__, exc)
            checks[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}" if settings.DEBUG else "failing"}
    # A stale worker is reported, but does not take the web server out of rotation.
    healthy = checks["database"]["ok"] and checks["broker"]["ok"]
    status = 200 if healthy else 503
    return JsonResponse({"ok": healthy, "checks": checks}, status=status)
