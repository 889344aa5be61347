"""Recording outcomes: the one place their rules are checked before a row is saved (the form
and the API validate early for messages; the database's constraints stand behind)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..logs import validate_log_date
from ..models import (
    DUPLICATE_OUTCOME,
    PAIN_MAX,
    PAIN_MIN,
    PSFS_ACTIVITY_MAX_LENGTH,
    PSFS_MAX_ROWS,
    PSFS_MIN_ROWS,
    Outcome,
)

OUTCOME_FIELDS = ("date", "walking_minutes", "standing_minutes", "psfs")


def clean_psfs(rows) -> list[dict]:
    """3 to 5 rows of ``{"activity": text, "score": 0–10}``, activities named and distinct."""
    if not isinstance(rows, list | tuple) or not PSFS_MIN_ROWS <= len(rows) <= PSFS_MAX_ROWS:
        raise ValidationError({"psfs": [f"Name between {PSFS_MIN_ROWS} and {PSFS_MAX_ROWS} activities."]})
    cleaned, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        activity = row.get("activity") if isinstance(row, dict) else None
        score = row.get("score") if isinstance(row, dict) else None
        activity = activity.strip() if isinstance(activity, str) else ""
        if not activity or len(activity) > PSFS_ACTIVITY_MAX_LENGTH:
            errors.append(f"Activity {number}: a name of 1 to {PSFS_ACTIVITY_MAX_LENGTH} characters.")
        elif activity.casefold() in seen:
            errors.append(f"Activity {number}: “{activity}” is already listed.")
        if isinstance(score, bool) or not isinstance(score, int) or not PAIN_MIN <= score <= PAIN_MAX:
            errors.append(f"Activity {number}: a score from {PAIN_MIN} to {PAIN_MAX}.")
        seen.add(activity.casefold())
        cleaned.append({"activity": activity, "score": score})
    if errors:
        raise ValidationError({"psfs": errors})
    return cleaned


def _refuse_duplicate(outcome: Outcome) -> None:
    others = Outcome.objects.for_user(outcome.user).filter(date=outcome.date)
    if outcome.pk is not None:
        others = others.exclude(pk=outcome.pk)
    if others.exists():
        raise ValidationError({"date": [ValidationError(DUPLICATE_OUTCOME, code="duplicate")]})


def _validate_and_save(outcome: Outcome, *, date_before) -> Outcome:
    errors = {}
    try:
        validate_log_date(outcome.date, user=outcome.user, current=date_before)
    except ValidationError as exc:
        errors["date"] = exc.messages
    try:
        outcome.psfs = clean_psfs(outcome.psfs)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        outcome.full_clean(exclude=["psfs"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not errors:
        try:
            _refuse_duplicate(outcome)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError as exc:  # a concurrent save of the same date
        _refuse_duplicate(outcome)
        raise exc
    return outcome


def outcome_log(*, user, date: datetime.date, walking_minutes: int, standing_minutes: int, psfs: list) -> Outcome:
    outcome = Outcome(
        user=user, date=date, walking_minutes=walking_minutes, standing_minutes=standing_minutes, psfs=psfs
    )
    return _validate_and_save(outcome, date_before=None)


def outcome_update(*, outcome: Outcome, **changes) -> Outcome:
    unknown = set(changes) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    date_before = outcome.date
    for field, value in changes.items():
        setattr(outcome, field, value)
    return _validate_and_save(outcome, date_before=date_before)


def outcome_delete(*, outcome: Outcome) -> None:
    outcome.delete()


def latest_outcome(user) -> Outcome | None:
    return Outcome.objects.for_user(user).order_by("-date").first()
