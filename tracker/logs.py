"""What a person records: sessions, pain entries, self-check results and the program they follow.

The one place for the rules. The web forms and the API serializers validate early, for a
message next to each field, but every change goes through these functions, which validate
again, and the database's constraints stand behind them.
"""

import datetime
import uuid
from collections.abc import Callable
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from routines.models import Program, Routine
from routines.selfcheck import assess

from .models import DUPLICATE_PAIN_ENTRY, PainArea, PainEntry, PainFactor, SelfCheck, Session


def validate_log_date(value: datetime.date, *, user, current: datetime.date | None = None) -> None:
    """Refuse a date after the user's own today; an unchanged date is never re-judged.

    A date that was fine when logged can look like the future after the user moves to a
    time zone further west, and editing the notes must not fail for that.
    """
    if value is None or value == current:
        return
    today = user.local_today()
    if value > today:
        raise ValidationError(
            "This date is in the future (today is %(today)s in %(zone)s).",
            code="future",
            params={"today": today.isoformat(), "zone": user.timezone},
        )


def _merge(errors: dict, exc: ValidationError) -> None:
    for field, messages in exc.update_error_dict({}).items():
        errors.setdefault(field, []).extend(messages)


def _validate(instance, *, user, date_before, extra_checks=()):
    errors = {}
    try:
        validate_log_date(instance.date, user=user, current=date_before)
    except ValidationError as exc:
        errors["date"] = exc.error_list
    # Constraint checks in Python would repeat the field validators as vaguer
    # non-field messages; the database still enforces every constraint.
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc)
    for check in extra_checks:
        if not errors:
            try:
                check()
            except ValidationError as exc:
                _merge(errors, exc)
    if errors:
        raise ValidationError(errors)


def _log_once(model, *, user, client_id, log: Callable):
    """(row, created): ``log()``'s new row, or the row this user already made with this ``client_id``.

    A device that resends what it logged offline (or a form submitted twice) gives the same
    ``client_id``: the first row answers, whatever the resend holds, and nothing new is stored.
    Two resends at once both pass the first look; the unique constraint (user, client_id)
    refuses the second, which then finds the winner's row.
    """
    if client_id is None:
        return log(), True
    client_id = _client_id_clean(client_id)
    mine = model.objects.for_user(user).filter(client_id=client_id)
    if (existing := mine.first()) is not None:
        return existing, False
    try:
        with transaction.atomic():
            return log(client_id), True
    except (IntegrityError, ValidationError):
        # The loser of a race may also be refused by another rule (a pain entry's one per
        # date and context) because of the winner's row: it is still the same log.
        if (existing := mine.first()) is not None:
            return existing, False
        raise


def _client_id_clean(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({"client_id": [ValidationError("Give a UUID.", code="invalid")]}) from None


def _apply(instance, changes: dict, allowed) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    for field, value in changes.items():
        setattr(instance, field, value)


# --- Sessions ---------------------------------------------------------------------

# What a person records, in the order the forms and the API show it.
SESSION_FIELDS = (
    "routine",
    "date",
    "duration_minutes",
    "steps_completed",
    "pain_before",
    "pain_after",
    "side",
    "notes",
)


def _known_routine(routine):
    if routine is not None and not isinstance(routine, Routine):
        raise ValidationError({"routine": ["Choose a routine from the catalog."]})


def session_log(*, user, client_id: uuid.UUID | str | None = None, **fields) -> Session:
    """Log a session; with a ``client_id`` already used by this user, the session it logged."""
    return session_log_once(user=user, client_id=client_id, **fields)[0]


def session_log_once(
    *,
    user,
    client_id: uuid.UUID | str | None = None,
    routine: Routine | None = None,
    date: datetime.date,
    duration_minutes: int,
    steps_completed: int | None = None,
    pain_before: int | None = None,
    pain_after: int | None = None,
    side: str = "",
    notes: str = "",
) -> tuple[Session, bool]:
    """(session, created): created is False when ``client_id`` names a session this user already logged."""

    def log(client_id=None):
        _known_routine(routine)
        session = Session(
            user=user,
            client_id=client_id,
            routine=routine,
            date=date,
            duration_minutes=duration_minutes,
            steps_completed=steps_completed,
            pain_before=pain_before,
            pain_after=pain_after,
            side=side or "",
            notes=notes or "",
        )
        _validate(session, user=user, date_before=None)
        session.save()
        return session

    return _log_once(Session, user=user, client_id=client_id, log=log)


def session_update(*, session: Session, **changes) -> Session:
    _known_routine(changes.get("routine"))
    date_before = session.date
    _apply(session, changes, SESSION_FIELDS)
    session.side = session.side or ""
    session.notes = session.notes or ""
    _validate(session, user=session.user, date_before=date_before)
    session.save()
    return session


def session_delete(*, session: Session) -> None:
    session.delete()


# --- Pain entries -----------------------------------------------------------------

PAIN_ENTRY_FIELDS = ("date", "score", "context", "side", "areas", "notes", "factors")
UNKNOWN_AREA = "Unknown area “%(value)s”: choose from %(choices)s."


def pain_areas_clean(areas) -> list[str]:
    """Where it hurts, as stored: known area slugs, each once, in the body map's order."""
    if areas is None:
        return []
    if isinstance(areas, str) or not isinstance(areas, list | tuple | set | frozenset):
        raise ValidationError({"areas": [ValidationError("Give a list of area slugs.", code="invalid")]})
    unknown = [area for area in areas if area not in PainArea.values]
    if unknown:
        message = ValidationError(
            UNKNOWN_AREA, code="invalid_choice", params={"value": unknown[0], "choices": ", ".join(PainArea.values)}
        )
        raise ValidationError({"areas": [message]})
    return [area for area in PainArea.values if area in areas]


def clean_factors(factors) -> list[str]:
    """Known factors (PainFactor values), each once, in the catalog's order."""
    if factors is None:
        return []
    if not isinstance(factors, list | tuple | set) or any(factor not in PainFactor.values for factor in factors):
        raise ValidationError({"factors": [f"Choose from {', '.join(PainFactor.values)}."]})
    return [factor for factor in PainFactor.values if factor in factors]


def _refuse_duplicate(entry: PainEntry) -> None:
    """Refuse, on the context field, an entry whose user already has another one for that date and context."""
    others = PainEntry.objects.for_user(entry.user).filter(date=entry.date, context=entry.context)
    if entry.pk is not None:
        others = others.exclude(pk=entry.pk)
    if others.exists():
        raise ValidationError({"context": [ValidationError(DUPLICATE_PAIN_ENTRY, code="duplicate")]})


def _save_pain_entry(entry: PainEntry) -> None:
    # Two requests can both pass the check above; the unique constraint decides, and
    # the loser gets the same message instead of a server error.
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        try:
            _refuse_duplicate(entry)
        except ValidationError as duplicate:
            raise duplicate from exc
        raise


def pain_entry_log(*, user, client_id: uuid.UUID | str | None = None, **fields) -> PainEntry:
    """Check in; with a ``client_id`` already used by this user, the entry it made."""
    return pain_entry_log_once(user=user, client_id=client_id, **fields)[0]


def pain_entry_log_once(
    *,
    user,
    client_id: uuid.UUID | str | None = None,
    date: datetime.date,
    score: int,
    context: str,
    side: str = "",
    areas: list[str] | None = None,
    notes: str = "",
    factors: list[str] = (),
) -> tuple[PainEntry, bool]:
    """(entry, created): created is False when ``client_id`` names an entry this user already made."""

    def log(client_id=None):
        entry = PainEntry(
            user=user,
            client_id=client_id,
            date=date,
            score=score,
            context=context,
            side=side or "",
            areas=pain_areas_clean(areas),
            notes=notes or "",
            factors=clean_factors(factors),
        )
        _validate(entry, user=user, date_before=None, extra_checks=[partial(_refuse_duplicate, entry)])
        _save_pain_entry(entry)
        return entry

    return _log_once(PainEntry, user=user, client_id=client_id, log=log)


def pain_entry_update(*, entry: PainEntry, **changes) -> PainEntry:
    date_before = entry.date
    if "areas" in changes:
        changes = {**changes, "areas": pain_areas_clean(changes["areas"])}
    _apply(entry, changes, PAIN_ENTRY_FIELDS)
    entry.side = entry.side or ""
    entry.notes = entry.notes or ""
    entry.factors = clean_factors(entry.factors)
    _validate(entry, user=entry.user, date_before=date_before, extra_checks=[partial(_refuse_duplicate, entry)])
    _save_pain_entry(entry)
    return entry


def pain_entry_delete(*, entry: PainEntry) -> None:
    entry.delete()


def pain_entry_existing(*, user, date: datetime.date, context: str) -> PainEntry | None:
    """The entry a refused duplicate collides with, so a page can offer to edit it."""
    return PainEntry.objects.for_user(user).filter(date=date, context=context).first()


# --- Self-check and program ----------------------------------------------------------


def self_check_save(*, user, pelvis: str, causes: list[str]) -> SelfCheck:
    try:
        result = assess(pelvis=pelvis, causes=causes)
    except ValueError as exc:
        raise ValidationError({NON_FIELD_ERRORS: [str(exc)]}) from exc
    return SelfCheck.objects.create(
        user=user, date=user.local_today(), pelvis=result.pelvis, causes=result.causes, chain=result.chain
    )


def latest_self_check(user) -> SelfCheck | None:
    return SelfCheck.objects.for_user(user).order_by("-created_at").first()


def latest_self_checks(user_ids) -> dict[int, SelfCheck]:
    """{user id: their last saved self-check} for many users, in one query."""
    newest = SelfCheck.objects.filter(user_id=OuterRef("user_id")).order_by("-created_at", "-pk").values("pk")[:1]
    checks = SelfCheck.objects.filter(user_id__in=list(user_ids), pk=Subquery(newest))
    return {check.user_id: check for check in checks}


def program_follow(*, user, program: Program | None) -> None:
    """Follow a program from the user's today (again, if it is the one they follow); None stops."""
    user.program = program
    user.program_started_on = user.local_today() if program is not None else None
    user.save(update_fields=["program", "program_started_on"])
