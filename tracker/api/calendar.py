"""/api/v1/calendar/ and /api/v1/calendar/reset/: the secret URL of the calendar feed (PRODUCT.md §4.5)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..calendar_feed import calendar_feed_for, calendar_feed_reset, calendar_feed_url

CalendarUrl = inline_serializer(
    "CalendarFeed", {"url": serializers.URLField(help_text="The secret .ics feed: anyone with it can read your plan.")}
)


class CalendarView(APIView):
    @extend_schema(summary="Read the secret URL of your calendar feed (made on first use)", responses=CalendarUrl)
    def get(self, request):
        return Response({"url": calendar_feed_url(calendar_feed_for(request.user))})


class CalendarResetView(APIView):
    @extend_schema(summary="Make a new calendar feed URL; the old one answers 404", request=None, responses=CalendarUrl)
    def post(self, request):
        return Response({"url": calendar_feed_url(calendar_feed_reset(user=request.user))})


urlpatterns = [
    path("calendar/", CalendarView.as_view(), name="api-calendar"),
    path("calendar/reset/", CalendarResetView.as_view(), name="api-calendar-reset"),
]
