import math

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.templatetags.static import static
from django.urls import reverse

from .figures import drawn, exercise_figure_name, motion_figure_name, muscle_figure_name


def _figure_url(name: str) -> str | None:
    return static(name) if name in drawn() else None


class Chain(models.TextChoices):
    POSTERIOR = "posterior", "Posterior chain"
    ANTERIOR = "anterior", "Anterior chain"
    BOTH = "both", "Both chains"


class Kind(models.TextChoices):
    STRETCH = "stretch", "Stretch"
    MASSAGE = "massage", "Self-massage"
    STRENGTH = "strength", "Strengthening"
    ACTIVITY = "activity", "General activity"


class Sides(models.TextChoices):
    LEFT = "left", "Left side"
    RIGHT = "right", "Right side"
    BOTH = "both", "Each side"
    NONE = "none", "No side"


class ExerciseLevel(models.TextChoices):
    """An advanced technique is shown only to a person who confirmed a clinician taught it (``advanced_ack``)."""

    STANDARD = "standard", "Standard"
    ADVANCED = "advanced", "Advanced: only once a clinician has shown you"


class FirstSide(models.TextChoices):
    LEFT = "left", "Left side first"
    RIGHT = "right", "Right side first"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Muscle(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    chain = models.CharField(max_length=10, choices=Chain.choices)
    summary = models.TextField(help_text="One or two sentences: what the muscle does.")
    location = models.TextField(help_text="Where it runs, from where to where.")
    symptoms = models.TextField(help_text="How tightness there shows up.")
    posture = models.TextField(help_text="Which posture points to it.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("routines:muscle", args=[self.slug])

    @property
    def figure(self) -> str | None:
        """The body map with this muscle shown (a static file written by ``manage.py draw_figures``)."""
        return _figure_url(muscle_figure_name(self.slug))


class ExerciseQuerySet(models.QuerySet):
    def for_muscle(self, slug):
        return self.filter(muscles__slug=slug)


class Exercise(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    muscles = models.ManyToManyField(Muscle, related_name="exercises")
    summary = models.TextField(blank=True)
    equipment = models.CharField(max_length=120, blank=True, help_text="For example: a massage ball, a mat.")
    instructions = models.TextField(help_text="One action per line, in order.")
    caution = models.TextField(help_text="When to stop and what not to press on.")
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Seconds to hold a stretch or stay on a spot; empty for plain repetitions.",
    )
    repetitions = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    sides = models.CharField(max_length=5, choices=Sides.choices, default=Sides.BOTH)
    first_side = models.CharField(
        max_length=5,
        choices=FirstSide.choices,
        default=FirstSide.RIGHT,
        help_text="For an exercise done on each side: the side the instructions start with.",
    )
    level = models.CharField(max_length=10, choices=ExerciseLevel.choices, default=ExerciseLevel.STANDARD)
    avoid_with = models.JSONField(
        default=dict,
        blank=True,
        help_text="Health-screen condition slug -> the one-line reason this exercise is left out for it.",
    )
    easier = models.TextField(blank=True, help_text="An easier variant: another exercise or a line of text.")
    harder = models.TextField(blank=True, help_text="A harder variant: another exercise or a line of text.")

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(hold_seconds__gte=1), name="exercise_hold_positive"
            ),
            models.CheckConstraint(condition=Q(repetitions__gte=1), name="exercise_repetitions_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]

    @property
    def figure(self) -> str | None:
        """Start and end position side by side (a static file written by ``manage.py draw_figures``);
        None for an exercise without pose data yet."""
        return _figure_url(exercise_figure_name(self.slug))

    @property
    def motion_figure(self) -> str | None:
        """One panel moving between the positions, for the guided player."""
        return _figure_url(motion_figure_name(self.slug))

    @property
    def is_advanced(self) -> bool:
        return self.level == ExerciseLevel.ADVANCED

    @property
    def side_order(self) -> list[str]:
        """The sides in the order the instructions work them: what the player announces."""
        if self.sides != Sides.BOTH:
            return [self.sides] if self.sides in (Sides.LEFT, Sides.RIGHT) else []
        other = FirstSide.LEFT if self.first_side == FirstSide.RIGHT else FirstSide.RIGHT
        return [self.first_side, other]


# Seconds a person needs beyond the holds themselves: getting into position for a
# step, a breath between repetitions, swapping sides, and one repetition of an
# exercise counted in repetitions rather than held.
SETUP_SECONDS = 20
REST_BETWEEN_REPS_SECONDS = 5
SWITCH_SIDE_SECONDS = 10
SECONDS_PER_REP = 4


def minutes_for(seconds: int) -> int:
    """A routine's estimated minutes: its seconds rounded up, at least one."""
    return max(1, math.ceil(seconds / 60))


def dose_seconds(*, hold_seconds, repetitions, sides) -> int:
    side_count = 2 if sides == Sides.BOTH else 1
    per_rep = hold_seconds or SECONDS_PER_REP
    rests = REST_BETWEEN_REPS_SECONDS * (repetitions - 1) if hold_seconds else 0
    switch = SWITCH_SIDE_SECONDS if side_count == 2 else 0
    return SETUP_SECONDS + side_count * (per_rep * repetitions + rests) + switch


class RoutineQuerySet(models.QuerySet):
    def with_steps(self):
        return self.prefetch_related(
            Prefetch(
                "steps",
                queryset=RoutineStep.objects.select_related("exercise").prefetch_related("exercise__muscles"),
            )
        )

    def for_muscle(self, slug):
        return self.filter(steps__exercise__muscles__slug=slug).distinct()


class Routine(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    summary = models.TextField()
    chain = models.CharField(max_length=10, choices=Chain.choices)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.BEGINNER)
    order = models.PositiveSmallIntegerField(default=0)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("routines:routine", args=[self.slug])

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps.all())

    @property
    def estimated_minutes(self) -> int:
        return minutes_for(self.total_seconds)

    @property
    def muscles(self) -> list[Muscle]:
        seen = {}
        for step in self.steps.all():
            for muscle in step.exercise.muscles.all():
                seen.setdefault(muscle.pk, muscle)
        return sorted(seen.values(), key=lambda m: (m.order, m.name))


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="routine_steps")
    order = models.PositiveSmallIntegerField(default=0)
    hold_seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Empty: the exercise's own.",
    )
    repetitions = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Empty: the exercise's own.",
    )
    sides = models.CharField(max_length=5, choices=Sides.choices, blank=True, help_text="Empty: the exercise's own.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.routine} · {self.order}. {self.exercise}"

    def clean(self):
        # The catalog file is checked on load (routines/seed.py); this guards the admin.
        if self.exercise_id and self.routine_id and self.exercise.is_advanced and self.routine.level != Level.ADVANCED:
            raise ValidationError(
                {"exercise": "An advanced technique belongs only in a routine of level advanced."}, code="advanced"
            )

    @property
    def dose(self) -> dict:
        return {
            "hold_seconds": self.hold_seconds or self.exercise.hold_seconds,
            "repetitions": self.repetitions or self.exercise.repetitions,
            "sides": self.sides or self.exercise.sides,
        }

    @property
    def seconds(self) -> int:
        return dose_seconds(**self.dose)


class Goal(models.TextChoices):
    FLEXIBILITY = "flexibility", "Flexibility"
    STRENGTH = "strength", "Strength"


class Program(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    summary = models.TextField()
    goal = models.CharField(max_length=12, choices=Goal.choices)
    weeks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("routines:program", args=[self.slug])


class ProgramDay(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="days")
    week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(52)])
    day = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])
    routine = models.ForeignKey(
        Routine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="program_days",
        help_text="Empty: rest day.",
    )

    class Meta:
        ordering = ["week", "day"]
        constraints = [
            models.UniqueConstraint(fields=["program", "week", "day"], name="program_day_unique"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=7), name="program_day_in_week"),
        ]

    def __str__(self):
        return f"{self.program} week {self.week} day {self.day}: {self.routine or 'rest'}"
