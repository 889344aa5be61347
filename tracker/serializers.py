"""API shapes of the logs (PRODUCT.md §2) and of the profile. Validation here is for early field
messages; the rules and the saving live in tracker.logs and tracker.profile."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backcare.accounts.timezones import validate_timezone
from backcare.api import SlugRelatedField
from routines.models import Program, Routine
from routines.safety.conditions import CONDITIONS
from routines.selfcheck import PELVIS_CHOICES

from .logs import PAIN_ENTRY_FIELDS, SESSION_FIELDS, latest_self_check, validate_log_date
from .models import PainArea, PainEntry, PainFactor, PainSide, SelfCheck, Session


class ClientIdField(serializers.UUIDField):
    """A UUID in its text form only: DRF's own would also take an integer as a UUID."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class LogSerializer(serializers.ModelSerializer):
    client_id = ClientIdField(
        required=False,
        allow_null=True,
        help_text="A UUID the device chose for this log (an offline queue's resend): a second POST with the "
        "same one answers 200 with the first row and stores nothing new. Set on creation; a change ignores it.",
    )

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
        fields = ["id", *SESSION_FIELDS, "client_id"]


class PainEntrySerializer(LogSerializer):
    side = serializers.ChoiceField(
        choices=PainSide.choices,
        allow_blank=True,
        required=False,
        help_text="Which side hurts: left, right, both, center, or empty.",
    )
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=PainArea.choices),
        required=False,
        max_length=len(PainArea.values),
        help_text="Where it hurts: area slugs, each once.",
    )
    factors = serializers.ListField(
        child=serializers.ChoiceField(choices=PainFactor.choices),
        required=False,
        max_length=len(PainFactor.values),
        help_text="What the day held, for what helps: any of " + ", ".join(PainFactor.values) + ".",
    )

    class Meta:
        model = PainEntry
        fields = ["id", *PAIN_ENTRY_FIELDS, "client_id"]


class SelfCheckSerializer(serializers.ModelSerializer):
    # The self-check's own answers, so the schema names one pelvis choice set (the model's labels differ).
    pelvis = serializers.ChoiceField(choices=PELVIS_CHOICES, read_only=True)
    causes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = SelfCheck
        fields = ["date", "pelvis", "causes", "chain"]
        read_only_fields = fields


class ProfileSerializer(serializers.ModelSerializer):
    timezone = serializers.CharField(
        max_length=64, validators=[validate_timezone], help_text="An IANA time zone name, such as Europe/Paris."
    )
    program = SlugRelatedField(
        slug_field="slug",
        queryset=Program.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "Unknown program “{value}”: use a slug from /api/v1/programs/."},
        help_text="The program you follow (its slug), or null. Choosing one starts it today.",
    )
    self_check = serializers.SerializerMethodField(help_text="Your last saved self-check, or null.")
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(CONDITIONS)),
        max_length=len(CONDITIONS),
        required=False,
        help_text="Health-screen conditions that apply to you ([] means none of these); setting it marks you screened.",
    )
    advanced_ack = serializers.BooleanField(
        required=False, help_text="A clinician has shown you the advanced techniques: routines then include them."
    )

    class Meta:
        model = get_user_model()
        fields = [
            "username",
            "email",
            "email_verified",
            "timezone",
            "program",
            "program_started_on",
            "self_check",
            "conditions",
            "screened",
            "advanced_ack",
        ]
        read_only_fields = ["username", "email_verified", "program_started_on", "screened"]

    @extend_schema_field(SelfCheckSerializer(allow_null=True))
    def get_self_check(self, user):
        check = latest_self_check(user)
        return SelfCheckSerializer(check).data if check is not None else None
