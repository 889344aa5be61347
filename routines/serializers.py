from rest_framework import serializers

from .models import Exercise, Muscle, Program, ProgramDay, Routine, RoutineStep
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

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "name",
            "kind",
            "muscles",
            "summary",
            "equipment",
            "instructions",
            "caution",
            "dose",
            "figure",
        ]

    def get_dose(self, exercise) -> DoseSerializer:
        return {"hold_seconds": exercise.hold_seconds, "repetitions": exercise.repetitions, "sides": exercise.sides}


class RoutineStepSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="exercise.name", read_only=True)
    kind = serializers.CharField(source="exercise.kind", read_only=True)
    dose = DoseSerializer(read_only=True)
    seconds = serializers.IntegerField(read_only=True)

    class Meta:
        model = RoutineStep
        fields = ["order", "exercise", "name", "kind", "dose", "seconds", "note"]


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
