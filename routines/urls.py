from django.urls import path

from . import views

app_name = "routines"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("self-check/", views.self_check, name="self-check"),
    path("muscles/<slug:slug>/", views.muscle_detail, name="muscle"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
    path("programs/<slug:slug>/", views.program_detail, name="program"),
    path("<slug:slug>/", views.routine_detail, name="routine"),
]
