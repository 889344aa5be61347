"""Done from the email: the signed links a reminder carries for pain 0–10, and the one session such a link logs.

A link names a person, the local date of the reminder's slot, the routine the email named,
its minutes and a pain score; it is signed (salted, so no other signed value of the site can
pass for one) and valid for three days. Following it needs no log-in: the signature is the
authority. Every link of one email shares one ``client_id``, derived from the person, the
date and the routine, so the database's unique (user, client_id) constraint keeps it to one
session whichever score is chosen and however many times.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from routines.models import Routine

from .logs import session_log_once
from .models import DURATION_MAX, DURATION_MIN, PAIN_MAX, PAIN_MIN, Session

SALT = "tracker.done-link"
MAX_AGE = datetime.timedelta(days=3)
SCORES = range(PAIN_MIN, PAIN_MAX + 1)
# Fixed for ever: every client_id a link ever made is derived from it.
NAMESPACE = uuid.UUID("5b0c6f3e-7d1a-4f52-9a43-2c1e8d0b6a71")
NOTE = "Logged from the reminder email."


class LinkError(Exception):
    """A link that cannot log anything: ``status`` 400 (tampered, cut short, unknown) or 410 (expired)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class DoneLink:
    user_id: int
    date: datetime.date
    routine: str  # the routine's slug
    minutes: int
    score: int

    @property
    def client_id(self) -> uuid.UUID:
        """The same for every score of one email: one session per person, day and routine."""
        return uuid.uuid5(NAMESPACE, f"{self.user_id}:{self.date.isoformat()}:{self.routine}")


def done_token(*, user_id: int, date: datetime.date, routine: str, minutes: int, score: int) -> str:
    minutes = min(max(minutes, DURATION_MIN), DURATION_MAX)
    payload = {"u": user_id, "d": date.isoformat(), "r": routine, "m": minutes, "s": score}
    return signing.dumps(payload, salt=SALT, compress=True)


def done_links(*, user_id: int, date: datetime.date, routine: str, minutes: int, site_url: str) -> list[dict]:
    """[{"score", "url"}] for pain 0–10, absolute URLs for an email."""
    return [
        {
            "score": score,
            "url": site_url
            + reverse(
                "tracker:done-link",
                args=[done_token(user_id=user_id, date=date, routine=routine, minutes=minutes, score=score)],
            ),
        }
        for score in SCORES
    ]


def read_done_token(token: str) -> DoneLink:
    """The link a token was signed as; LinkError when it was changed, cut short or has expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkError(410, "This link has expired: links in a reminder work for three days.") from exc
    except signing.BadSignature as exc:
        raise LinkError(400, "This link is not valid: it may have been cut short or changed.") from exc
    try:
        link = DoneLink(
            user_id=int(payload["u"]),
            date=datetime.date.fromisoformat(payload["d"]),
            routine=str(payload["r"]),
            minutes=int(payload["m"]),
            score=int(payload["s"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkError(400, "This link is not valid: it may have been cut short or changed.") from exc
    if link.score not in SCORES or not DURATION_MIN <= link.minutes <= DURATION_MAX:
        raise LinkError(400, "This link is not valid: it may have been cut short or changed.")
    return link


def link_user(link: DoneLink):
    """The person the link was made for; LinkError when the account is gone or inactive."""
    user = get_user_model().objects.filter(pk=link.user_id, is_active=True).first()
    if user is None:
        raise LinkError(410, "This link belongs to an account that is no longer active.")
    return user


def link_routine(link: DoneLink) -> Routine:
    routine = Routine.objects.filter(slug=link.routine).first()
    if routine is None:
        raise LinkError(410, "The routine this link names is no longer in the catalog.")
    return routine


def logged_session(link: DoneLink) -> Session | None:
    """The session this link's email already logged, if any."""
    return Session.objects.filter(user_id=link.user_id, client_id=link.client_id).select_related("routine").first()


def log_from_link(*, link: DoneLink, user, routine: Routine) -> tuple[Session, bool]:
    """(the session, whether this call logged it): the link's session, logged for the link's user once.

    The rule of ``client_id`` (tracker.logs) keeps it to one, a race between two links of the
    same email included."""
    return session_log_once(
        user=user,
        routine=routine,
        date=link.date,
        duration_minutes=link.minutes,
        pain_after=link.score,
        notes=NOTE,
        client_id=link.client_id,
    )
