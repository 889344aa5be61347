from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/token/", views.regenerate_token, name="profile-token"),
    path("verify/resend/", views.verify_email_resend, name="email-verify-resend"),
    path("verify/<str:token>/", views.verify_email, name="email-verify"),
    # Before Django's own, so that reset links are built from SITE_URL.
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
