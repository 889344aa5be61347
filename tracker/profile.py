"""The profile: a person's email, time zone and the program they follow, changed in one place.

The page (``tracker/views/profile.py``) and the API (``tracker/api/profile.py``) both save
through ``profile_update``; a change of time zone goes through ``timezone_change``, as it
does from the reminders page and the admin, so the next reminder slot follows.
"""

from django.core.exceptions import ValidationError

from backcare.accounts.verification import email_changed

from .logs import program_follow
from .reminders.schedule import timezone_change


def profile_update(*, user, **changes) -> None:
    """Change email and time zone; a new program starts today, an unchanged one keeps its start.

    A new email address is unverified until its person opens the link sent to it.
    """
    program_given = "program" in changes
    program = changes.pop("program", None)
    unknown = set(changes) - {"email", "timezone"}
    if unknown:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    # What is kept as it is is not judged again (a legacy time zone, an address set by an administrator).
    unchanged = [field for field, value in changes.items() if getattr(user, field) == value]
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        user.full_clean(exclude=["password", "username", "program", "program_started_on", *unchanged])
    except ValidationError:
        user.refresh_from_db()
        raise
    if "email" in changes:
        user.save(update_fields=["email"])
        if "email" not in unchanged:
            email_changed(user=user)
    if "timezone" in changes:
        timezone_change(user=user, timezone=changes["timezone"])
    if program_given and (program.pk if program else None) != user.program_id:
        program_follow(user=user, program=program)
