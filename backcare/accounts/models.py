import datetime
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .timezones import validate_timezone
from .tokens import api_tokens_revoke


class User(AbstractUser):
    email = models.EmailField("email address")
    email_verified = models.BooleanField(
        default=False,
        help_text="The person opened the link sent to this address; no email but the verification "
        "and password resets goes to an address that is not verified.",
    )
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Your IANA time zone: “today”, streaks and reminders use it.",
    )
    program = models.ForeignKey(
        "routines.Program",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followers",
        help_text="The program you follow, one at a time.",
    )
    program_started_on = models.DateField(null=True, blank=True)
    # The health screen (PRODUCT.md §4.1): condition slugs from routines.safety.conditions,
    # validated where they are changed (tracker.logs.profile_update).
    conditions = models.JSONField(
        default=list,
        blank=True,
        help_text="Conditions declared on the health screen; exercises unsafe with them are left out.",
    )
    screened = models.BooleanField(default=False, help_text="Answered the health screen at least once.")
    advanced_ack = models.BooleanField(
        "a clinician has shown me the advanced techniques",
        default=False,
        help_text="Shows the advanced techniques (the psoas and iliacus fingertip releases) in routines.",
    )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self) -> datetime.datetime:
        return timezone.now().astimezone(self.zone)

    def local_today(self) -> datetime.date:
        return self.local_now().date()

    def save(self, *args, **kwargs):
        # set_password() leaves the new password here until the save. Whatever changed it (the
        # password change and reset pages, the admin, `manage.py changepassword`), the API token
        # dies with the old one, as Django's session hash ends the other sessions.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            api_tokens_revoke(user=self)
