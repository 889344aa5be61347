"""The profile: a person's email, time zone and the program they follow, changed in one place.

The page (``tracker/views/profile.py``) and the API (``tracker/api/profile.py``) both save
through ``profile_update``; a change of time zone goes through ``timezone_change``, as it
does from the reminders page and the admin, so the next reminder slot follows.
"""

from django.core.exceptions import ValidationError

from backcare.accounts.verification import email_changed
from routines.safety.conditions import ordered, validate_conditions

from .logs import program_follow
from .reminders.schedule import timezone_change


def profile_update(*, user, **changes) -> None:
    """Change email and time zone; a new program starts today, an unchanged one keeps its start.

    A new email address is unverified until its person opens the link sent to it.
    ``conditions`` (the health screen's answer; an empty list is "none of these") marks the
    person as screened; ``advanced_ack`` shows or hides the advanced techniques.
    """
    program_given = "program" in changes
    program = changes.pop("program", None)
    unknown = set(changes) - {"email", "timezone", "conditions", "advanced_ack"}
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    if "conditions" in changes:
        try:
            validate_conditions(changes["conditions"])
        except ValidationError as exc:
            raise ValidationError({"conditions": exc.error_list}) from exc
        changes["conditions"] = ordered(changes["conditions"])
        changes["screened"] = True
    # What is kept as it is is not judged again (a legacy time zone, an address set by an administrator).
    unchanged = [field for field, value in changes.items() if getattr(user, field) == value]
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        user.full_clean(exclude=["password", "username", "program", "program_started_on", *unchanged])
    except ValidationError:
        user.refresh_from_db()
        raise
    other_fields = [field for field in changes if field != "timezone"]
    if other_fields:
        user.save(update_fields=other_fields)
    if "email" in changes and "email" not in unchanged:
        email_changed(user=user)
    if "timezone" in changes:
        timezone_change(user=user, timezone=changes["timezone"])
    if program_given and (program.pk if program else None) != user.program_id:
        program_follow(user=user, program=program)
