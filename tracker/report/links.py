"""Share links for the clinician report: signed, with an expiry, listed and revocable by their owner.

The URL carries a signed ``{"id", "key"}``; the row must still exist (revoking deletes it), its random
key must match, and it must not have expired. Anything else finds nothing, and the view answers 404."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ..models import ReportLink
from .figures import MAX_WEEKS, MIN_WEEKS

SALT = "tracker.report.share-link"
MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 30, 14


def report_link_create(*, user, weeks: int, expires_in_days: int = DEFAULT_DAYS) -> ReportLink:
    errors = {}
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not MIN_WEEKS <= weeks <= MAX_WEEKS:
        errors["weeks"] = [f"From {MIN_WEEKS} to {MAX_WEEKS} weeks."]
    if (
        isinstance(expires_in_days, bool)
        or not isinstance(expires_in_days, int)
        or not MIN_DAYS <= expires_in_days <= MAX_DAYS
    ):
        errors["expires_in_days"] = [f"From {MIN_DAYS} to {MAX_DAYS} days."]
    if errors:
        raise ValidationError(errors)
    return ReportLink.objects.create(
        user=user,
        key=secrets.token_hex(16),
        weeks=weeks,
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )


def report_link_revoke(*, link: ReportLink) -> None:
    link.delete()


def token_for(link: ReportLink) -> str:
    return signing.dumps({"id": link.pk, "key": link.key}, salt=SALT, compress=False)


def share_url(link: ReportLink) -> str:
    """The absolute URL that opens the report without login, built from SITE_URL as in emails."""
    return f"{settings.SITE_URL}{reverse('tracker:report-shared', args=[token_for(link)])}"


def link_for_token(token: str, *, now: datetime.datetime | None = None) -> ReportLink | None:
    """The live link a token names, or None: tampered, revoked, expired or unknown."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(data.get("key"), str):
        return None
    now = now or timezone.now()
    return ReportLink.objects.live(now).select_related("user").filter(pk=data["id"], key=data["key"]).first()
