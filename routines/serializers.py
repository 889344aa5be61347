from rest_framework import serializers

from .models import Exercise, Muscle, Program, ProgramDay, Routine, RoutineStep
from .selfcheck import CAUSES, PELVIS_CHOICES


class MuscleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Muscle
        fields = ["slug", "name", "chain", "summary", "location", "symptoms", "posture"]


class DoseSerializer(serializers.Serializer):
    hold_seconds = serializers.IntegerField(allow_null=True)
    repetitions = serializers.IntegerField()
    sides = serializers.CharField()


class ExerciseSerializer(serializers.ModelSerializer):
    muscles = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    instructions = serializers.ListField(source="steps", child=serializers.CharField(), read_only=True)
    dose = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = ["slug", "name", "kind", "muscles", "summary", "equipment", "instructions", "caution", "dose"]

    def get_dose(self, exercise) -> DoseSerializer:
        return {"hold_seconds": exercise.hold_seconds, "repetitions": exercise.repetitions, "sides": exercise.sides}


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


class RoutineSerializer(serializers.ModelSerializer):
    estimated_minutes = serializers.IntegerField(read_only=True)
    muscles = serializers.SerializerMethodField()
    steps = RoutineStepSerializer(many=True, read_only=True)

    class Meta:
        model = Routine
        fields = ["slug", "name", "summary", "chain", "level", "estimated_minutes", "muscles", "steps"]

    def get_muscles(self, routine) -> list[str]:
        return [muscle.slug for muscle in routine.muscles]


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


class SelfCheckResultSerializer(serializers.Serializer):
    pelvis = serializers.CharField()
    causes = serializers.ListField(child=serializers.CharField())
    chain = serializers.CharField()
    explanation = serializers.CharField()
    muscles = serializers.ListField(child=serializers.SlugField())
    routines = serializers.ListField(child=serializers.SlugField())
    program = serializers.SlugField(allow_null=True)
    advice = AdviceSerializer(many=True)
    warning_signs = serializers.ListField(child=serializers.CharField())
    disclaimer = serializers.CharField()
