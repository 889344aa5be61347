import os

from celery import Celery

# Like wsgi.py: a worker or beat started without a settings module gets the strict ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcare.settings.production")

app = Celery("backcare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
