import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from routines.safety.conditions import condition_name
from routines.selfcheck import CAUSES, assess
from tracker.logs import latest_self_check, profile_update

from .forms import HealthScreenForm, ProfileForm, QueuedPasswordResetForm, SignupForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("tracker:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Two authentication backends are configured, so login() must be told which one.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your time zone is {user.timezone}.")
        return redirect("tracker:dashboard")
    return render(request, "registration/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, with links built from SITE_URL rather than the request's Host header, sent by a task."""

    form_class = QueuedPasswordResetForm

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}


def api_token_for(user) -> Token:
    return Token.objects.get_or_create(user=user)[0]


def api_token_regenerate(*, user) -> Token:
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


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
            "token": api_token_for(user),
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


@login_required
@require_POST
def regenerate_token(request):
    api_token_regenerate(user=request.user)
    messages.success(request, "New API token created; the old one no longer works.")
    return redirect("profile")
