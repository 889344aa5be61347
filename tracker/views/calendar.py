"""The calendar feed's pages: the anonymous ``.ics`` (its key is the secret) and the profile's reset button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from ..calendar_feed import calendar_feed_reset, calendar_ics, user_for_calendar_key


@extend_schema(exclude=True)  # a calendar file, not part of the JSON API
class CalendarFeedView(APIView):
    """Answered to calendar apps, which never log in: no session, no token, and the API's
    anonymous throttle (API_THROTTLE_ANON per client address) like every anonymous endpoint."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, key):
        user = user_for_calendar_key(key)
        if user is None:
            raise Http404("No such calendar.")
        response = HttpResponse(calendar_ics(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="backcare.ics"'
        # The feed is someone's plan behind a secret URL: no shared cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response


@login_required
@require_POST
def calendar_reset(request):
    calendar_feed_reset(user=request.user)
    messages.success(request, "New calendar link made: the old one no longer works. Subscribe again with this one.")
    back = reverse("tracker:reminders") if request.POST.get("next") == "reminders" else reverse("profile")
    return redirect(f"{back}#calendar")


urlpatterns = [
    path("calendar/<str:key>.ics", CalendarFeedView.as_view(), name="calendar-feed"),
    path("calendar/reset/", calendar_reset, name="calendar-reset"),
]
