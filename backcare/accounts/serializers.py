from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backcare.api import SlugRelatedField
from routines.models import Program
from routines.safety.conditions import CONDITIONS
from tracker.logs import latest_self_check
from tracker.serializers import SelfCheckSerializer

from .timezones import validate_timezone


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send it as `Authorization: Token <token>`.")


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
            "timezone",
            "program",
            "program_started_on",
            "self_check",
            "conditions",
            "screened",
            "advanced_ack",
        ]
        read_only_fields = ["username", "program_started_on", "screened"]

    @extend_schema_field(SelfCheckSerializer(allow_null=True))
    def get_self_check(self, user):
        check = latest_self_check(user)
        return SelfCheckSerializer(check).data if check is not None else None
