"""Done from the email: a reminder's pain link, confirmed without logging in.

GET shows what will be logged and changes nothing (mail scanners follow every link in an
email); the button POSTs and logs the session once (tracker.done_links).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from backcare.accounts.limits import done_link_limited

from ..done_links import LinkError, link_routine, link_user, log_from_link, logged_session, read_done_token
from ..progress import pain_warning

TEMPLATE = "tracker/done_link.html"


@never_cache
@require_http_methods(["GET", "POST"])
def done_link(request, token):
    if done_link_limited(request):
        return render(request, "tracker/done_link_invalid.html", {"message": "Too many tries from here."}, status=429)
    try:
        link = read_done_token(token)
        user = link_user(link)
        routine = link_routine(link)
    except LinkError as error:
        return render(request, "tracker/done_link_invalid.html", {"message": error.message}, status=error.status)
    context = {"link": link, "person": user, "routine": routine}
    if request.method == "POST":
        try:
            session, logged = log_from_link(link=link, user=user, routine=routine)
        except ValidationError as error:
            # The rules of a log refuse it (a date in the future since a change of time zone, say).
            message = " ".join(error.messages)
            return render(request, "tracker/done_link_invalid.html", {"message": message}, status=400)
    else:
        session, logged = logged_session(link), False
    if session is None:
        return render(request, TEMPLATE, {**context, "state": "confirm"})
    # Health advice wherever a person reports pain: the warning from the one source, for the link's person,
    # judged on the days ending today (the score says how the back is now) and, for a link a few days
    # old, on the days ending the session's own date, where its score is stored.
    warning = pain_warning(user) or pain_warning(user, end=link.date)
    state = "logged" if logged else "already"
    return render(request, TEMPLATE, {**context, "state": state, "session": session, "warning": warning})


urlpatterns = [path("done/<str:token>/", done_link, name="done-link")]
