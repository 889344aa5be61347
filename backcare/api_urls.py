from django.urls import include, path

urlpatterns = [
    path("", include("routines.api_urls")),
    path("", include("tracker.api_urls")),
    path("", include("backcare.accounts.api_urls")),
]
