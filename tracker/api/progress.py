"""Progress figures, the daily series and the data export, for the signed-in user only
(token or session; the default permission answers 401 without credentials)."""

from django.http import StreamingHttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from routines.models import Chain

from .. import export, progress
from ..models import PainArea, PainSide

# --- Input ------------------------------------------------------------------------


class RangeQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First local date (default: 29 days before end).")
    end = serializers.DateField(required=False, help_text="Last local date (default: today in your time zone).")

    def validate(self, attrs):
        try:
            start, end = progress.resolve_range(self.context["user"], attrs.get("start"), attrs.get("end"))
        except progress.RangeError as error:
            raise serializers.ValidationError({error.field: [error.message]}) from error
        return {"start": start, "end": end}


def _requested_range(request):
    """The validated (start, end); an empty parameter counts as not given."""
    data = {name: value for name in ("start", "end") if (value := request.query_params.get(name))}
    query = RangeQuerySerializer(data=data, context={"user": request.user})
    query.is_valid(raise_exception=True)
    return query.validated_data["start"], query.validated_data["end"]


# --- Output (the schema of what tracker.progress returns) ----------------------------


class PainAreaSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=PainArea.choices)
    side = serializers.ChoiceField(choices=PainSide.choices, allow_blank=True, help_text="Empty: not said.")
    entries = serializers.IntegerField()
    average = serializers.FloatField(help_text="Mean score of those entries.")


class PainSerializer(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    first_week_average = serializers.FloatField(allow_null=True)
    last_week_average = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="last − first; negative means better.")
    by_area = PainAreaSerializer(many=True, help_text="Pain entries in the range by area and side.")


class ReliefSerializer(serializers.Serializer):
    average_drop = serializers.FloatField(allow_null=True, help_text="Mean of pain before − after.")


class BreakdownSerializer(serializers.Serializer):
    name = serializers.CharField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()
    average_drop = serializers.FloatField(allow_null=True)
    average_before = serializers.FloatField(allow_null=True)
    average_after = serializers.FloatField(allow_null=True)


class RoutineBreakdownSerializer(BreakdownSerializer):
    routine = serializers.CharField(allow_null=True, help_text="Routine slug; null for free exercises.")


class MuscleBreakdownSerializer(BreakdownSerializer):
    muscle = serializers.CharField(help_text="Muscle slug.")


class ChainBreakdownSerializer(BreakdownSerializer):
    chain = serializers.ChoiceField(choices=Chain.choices)


class PainWarningSerializer(serializers.Serializer):
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=list(progress.WARNING_REASONS)),
        help_text="Why the warning signs show, judged on the 7 days ending `end` (3 for high-score).",
    )
    messages = serializers.ListField(child=serializers.CharField(), help_text="One sentence per reason.")


class OutcomeChangeSerializer(serializers.Serializer):
    first = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="latest − first.")
    meaningful = serializers.BooleanField(allow_null=True, help_text="Past the threshold of PRODUCT.md §4.3.")


class OutcomeChangesSerializer(serializers.Serializer):
    """Over the outcomes dated in the range; every field null with fewer than two."""

    walking_minutes = OutcomeChangeSerializer()
    standing_minutes = OutcomeChangeSerializer()
    psfs = OutcomeChangeSerializer(help_text="The PSFS mean.")


class ProgressSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()
    active_days = serializers.IntegerField()
    current_streak = serializers.IntegerField()
    longest_streak = serializers.IntegerField()
    adherence = serializers.FloatField(allow_null=True, help_text="0–1; null when the range has no planned day.")
    habit_strength = serializers.FloatField(help_text="0–1.")
    marked_days = serializers.IntegerField(help_text="Days in the range marked rest, flare or away.")
    pain = PainSerializer()
    relief = ReliefSerializer()
    by_routine = RoutineBreakdownSerializer(many=True)
    by_muscle = MuscleBreakdownSerializer(many=True)
    by_chain = ChainBreakdownSerializer(many=True)
    outcomes = OutcomeChangesSerializer()
    warning = PainWarningSerializer(allow_null=True, help_text="null, or why to check the warning signs.")


class DailyRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()
    pain_average = serializers.FloatField(allow_null=True)


class ExportRecordSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["session", "pain", "self_check", "day_mark", "outcome"])
    id = serializers.IntegerField()
    date = serializers.DateField()
    routine = serializers.CharField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(required=False)
    steps_completed = serializers.IntegerField(required=False, allow_null=True)
    pain_before = serializers.IntegerField(required=False, allow_null=True)
    pain_after = serializers.IntegerField(required=False, allow_null=True)
    side = serializers.CharField(required=False)
    score = serializers.IntegerField(required=False)
    context = serializers.CharField(required=False)
    areas = serializers.ListField(child=serializers.CharField(), required=False, help_text="Pain entries only.")
    pelvis = serializers.CharField(required=False, help_text="Self-checks only.")
    causes = serializers.ListField(child=serializers.CharField(), required=False, help_text="Self-checks only.")
    chain = serializers.CharField(required=False, help_text="Self-checks only.")
    notes = serializers.CharField(required=False)
    factors = serializers.ListField(child=serializers.CharField(), required=False, help_text="Pain entries only.")
    kind = serializers.CharField(required=False, help_text="Marked days only: rest, flare or away.")
    walking_minutes = serializers.IntegerField(required=False, help_text="Outcomes only.")
    standing_minutes = serializers.IntegerField(required=False, help_text="Outcomes only.")
    psfs = serializers.ListField(child=serializers.DictField(), required=False, help_text="Outcomes only.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(required=False)


ERRORS = {
    400: OpenApiResponse(description="A bad or impossible date: a message per field."),
    401: OpenApiResponse(description="No or bad credentials."),
}


# --- Views -----------------------------------------------------------------------


class ProgressView(APIView):
    @extend_schema(
        parameters=[RangeQuerySerializer], responses={200: ProgressSerializer, **ERRORS}, summary="Progress figures"
    )
    def get(self, request):
        start, end = _requested_range(request)
        # The dict already has the documented shape; a serializer pass would only cost time.
        figures = progress.summary(request.user, start=start, end=end)
        warning = progress.pain_warning(request.user, end=end)
        figures["warning"] = warning.as_api() if warning else None
        return Response(figures)


class DailyView(APIView):
    @extend_schema(
        parameters=[RangeQuerySerializer],
        responses={200: DailyRowSerializer(many=True), **ERRORS},
        summary="Daily series",
    )
    def get(self, request):
        start, end = _requested_range(request)
        return Response(progress.daily(request.user, start=start, end=end))


class ExportFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(export.CONTENT_TYPES))


class FormatIsTheFileType(DefaultContentNegotiation):
    """Here ``?format=`` names the file to download, not a renderer; errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsTheFileType

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "json"], required=True)],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per record, `type` column."),
            (200, "application/json"): ExportRecordSerializer(many=True),
            400: OpenApiResponse(description="An unknown format."),
            401: ERRORS[401],
        },
        operation_id="v1_export_retrieve",
        summary="Export every session and pain entry",
    )
    def get(self, request):
        choice = ExportFormatSerializer(data={"format": request.query_params.get("format", "")})
        choice.is_valid(raise_exception=True)
        kind = choice.validated_data["format"]
        response = StreamingHttpResponse(
            export.export_chunks(request.user, format=kind), content_type=export.CONTENT_TYPES[kind]
        )
        filename = export.export_filename(request.user, format=kind)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("progress/", ProgressView.as_view(), name="api-progress"),
    path("progress/daily/", DailyView.as_view(), name="api-progress-daily"),
    path("export/", ExportView.as_view(), name="api-export"),
]
