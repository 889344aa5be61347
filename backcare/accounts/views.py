from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .forms import QueuedPasswordResetForm, SignupForm
from .limits import client_limited, signup_limited
from .tokens import api_token_regenerate
from .verification import LINK_MAX_AGE, email_verify, verification_send, verification_user


def signup(request):
    if request.user.is_authenticated:
        return redirect("tracker:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted once the form is fine, so typing mistakes never use up the rate.
        if signup_limited(request):
            return render(request, "registration/signup_limited.html", status=429)
        user = form.save()
        verification_send(user=user)
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

    def form_valid(self, form):
        # Past the rate, the same "check your email" page, so nobody learns anything from it.
        if client_limited(self.request, group="password-reset"):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def verify_email(request, token):
    """The link from the verification email: GET shows what would be confirmed, its button POSTs."""
    user = verification_user(token)
    if request.method == "POST" and user is not None:
        email_verify(user=user)
        return render(request, "accounts/verify_email_done.html", {"verify_user": user})
    return render(
        request,
        "accounts/verify_email.html",
        {"verify_user": user, "days": LINK_MAX_AGE.days},
        status=200 if user is not None else 400,
    )


@login_required
@require_POST
def verify_email_resend(request):
    user = request.user
    if user.email_verified:
        messages.info(request, f"{user.email} is already confirmed.")
    else:
        if not client_limited(request, group="verification"):
            verification_send(user=user)
        # The same message whether or not a limit held the link back.
        messages.success(
            request, f"We sent a confirmation link to {user.email}. It works for {LINK_MAX_AGE.days} days."
        )
    return redirect(reverse("profile") + "#email")


@login_required
@require_POST
def regenerate_token(request):
    api_token_regenerate(user=request.user)
    messages.success(request, "New API token created; the old one no longer works.")
    return redirect("profile")
