"""Marked days: rest, flare or away (PRODUCT.md §4.3). The one place a mark is made or removed;
what a mark does to the figures is in tracker.progress.walk."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from routines.models import Routine

from .logs import validate_log_date
from .models import DUPLICATE_DAY_MARK, DayKind, DayMark
from .safety import GENTLEST_ROUTINE_SLUG


def _refuse_duplicate(*, user, date) -> None:
    if DayMark.objects.for_user(user).filter(date=date).exists():
        raise ValidationError({"date": [ValidationError(DUPLICATE_DAY_MARK, code="duplicate")]})


def day_mark_set(*, user, date: datetime.date, kind: str) -> DayMark:
    """Mark ``date`` (not in the future); one mark per date: a second one is refused, nothing stored."""
    errors = {}
    try:
        validate_log_date(date, user=user)
    except ValidationError as exc:
        errors["date"] = exc.messages
    if kind not in DayKind.values:
        errors["kind"] = [f"Choose one of {', '.join(DayKind.values)}."]
    if not errors:
        try:
            _refuse_duplicate(user=user, date=date)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    mark = DayMark(user=user, date=date, kind=kind)
    try:
        with transaction.atomic():
            mark.save()
    except IntegrityError:  # another request marked the same date first
        _refuse_duplicate(user=user, date=date)
        raise
    return mark


def day_mark_delete(*, mark: DayMark) -> None:
    mark.delete()


def recent_flare(user, *, today: datetime.date) -> bool:
    """Whether today or yesterday is marked as a flare-up: then the flare-up plan shows."""
    recent = DayMark.objects.for_user(user).filter(date__range=(today - datetime.timedelta(days=1), today))
    return recent.filter(kind=DayKind.FLARE).exists()


def gentlest_routine() -> Routine | None:
    """What a flare day suggests: the gentlest routine, the one a pain warning puts in place of the plan."""
    return Routine.objects.with_steps().filter(slug=GENTLEST_ROUTINE_SLUG).first()
