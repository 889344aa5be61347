"""The embedded broker forgets the messages it handed out long ago: kombu's SQLAlchemy transport keeps them all."""

import datetime

from django.conf import settings
from kombu import Connection

from backcare.tasks import delete_consumed_messages

NOW = datetime.datetime.now()  # kombu stamps messages with local time


def test_messages_handed_out_long_ago_are_deleted_and_the_others_kept(tmp_path):
    with Connection(f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}") as broker:
        queue = broker.SimpleQueue("prune-test")
        for n in range(4):
            queue.put({"n": n})
        for _ in range(3):  # handed out: 0, 1 and 2; 3 still waits
            queue.get(timeout=1).ack()
        channel = broker.default_channel
        message = channel.message_cls
        first_two = channel.session.query(message).order_by(message.id).limit(2).all()
        for old in first_two:
            old.sent_at = NOW - datetime.timedelta(days=2)
        channel.session.commit()

        assert delete_consumed_messages(broker, handed_out_before=NOW - datetime.timedelta(days=1)) == 2

        left = channel.session.query(message).order_by(message.id).all()
        assert [row.visible for row in left] == [False, True]  # the recent one, and the waiting one
        assert queue.get(timeout=1).payload == {"n": 3}  # still handed out as before
        assert delete_consumed_messages(broker, handed_out_before=NOW - datetime.timedelta(days=1)) == 0
        queue.close()


def test_other_brokers_are_left_alone():
    with Connection("memory://") as broker:
        assert delete_consumed_messages(broker, handed_out_before=NOW) == 0


def test_beat_prunes_the_broker_hourly_when_it_is_the_embedded_one():
    entry = settings.CELERY_BEAT_SCHEDULE.get("prune-broker")
    if settings.CELERY_BROKER_URL.startswith("sqla+"):
        assert entry == {"task": "backcare.tasks.prune_broker", "schedule": 3600.0}
    else:
        assert entry is None
