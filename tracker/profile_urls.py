"""The profile page at /accounts/profile/, named "profile" as it always was (no namespace)."""

from .views import profile

urlpatterns = profile.urlpatterns
