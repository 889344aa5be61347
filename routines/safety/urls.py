"""Root-level safety pages: /warning-signs/ is linked from every footer and every email."""

from django.urls import path

from . import views

urlpatterns = [
    path("warning-signs/", views.warning_signs_page, name="warning-signs"),
    path("flare-up/", views.flare_up_page, name="flare-up"),
]
