"""The calendar feed's pages: the anonymous ``.ics`` (its key is the secret) and the profile's reset button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from rest_framework.throttling import AnonRateThrottle

from ..calendar_feed import calendar_feed_reset, calendar_ics, user_for_calendar_key


class FeedThrottle(AnonRateThrottle):
    """The API's anonymous throttle (API_THROTTLE_ANON per client address, the same counter), whoever
    is signed in: calendar apps never are, and the key in the URL is what a guesser would be after."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@require_GET
def calendar_feed(request, key):
    """Answered to calendar apps, without a login: the key is the secret."""
    throttle = FeedThrottle()
    if not throttle.allow_request(request, None):
        response = HttpResponse("Too many requests.", status=429, content_type="text/plain")
        response["Retry-After"] = str(int(throttle.wait() or 1))
        return response
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
    path("calendar/<str:key>.ics", calendar_feed, name="calendar-feed"),
    path("calendar/reset/", calendar_reset, name="calendar-reset"),
]
