"""/api/v1/reminders/: the signed-in user's reminder schedule, created (off) on first access."""

import datetime

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from backcare.accounts.timezones import validate_timezone
from backcare.api import validation_errors_as_400

from ..models import Channel
from ..reminders.schedule import schedule_for, schedule_update


@extend_schema_field({"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "07:30"})
class ClockTimeField(serializers.TimeField):
    """A wall-clock time as "HH:MM", in and out."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


@extend_schema_field(
    {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 6}, "maxItems": 7, "uniqueItems": True}
)
class WeekdaysField(serializers.ListField):
    """Weekday numbers, 0 = Monday … 6 = Sunday, each at most once."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(min_value=0, max_value=6), allow_empty=True, **kwargs)

    def to_internal_value(self, data):
        days = super().to_internal_value(data)
        if len(set(days)) != len(days):
            raise serializers.ValidationError("Each weekday may appear only once.")
        return sorted(days)


class ReminderScheduleSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    time = ClockTimeField(help_text="Local time of day, HH:MM.")
    timezone = serializers.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text="Your one IANA time zone, such as Europe/Paris; the same as the profile's.",
    )
    weekdays = WeekdaysField(help_text="0 = Monday … 6 = Sunday; empty means every day.")
    skip_if_done = serializers.BooleanField(help_text="No reminder on a local day with a session already logged.")
    weekly_report = serializers.BooleanField(
        required=False, help_text="Also email a weekly report, at the reminder time, even with reminders off."
    )
    weekly_report_day = serializers.IntegerField(
        required=False, min_value=0, max_value=6, help_text="The weekly report's day: 0 = Monday … 6 = Sunday."
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices),
        min_length=1,
        max_length=len(Channel.values),
        required=False,  # added after PUT clients existed: left out, the current channels stay
        help_text="Where reminders go: email, push (this account's subscribed browsers), or both.",
    )
    next_due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        default_timezone=datetime.UTC,
        help_text="The next reminder or weekly report, in UTC; null while both are off.",
    )

    def to_representation(self, schedule):
        return {
            "enabled": schedule.enabled,
            "time": self.fields["time"].to_representation(schedule.time),
            "timezone": schedule.user.timezone,
            "weekdays": schedule.weekday_list,
            "skip_if_done": schedule.skip_if_done,
            "weekly_report": schedule.weekly_report,
            "weekly_report_day": schedule.weekly_report_day,
            "channels": list(schedule.channels),
            "next_due_at": self.fields["next_due_at"].to_representation(schedule.next_due_at)
            if schedule.next_due_at
            else None,
        }


class ReminderScheduleView(APIView):
    """Your reminders: whether, when, on which days, by email or push, whether to skip a day already done,
    and the weekly report."""

    serializer_class = ReminderScheduleSerializer

    def _current(self, schedule) -> dict:
        return {
            "enabled": schedule.enabled,
            "time": schedule.time,
            "timezone": schedule.user.timezone,
            "weekdays": schedule.weekday_list,
            "skip_if_done": schedule.skip_if_done,
            "weekly_report": schedule.weekly_report,
            "weekly_report_day": schedule.weekly_report_day,
            "channels": list(schedule.channels),
        }

    def _update(self, request, *, partial):
        schedule = schedule_for(request.user)
        serializer = ReminderScheduleSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with validation_errors_as_400():
            schedule = schedule_update(user=request.user, **{**self._current(schedule), **serializer.validated_data})
        return Response(ReminderScheduleSerializer(schedule).data)

    @extend_schema(responses=ReminderScheduleSerializer, summary="Read your reminder schedule")
    def get(self, request):
        return Response(ReminderScheduleSerializer(schedule_for(request.user)).data)

    @extend_schema(
        request=ReminderScheduleSerializer,
        responses=ReminderScheduleSerializer,
        summary="Replace your reminder schedule",
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        request=ReminderScheduleSerializer,
        responses=ReminderScheduleSerializer,
        summary="Change some of your reminder settings",
    )
    def patch(self, request):
        return self._update(request, partial=True)


urlpatterns = [
    path("reminders/", ReminderScheduleView.as_view(), name="api-reminders"),
]
