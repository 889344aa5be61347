"""/api/v1/insights/: what helps, for the signed-in user (PRODUCT.md §4.3, §4.5)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import insights
from ..models import PainFactor
from .progress import ERRORS, RangeQuerySerializer, _requested_range


class RoutineInsightSerializer(serializers.Serializer):
    routine = serializers.CharField(allow_null=True, help_text="Routine slug; null for free exercises.")
    name = serializers.CharField()
    sessions = serializers.IntegerField(help_text="Sessions with pain before and after.")
    average_drop = serializers.FloatField(help_text="Mean of pain before − after.")
    ci_low = serializers.FloatField(allow_null=True, help_text="95 % Student t interval; null below 5 sessions.")
    ci_high = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(help_text="What the figures say, in a sentence.")


class FactorInsightSerializer(serializers.Serializer):
    factor = serializers.ChoiceField(choices=PainFactor.choices)
    label = serializers.CharField()
    with_entries = serializers.IntegerField()
    without_entries = serializers.IntegerField()
    difference = serializers.FloatField(allow_null=True, help_text="Mean pain with − mean pain without.")
    ci_low = serializers.FloatField(allow_null=True, help_text="95 % Welch interval; null below 5 entries a side.")
    ci_high = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField()


class InsightsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    routines = RoutineInsightSerializer(many=True)
    factors = FactorInsightSerializer(many=True)
    ticked = serializers.BooleanField(help_text="Whether any pain entry of the range has a factor.")


class InsightsView(APIView):
    @extend_schema(
        parameters=[RangeQuerySerializer], responses={200: InsightsSerializer, **ERRORS}, summary="What helps"
    )
    def get(self, request):
        start, end = _requested_range(request)
        return Response(insights.insights(request.user, start=start, end=end))


urlpatterns = [path("insights/", InsightsView.as_view(), name="api-insights")]
