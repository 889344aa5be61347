import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from routines.models import Chain, Routine, Sides

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
NOTES_MAX_LENGTH = 2000
DUPLICATE_PAIN_ENTRY = "You already have a pain entry for this date and context; edit it instead."
PAIN_MIN, PAIN_MAX = 0, 10
DURATION_MIN, DURATION_MAX = 1, 240

pain_validators = [MinValueValidator(PAIN_MIN), MaxValueValidator(PAIN_MAX)]
date_validators = [MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)]
notes_validators = [MaxLengthValidator(NOTES_MAX_LENGTH)]


def _date_in_range(field="date"):
    return Q(**{f"{field}__gte": MIN_DATE, f"{field}__lte": MAX_DATE})


def _pain_in_range(field):
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": PAIN_MIN, f"{field}__lte": PAIN_MAX})


CLIENT_ID_HELP = "Chosen by the device that made the row (offline queue, email link): a resend stores nothing new."


def _one_per_client_id(model_name):
    return models.UniqueConstraint(
        fields=["user", "client_id"], condition=Q(client_id__isnull=False), name=f"{model_name}_one_per_client_id"
    )


class UserOwnedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def between(self, start=None, end=None):
        qs = self
        if start is not None:
            qs = qs.filter(date__gte=start)
        if end is not None:
            qs = qs.filter(date__lte=end)
        return qs


class Session(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    routine = models.ForeignKey(Routine, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(validators=date_validators)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(DURATION_MIN), MaxValueValidator(DURATION_MAX)]
    )
    steps_completed = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=pain_validators)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=pain_validators)
    side = models.CharField(max_length=5, choices=Sides.choices, blank=True)
    notes = models.TextField(blank=True, validators=notes_validators)
    client_id = models.UUIDField(null=True, blank=True, help_text=CLIENT_ID_HELP)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["user", "date"], name="session_user_date")]
        constraints = [
            _one_per_client_id("session"),
            models.CheckConstraint(condition=_date_in_range(), name="session_date_in_range"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=DURATION_MIN, duration_minutes__lte=DURATION_MAX),
                name="session_duration_in_range",
            ),
            models.CheckConstraint(condition=_pain_in_range("pain_before"), name="session_pain_before_in_range"),
            models.CheckConstraint(condition=_pain_in_range("pain_after"), name="session_pain_after_in_range"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH), name="session_notes_length"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.date} · {self.routine or 'free exercises'}"

    @property
    def relief(self):
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_before - self.pain_after


class PainContext(models.TextChoices):
    REST = "rest", "At rest"
    WALKING = "walking", "Walking"
    STANDING = "standing", "Standing"
    SITTING = "sitting", "Sitting"
    MORNING = "morning", "In the morning"
    NIGHT = "night", "At night"


class PainSide(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"
    CENTER = "center", "In the middle"


class PainArea(models.TextChoices):
    """Where it hurts (PRODUCT.md §4.2), in the order the body map lists them, top to bottom."""

    LOWER_BACK = "lower-back", "Lower back"
    SIDE_OF_WAIST = "side-of-waist", "Side of the waist"
    BUTTOCK = "buttock", "Buttock"
    OUTER_HIP = "outer-hip", "Outer hip"
    FRONT_OF_HIP = "front-of-hip", "Front of the hip"
    GROIN = "groin", "Groin"
    BACK_OF_THIGH = "back-of-thigh", "Back of the thigh"
    OUTER_THIGH = "outer-thigh", "Outer thigh"
    FRONT_OF_THIGH = "front-of-thigh", "Front of the thigh"


class PainFactor(models.TextChoices):
    """What the day held, for "what helps" (PRODUCT.md §4.3)."""

    LONG_SITTING = "long-sitting", "Sat for long"
    LONG_STANDING = "long-standing", "Stood for long"
    LONG_WALKING = "long-walking", "Walked for long"
    POOR_SLEEP = "poor-sleep", "Slept badly"
    STRESS = "stress", "Stressed"
    LIFTING = "lifting", "Lifted something heavy"
    ACTIVE_DAY = "active-day", "An active day"


class PainEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pain_entries")
    date = models.DateField(validators=date_validators)
    score = models.PositiveSmallIntegerField(validators=pain_validators)
    context = models.CharField(max_length=10, choices=PainContext.choices)
    side = models.CharField(max_length=6, choices=PainSide.choices, blank=True)
    # Area slugs (PainArea), each at most once, in PainArea's order; tracker.logs keeps them so.
    areas = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, validators=notes_validators)
    factors = models.JSONField(default=list, blank=True, help_text="What the day held: PainFactor values.")
    client_id = models.UUIDField(null=True, blank=True, help_text=CLIENT_ID_HELP)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "context"]
        verbose_name_plural = "pain entries"
        indexes = [models.Index(fields=["user", "date"], name="painentry_user_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date", "context"],
                name="painentry_one_per_date_and_context",
                violation_error_message=DUPLICATE_PAIN_ENTRY,
            ),
            _one_per_client_id("painentry"),
            models.CheckConstraint(condition=_date_in_range(), name="painentry_date_in_range"),
            models.CheckConstraint(
                condition=Q(score__gte=PAIN_MIN, score__lte=PAIN_MAX), name="painentry_score_in_range"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH), name="painentry_notes_length"
            ),
            models.CheckConstraint(condition=Q(side="") | Q(side__in=PainSide.values), name="painentry_side_known"),
        ]

    def __str__(self):
        return f"{self.user} · {self.date} · {self.context}: {self.score}"

    @property
    def area_labels(self) -> list[str]:
        labels = dict(PainArea.choices)
        return [labels.get(area, area) for area in self.areas]


class Pelvis(models.TextChoices):
    TUCK = "tuck", "I tuck my pelvis under (flat back, bottom tucked)"
    ARCH = "arch", "I over-arch my lower back (bottom sticks out)"
    UNSURE = "unsure", "I am not sure, or neither"


class SelfCheck(models.Model):
    """One saved self-check result; repeated over time so it can be charted against pain."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks")
    date = models.DateField(validators=date_validators)
    pelvis = models.CharField(max_length=6, choices=Pelvis.choices)
    causes = models.JSONField(default=list, blank=True)
    chain = models.CharField(max_length=10, choices=Chain.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.user} · {self.date} · {self.chain}"


# --- Reminders -------------------------------------------------------------------

ALL_WEEKDAYS = 0b1111111


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PUSH = "push", "Push notification"


class DeliveryKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    WEEKLY_REPORT = "weekly", "Weekly report"


def default_channels():
    return [Channel.EMAIL.value]


class ReminderScheduleQuerySet(models.QuerySet):
    def due(self, now):
        """Schedules with a slot due: daily reminders on, or the weekly report on (or both)."""
        return self.filter(Q(enabled=True) | Q(weekly_report=True), next_due_at__lte=now)


class ReminderSchedule(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedule")
    enabled = models.BooleanField(default=False)
    time = models.TimeField(default=datetime.time(8, 0), help_text="Local time of day, in the user's time zone.")
    weekdays = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(ALL_WEEKDAYS)],
        help_text="Bit mask, bit 0 = Monday … bit 6 = Sunday; 0 means every day.",
    )
    skip_if_done = models.BooleanField(default=True)
    channels = models.JSONField(default=default_channels, help_text="Where reminders go: Channel values.")
    weekly_report = models.BooleanField(default=False, help_text="Also send the weekly report email.")
    weekly_report_day = models.PositiveSmallIntegerField(
        default=6, validators=[MaxValueValidator(6)], help_text="0 = Monday … 6 = Sunday, at the reminder time."
    )
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="UTC; empty when off.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReminderScheduleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=0, weekdays__lte=ALL_WEEKDAYS), name="reminder_weekdays_mask"
            ),
            models.CheckConstraint(
                condition=Q(weekly_report_day__gte=0, weekly_report_day__lte=6), name="reminder_weekly_report_day"
            ),
        ]

    def __str__(self):
        return f"Reminders for {self.user}"

    @property
    def weekday_list(self) -> list[int]:
        return [day for day in range(7) if self.weekdays & (1 << day)]

    @property
    def slot_days(self) -> int:
        """The weekdays that hold a slot (bit mask as ``weekdays``, ALL_WEEKDAYS for every day; 0: none):
        the reminder days while reminders are on, and the weekly report's day while it is on."""
        reminders = (self.weekdays or ALL_WEEKDAYS) if self.enabled else 0
        return reminders | ((1 << self.weekly_report_day) if self.weekly_report else 0)

    def kinds_on(self, weekday: int) -> list[str]:
        """What a slot on this local weekday (0 = Monday) carries: a reminder, the weekly report, both, or nothing."""
        kinds = []
        if self.enabled and (not self.weekdays or self.weekdays & (1 << weekday)):
            kinds.append(DeliveryKind.REMINDER)
        if self.weekly_report and weekday == self.weekly_report_day:
            kinds.append(DeliveryKind.WEEKLY_REPORT)
        return kinds

    @staticmethod
    def mask_for(days) -> int:
        mask = 0
        for day in days:
            mask |= 1 << day
        return mask


class ContentKind(models.TextChoices):
    TIP = "tip", "Tip"
    TESTIMONIAL = "testimonial", "Testimonial"
    RESOURCE = "resource", "Resource"


class ContentItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ContentItem(models.Model):
    """A tip, testimonial or resource carried by a reminder email, one per email, in rotation."""

    kind = models.CharField(max_length=12, choices=ContentKind.choices)
    title = models.CharField(max_length=150)
    body = models.TextField()
    link = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"
    UNCERTAIN = "uncertain", "Uncertain"
    RETRYING = "retrying", "Retrying"


# Waiting for a send: never tried, or tried and worth another go.
CLAIMABLE = (DeliveryStatus.QUEUED, DeliveryStatus.RETRYING)
SETTLED = (DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN)
UNCERTAIN_ERROR = "The worker sending this email stopped before the SMTP server answered; not sent again."


class DeliveryQuerySet(models.QuerySet):
    """A delivery's lifecycle: queued → (claimed: sending) → sent, skipped, failed, or retrying → …

    Every change of status is a conditional UPDATE here, so that two workers holding the
    same delivery (a redelivered task) never both act on it: only the one whose UPDATE
    matched goes on.
    """

    def claimable(self):
        return self.filter(status__in=CLAIMABLE)

    def abandoned(self, before):
        """Waiting or claimed since before ``before``: the task's message or its worker was lost."""
        waiting = Q(status__in=CLAIMABLE)
        claimed = Q(status=DeliveryStatus.SENDING, claimed_at__lt=before)
        return self.filter(waiting | claimed, updated_at__lt=before)

    def claim(self, pk, *, now, **fields) -> bool:
        """Take a claimable delivery for one send attempt (sending); False when someone else has it or it is settled."""
        return bool(
            self.claimable()
            .filter(pk=pk)
            .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now, **fields)
        )

    def settle_unsent(self, pk, *, now, status, **fields) -> bool:
        """Settle a claimable delivery without sending it (skipped, or failed before the SMTP server was
        contacted), counting the attempt; False when someone else has it or it is settled."""
        return bool(
            self.claimable().filter(pk=pk).update(status=status, attempts=F("attempts") + 1, updated_at=now, **fields)
        )

    def record(self, pk, *, now, status, **fields) -> None:
        """What became of a claimed delivery's SMTP transaction: sent, failed or retrying."""
        self.filter(pk=pk, status=DeliveryStatus.SENDING).update(status=status, updated_at=now, **fields)

    def abandon_stale_claim(self, pk, *, claimed_at, now) -> bool:
        """A claim older than any live send belongs to a dead worker: uncertain, never sent again."""
        return bool(
            self.filter(pk=pk, status=DeliveryStatus.SENDING, claimed_at=claimed_at).update(
                status=DeliveryStatus.UNCERTAIN, error=UNCERTAIN_ERROR, updated_at=now
            )
        )


class Delivery(models.Model):
    """One reminder slot for one user, of one kind, on one channel: created once, by whoever claims the slot."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries")
    slot_at = models.DateTimeField(help_text="The due instant, UTC.")
    kind = models.CharField(max_length=8, choices=DeliveryKind.choices, default=DeliveryKind.REMINDER)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    skip_reason = models.CharField(max_length=200, blank=True)
    content_item = models.ForeignKey(
        ContentItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-slot_at"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "slot_at"], name="delivery_status_slot"),
            # Content rotation counts one user's deliveries per item.
            models.Index(fields=["user", "content_item"], name="delivery_user_item"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "slot_at", "kind", "channel"], name="delivery_one_per_user_slot_kind_channel"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.slot_at:%Y-%m-%d %H:%M} · {self.status}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (PRODUCT.md §4.4): where the push channel sends."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserOwnedQuerySet.as_manager()

    def __str__(self):
        return f"{self.user} · push subscription {self.pk}"


class CalendarFeed(models.Model):
    """The secret key of a person's calendar feed URL; a reset gives a new key, and the old URL answers 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


# --- Is it working: marked days, outcomes, shared reports (PRODUCT.md §4.3) ------------------


class DayKind(models.TextChoices):
    REST = "rest", "Rest day"
    FLARE = "flare", "Flare-up"
    AWAY = "away", "Away"


DUPLICATE_DAY_MARK = "This date is already marked; delete that mark first."


class DayMark(models.Model):
    """A day that is not a planned day: a streak runs across it, adherence leaves it out,
    habit strength carries forward over it (Loop Habit Tracker's skip)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_marks")
    date = models.DateField(validators=date_validators)
    kind = models.CharField(max_length=5, choices=DayKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date"], name="daymark_one_per_date", violation_error_message=DUPLICATE_DAY_MARK
            ),
            models.CheckConstraint(condition=_date_in_range(), name="daymark_date_in_range"),
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="daymark_kind_known"),
        ]

    def __str__(self):
        return f"{self.user} · {self.date} · {self.kind}"


TOLERANCE_MAX_MINUTES = 720
PSFS_MIN_ROWS, PSFS_MAX_ROWS = 3, 5
PSFS_ACTIVITY_MAX_LENGTH = 100
DUPLICATE_OUTCOME = "You already recorded your outcomes on this date; edit them instead."


def psfs_mean(rows: list[dict]) -> float | None:
    """The PSFS score: the mean of the activities' scores, to two places."""
    return round(sum(row["score"] for row in rows) / len(rows), 2) if rows else None


class Outcome(models.Model):
    """How far the person can walk and stand, and their own activities rated 0–10 (PSFS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcomes")
    date = models.DateField(validators=date_validators)
    walking_minutes = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TOLERANCE_MAX_MINUTES)])
    standing_minutes = models.PositiveSmallIntegerField(validators=[MaxValueValidator(TOLERANCE_MAX_MINUTES)])
    psfs = models.JSONField(help_text='[{"activity": str, "score": 0–10}], 3 to 5 rows.')
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date"], name="outcome_one_per_date", violation_error_message=DUPLICATE_OUTCOME
            ),
            models.CheckConstraint(condition=_date_in_range(), name="outcome_date_in_range"),
            models.CheckConstraint(
                condition=Q(walking_minutes__lte=TOLERANCE_MAX_MINUTES, standing_minutes__lte=TOLERANCE_MAX_MINUTES),
                name="outcome_tolerance_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.date} · outcomes"

    @property
    def psfs_score(self) -> float | None:
        return psfs_mean(self.psfs or [])


class ReportLinkQuerySet(UserOwnedQuerySet):
    def live(self, now):
        return self.filter(expires_at__gt=now)


class ReportLink(models.Model):
    """A signed link that opens one person's clinician report without login until it expires;
    revoking deletes the row, so the link then finds nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_links")
    key = models.CharField(max_length=32, unique=True)
    weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(weeks__gte=1, weeks__lte=52), name="reportlink_weeks")]

    def __str__(self):
        return f"{self.user} · {self.weeks} weeks · until {self.expires_at:%Y-%m-%d}"


class OutcomeReminderQuerySet(models.QuerySet):
    def claimable(self):
        return self.filter(status=DeliveryStatus.QUEUED)


class OutcomeReminder(models.Model):
    """The fortnightly "how far can you walk and stand?" email: one row per user and local date,
    created by whoever claims it, so it is never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_reminders")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutcomeReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on"]
        constraints = [models.UniqueConstraint(fields=["user", "due_on"], name="outcomereminder_one_per_day")]

    def __str__(self):
        return f"{self.user} · outcomes due {self.due_on} · {self.status}"


class PersonalDose(models.Model):
    """A person's own dose of one exercise, once they accepted a suggestion (or their decision to keep
    the one they had: ``decided_at`` starts the count of sessions for the next suggestion)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doses")
    exercise = models.ForeignKey("routines.Exercise", on_delete=models.CASCADE, related_name="personal_doses")
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    repetitions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    decided_at = models.DateTimeField()

    objects = UserOwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise"], name="personaldose_one_per_exercise")]

    def __str__(self):
        return f"{self.user} · {self.exercise_id} · {self.hold_seconds or '-'} s × {self.repetitions}"


EXPERIMENT_DAYS = 14


def running_on_q(day) -> Q:
    """Started on or before ``day``, not stopped by then, and ``day`` within its 14 days."""
    return Q(start_date__lte=day, start_date__gt=day - datetime.timedelta(days=EXPERIMENT_DAYS)) & (
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=day)
    )


class ExperimentQuerySet(UserOwnedQuerySet):
    def running_on(self, day):
        return self.filter(running_on_q(day))


class Experiment(models.Model):
    """A two-week self-experiment: routine A or B each day, in a random balanced order; the result
    compares the next morning's pain after each (tracker.experiment)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments")
    routine_a = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="+")
    routine_b = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(validators=date_validators)
    schedule = models.CharField(max_length=EXPERIMENT_DAYS, help_text="One letter a day, A or B, 7 of each.")
    stopped_on = models.DateField(null=True, blank=True, help_text="Stopped early on this date.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(routine_a=models.F("routine_b")), name="experiment_two_routines"),
        ]

    def __str__(self):
        return f"{self.user} · {self.routine_a_id} vs {self.routine_b_id} from {self.start_date}"

    @property
    def end_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=EXPERIMENT_DAYS - 1)
