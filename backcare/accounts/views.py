from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import QueuedPasswordResetForm, SignupForm
from .tokens import api_token_regenerate


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


@login_required
@require_POST
def regenerate_token(request):
    api_token_regenerate(user=request.user)
    messages.success(request, "New API token created; the old one no longer works.")
    return redirect("profile")
