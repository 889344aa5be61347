"""Accepting or declining a dose suggestion (tracker.dose), from the player or the routine page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from routines.models import Routine

from ..dose import dose_accept, dose_decline


def _back(request, routine):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("tracker:player", routine.slug)


@login_required
@require_POST
def dose_answer(request, routine_slug, exercise_slug, answer):
    routine = get_object_or_404(Routine.objects.with_steps(), slug=routine_slug)
    step = next((step for step in routine.steps.all() if step.exercise.slug == exercise_slug), None)
    if step is None:
        return redirect("tracker:player", routine.slug)
    decide = dose_accept if answer == "accept" else dose_decline
    try:
        decide(user=request.user, routine=routine, exercise=step.exercise)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        what = "New dose saved" if answer == "accept" else "Dose kept as it is"
        messages.success(request, f"{what} for {step.exercise.name}.")
    return _back(request, routine)


urlpatterns = [
    path(
        "dose/<slug:routine_slug>/<slug:exercise_slug>/accept/", dose_answer, {"answer": "accept"}, name="dose-accept"
    ),
    path(
        "dose/<slug:routine_slug>/<slug:exercise_slug>/decline/",
        dose_answer,
        {"answer": "decline"},
        name="dose-decline",
    ),
]
