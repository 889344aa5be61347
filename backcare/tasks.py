from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task
def heartbeat(name="worker"):
    """Prove that a worker took a task off the broker and reached the database."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
