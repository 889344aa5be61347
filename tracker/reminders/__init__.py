"""Reminders by email and web push, one file per step, in the order data flows through them.

- ``slots``: when a slot falls (pure: a local time, weekdays, a zoneinfo zone);
- ``schedule``: what a person sets (times, days, time zone, unsubscribing), the one place
  a schedule or a time zone changes, and the signed unsubscribe tokens;
- ``dispatcher``: run by beat at the start of every minute; claims due schedules, writes
  one delivery per slot and queues them for sending in batches;
- ``sender``: one batch: loads what it needs in a few queries, decides skips, renders, and
  sends over one SMTP connection, claiming each delivery just before its SMTP transaction
  and recording it just after;
- ``content``: what a reminder says (today's routine, last week, the rotating item), built
  for a whole batch at once;
- ``rotation``: which tip, testimonial or resource each person's next reminder carries;
- ``email``: the channel, a leaf: a message from a template name and a context; send;
  read SMTP errors.
- ``push``: the second channel, a leaf: the VAPID key pair, which subscriptions are accepted,
  one web push sent and its answer read;
- ``subscriptions``: the one place a browser's push subscription is added or removed.

The Delivery lifecycle (claimable, claimed, sent, skipped, failed, uncertain) lives on the
model and its queryset (``tracker.models``). The Celery tasks in ``tracker.tasks`` only
adapt. This package imports nothing itself, so importing one step never loads another.
"""
