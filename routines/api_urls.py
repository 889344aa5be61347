from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("muscles", api.MuscleViewSet, basename="muscle")
router.register("exercises", api.ExerciseViewSet, basename="exercise")
router.register("routines", api.RoutineViewSet, basename="routine")
router.register("programs", api.ProgramViewSet, basename="program")

urlpatterns = [
    path("self-check/", api.SelfCheckView.as_view(), name="self-check"),
    path("warning-signs/", api.WarningSignsView.as_view(), name="api-warning-signs"),
    *router.urls,
]
