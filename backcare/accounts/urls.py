from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.regenerate_token, name="profile-token"),
    path("health-screen/", views.health_screen, name="health-screen"),
    # Before Django's own, so that reset links are built from SITE_URL.
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
