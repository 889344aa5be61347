import time

from django.core.management.base import BaseCommand, CommandError

from backcare.celery import app


class Command(BaseCommand):
    help = "Declare Celery's queues on the broker once, before a worker and beat start."

    # On kombu's SQLAlchemy transport, a worker and beat starting together on a fresh
    # broker file race to create the queue's row and the loser's channel stays broken.
    # Declaring the queues here first removes the race; on Redis it is harmless.

    def add_arguments(self, parser):
        parser.add_argument("--attempts", type=int, default=5)

    def handle(self, *args, attempts, **options):
        for attempt in range(1, attempts + 1):
            try:
                with app.connection_for_write() as conn:
                    conn.ensure_connection(max_retries=1)
                    channel = conn.default_channel
                    for queue in app.amqp.queues.values():
                        queue(channel).declare()
                self.stdout.write(f"Broker ready: {app.conf.broker_url.split('://')[0]}")
                return
            except Exception as exc:  # any failure is retried, then reported
                if attempt == attempts:
                    raise CommandError(f"the broker did not answer: {exc}") from exc
                time.sleep(attempt)
