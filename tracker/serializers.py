"""API shapes of the logs (PRODUCT.md §2). Validation here is for early field messages;
the rules and the saving live in tracker.logs."""

from rest_framework import serializers

from backcare.api import SlugRelatedField
from routines.models import Routine

from .logs import PAIN_ENTRY_FIELDS, SESSION_FIELDS, validate_log_date
from .models import PainEntry, PainFactor, SelfCheck, Session


class LogSerializer(serializers.ModelSerializer):
    def validate_date(self, value):
        current = self.instance.date if self.instance is not None else None
        validate_log_date(value, user=self.context["request"].user, current=current)
        return value


class SessionSerializer(LogSerializer):
    routine = SlugRelatedField(
        slug_field="slug",
        queryset=Routine.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "Unknown routine “{value}”: use a slug from /api/v1/routines/."},
        help_text="A routine's slug, or null for free exercises.",
    )

    class Meta:
        model = Session
        fields = ["id", *SESSION_FIELDS]


class PainEntrySerializer(LogSerializer):
    factors = serializers.ListField(
        child=serializers.ChoiceField(choices=PainFactor.choices),
        required=False,
        max_length=len(PainFactor.values),
        help_text="What the day held, for what helps: any of " + ", ".join(PainFactor.values) + ".",
    )

    class Meta:
        model = PainEntry
        fields = ["id", *PAIN_ENTRY_FIELDS]


class SelfCheckSerializer(serializers.ModelSerializer):
    causes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SelfCheck
        fields = ["date", "pelvis", "causes", "chain"]
        read_only_fields = fields
