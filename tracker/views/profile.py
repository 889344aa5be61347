"""The profile page: email, time zone, program, the last self-check and the API token."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from rest_framework.authtoken.models import Token

from backcare.accounts.forms import ProfileForm
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
        },
    )


# Under /accounts/, without the tracker's namespace: the URL and its name are the ones the
# profile has always had.
urlpatterns = [path("profile/", profile, name="profile")]
