from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Exercise, Muscle, Program, ProgramDay, Routine, RoutineStep
from .safety.conditions import CONDITIONS
from .screening import visible_steps, visible_steps_for
from .selfcheck import CAUSES, PELVIS_CHOICES


class MuscleSerializer(serializers.ModelSerializer):
    figure = serializers.CharField(
        read_only=True, help_text="Root-relative URL of an SVG: the body map with this muscle shown."
    )

    class Meta:
        model = Muscle
        fields = ["slug", "name", "chain", "summary", "location", "symptoms", "posture", "figure"]


class DoseSerializer(serializers.Serializer):
    hold_seconds = serializers.IntegerField(allow_null=True)
    repetitions = serializers.IntegerField()
    sides = serializers.CharField()


class ExerciseSerializer(serializers.ModelSerializer):
    muscles = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    instructions = serializers.ListField(source="steps", child=serializers.CharField(), read_only=True)
    dose = serializers.SerializerMethodField()
    figure = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Root-relative URL of an SVG: the start and end position, target muscles highlighted "
        "(null for an exercise not drawn yet).",
    )
    avoid_with = serializers.SerializerMethodField(
        help_text="Health-screen conditions this exercise is left out for (condition slugs)."
    )
    avoid_reasons = serializers.SerializerMethodField(help_text="Condition slug -> why it is left out with it.")

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "name",
            "kind",
            "level",
            "muscles",
            "summary",
            "equipment",
            "instructions",
            "caution",
            "dose",
            "figure",
            "avoid_with",
            "avoid_reasons",
            "easier",
            "harder",
        ]

    def get_dose(self, exercise) -> DoseSerializer:
        return {"hold_seconds": exercise.hold_seconds, "repetitions": exercise.repetitions, "sides": exercise.sides}

    def get_avoid_with(self, exercise) -> list[str]:
        return [slug for slug in CONDITIONS if slug in exercise.avoid_with]

    def get_avoid_reasons(self, exercise) -> dict[str, str]:
        return {slug: exercise.avoid_with[slug] for slug in CONDITIONS if slug in exercise.avoid_with}


class DoseSuggestionSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["longer", "easier"])
    hold_seconds = serializers.IntegerField(allow_null=True)
    repetitions = serializers.IntegerField()
    reason = serializers.CharField()


class RoutineStepSerializer(serializers.ModelSerializer):
    """A step; with ``personal_doses`` in the context (a signed-in person's routine detail, from the
    provider named by settings.PERSONAL_DOSES), its dose is the person's own and a suggestion may follow."""

    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="exercise.name", read_only=True)
    kind = serializers.CharField(source="exercise.kind", read_only=True)
    dose = serializers.SerializerMethodField()
    dose_suggestion = serializers.SerializerMethodField()
    seconds = serializers.IntegerField(read_only=True)

    class Meta:
        model = RoutineStep
        fields = ["order", "exercise", "name", "kind", "dose", "dose_suggestion", "seconds", "note"]

    def _personal(self, step):
        return self.context.get("personal_doses", {}).get(step.pk)

    def get_dose(self, step) -> DoseSerializer:
        personal = self._personal(step)
        return personal["dose"] if personal else step.dose

    def get_dose_suggestion(self, step) -> DoseSuggestionSerializer(allow_null=True):
        personal = self._personal(step)
        return personal["suggestion"] if personal else None


class LeftOutSerializer(serializers.Serializer):
    exercise = serializers.SlugField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text='Condition slugs, or "advanced".')


class RoutineSerializer(serializers.ModelSerializer):
    estimated_minutes = serializers.IntegerField(read_only=True)
    muscles = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField(help_text="The steps you may be shown (see left_out).")
    left_out = serializers.SerializerMethodField(
        help_text="Exercises left out for you by your health screen, and why; empty when anonymous."
    )

    class Meta:
        model = Routine
        fields = ["slug", "name", "summary", "chain", "level", "estimated_minutes", "muscles", "steps", "left_out"]

    def _shown(self, routine):
        # One decision per routine and request: steps and left_out come from the same call.
        cache = self.context.setdefault("shown", {})
        if routine.pk not in cache:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                cache[routine.pk] = visible_steps_for(routine, user)
            else:
                # The API contract: anonymous callers read the whole catalog.
                cache[routine.pk] = visible_steps(routine, advanced_ack=True)
        return cache[routine.pk]

    def get_muscles(self, routine) -> list[str]:
        return [muscle.slug for muscle in routine.muscles]

    @extend_schema_field(RoutineStepSerializer(many=True))
    def get_steps(self, routine):
        return RoutineStepSerializer(self._shown(routine).steps, many=True, context=self.context).data

    @extend_schema_field(LeftOutSerializer(many=True))
    def get_left_out(self, routine):
        return [item.as_api() for item in self._shown(routine).left_out]


class ProgramDaySerializer(serializers.ModelSerializer):
    routine = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = ProgramDay
        fields = ["week", "day", "routine"]


class ProgramSerializer(serializers.ModelSerializer):
    days = ProgramDaySerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = ["slug", "name", "summary", "goal", "weeks", "days"]


class SelfCheckInputSerializer(serializers.Serializer):
    pelvis = serializers.ChoiceField(choices=PELVIS_CHOICES)
    causes = serializers.ListField(
        child=serializers.ChoiceField(choices=list(CAUSES)), required=False, default=list, max_length=len(CAUSES)
    )

    def validate_causes(self, value):
        # Keep the order in which the causes are listed, once each.
        return [cause for cause in CAUSES if cause in value]


class AdviceSerializer(serializers.Serializer):
    cause = serializers.CharField()
    title = serializers.CharField()
    advice = serializers.CharField()


class WarningTierSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["emergency", "urgent", "soon"])
    title = serializers.CharField()
    action = serializers.CharField()
    signs = serializers.ListField(child=serializers.CharField())


class WarningSignsSerializer(serializers.Serializer):
    tiers = WarningTierSerializer(many=True)


class SelfCheckResultSerializer(serializers.Serializer):
    pelvis = serializers.CharField()
    causes = serializers.ListField(child=serializers.CharField())
    chain = serializers.CharField()
    explanation = serializers.CharField()
    muscles = serializers.ListField(child=serializers.SlugField())
    routines = serializers.ListField(child=serializers.SlugField())
    program = serializers.SlugField(allow_null=True)
    advice = AdviceSerializer(many=True)
    warning_signs = serializers.ListField(
        child=serializers.CharField(), help_text="Every sign of warning_tiers, most urgent first."
    )
    warning_tiers = WarningTierSerializer(many=True)
    disclaimer = serializers.CharField()
