"""The profile page: email, time zone, program, the last self-check and the API token."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.authtoken.models import Token

from backcare.accounts.forms import HealthScreenForm, ProfileForm
from routines.safety.conditions import condition_name
from routines.selfcheck import CAUSES, assess

from ..logs import latest_self_check
from ..profile import profile_update


@login_required
def profile(request):
    user = request.user
    # The form validates a copy, so a refused change never shows as if it were saved.
    form = ProfileForm(request.POST or None, instance=copy.copy(user))
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("profile")
    check = latest_self_check(user)
    result = assess(pelvis=check.pelvis, causes=check.causes) if check else None
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "self_check": check,
            "self_check_result": result,
            "cause_titles": [CAUSES[cause][0] for cause in check.causes if cause in CAUSES] if check else [],
            # None after a password change, which ends the token: the page then offers a new one.
            "token": Token.objects.filter(user=user).first(),
            "screen_form": health_screen_form(user),
            "condition_names": [condition_name(slug) for slug in user.conditions],
        },
    )


def health_screen_form(user, data=None) -> HealthScreenForm:
    initial = {"conditions": user.conditions, "none": user.screened and not user.conditions}
    return HealthScreenForm(data, initial={**initial, "advanced_ack": user.advanced_ack})


@login_required
def health_screen(request):
    """Asked before the first guided routine, and editable at any time (also from the profile)."""
    user = request.user
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    form = health_screen_form(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        profile_update(
            user=user, conditions=form.cleaned_data["conditions"], advanced_ack=form.cleaned_data["advanced_ack"]
        )
        messages.success(request, "Health screen saved. Your routines now leave out what is not safe for you.")
        return redirect(target or "profile")
    return render(request, "accounts/health_screen.html", {"form": form, "next": target})


# Under /accounts/, without the tracker's namespace: the URL and its name are the ones the
# profile has always had.
urlpatterns = [
    path("profile/", profile, name="profile"),
    path("health-screen/", health_screen, name="health-screen"),
]
