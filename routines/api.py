import django_filters
from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Chain, Exercise, Kind, Muscle, Program, Routine
from .safety import warning_signs
from .selfcheck import assess
from .serializers import (
    ExerciseSerializer,
    MuscleSerializer,
    ProgramSerializer,
    RoutineSerializer,
    SelfCheckInputSerializer,
    SelfCheckResultSerializer,
    WarningSignsSerializer,
)


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalog is public."""

    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    # The shape of a slug, as the pages' <slug:> converter: anything else is a 404 without a query.
    lookup_value_regex = "[-a-zA-Z0-9_]+"


class MuscleViewSet(CatalogViewSet):
    queryset = Muscle.objects.all()
    serializer_class = MuscleSerializer


class ExerciseFilter(django_filters.FilterSet):
    muscle = django_filters.CharFilter(field_name="muscles__slug", distinct=True)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Exercise
        fields = ["muscle", "kind"]


class ExerciseViewSet(CatalogViewSet):
    queryset = Exercise.objects.prefetch_related("muscles")
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter


class RoutineFilter(django_filters.FilterSet):
    chain = django_filters.ChoiceFilter(choices=Chain.choices)
    muscle = django_filters.CharFilter(method="filter_muscle")

    class Meta:
        model = Routine
        fields = ["chain", "muscle"]

    def filter_muscle(self, queryset, name, value):
        return queryset.for_muscle(value)


class RoutineViewSet(CatalogViewSet):
    """For a signed-in person, ``steps`` leaves out what their health screen rules out, listed in
    ``left_out``; anonymous callers get every step and an empty ``left_out``."""

    queryset = Routine.objects.with_steps()
    serializer_class = RoutineSerializer
    filterset_class = RoutineFilter

    def retrieve(self, request, *args, **kwargs):
        routine = self.get_object()
        context = self.get_serializer_context()
        if request.user.is_authenticated and settings.PERSONAL_DOSES:
            # The person's own doses come from the app that keeps them, named in the settings.
            context["personal_doses"] = import_string(settings.PERSONAL_DOSES)(user=request.user, routine=routine)
        return Response(self.get_serializer(routine, context=context).data)


class ProgramViewSet(CatalogViewSet):
    queryset = Program.objects.prefetch_related("days__routine")
    serializer_class = ProgramSerializer


class SelfCheckView(APIView):
    """Map posture and causes to a chain, muscles, routines, a program and advice. Public; saves nothing."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=SelfCheckInputSerializer, responses=SelfCheckResultSerializer)
    def post(self, request):
        answers = SelfCheckInputSerializer(data=request.data)
        answers.is_valid(raise_exception=True)
        result = assess(**answers.validated_data)
        return Response(SelfCheckResultSerializer(result.as_dict()).data)


class WarningSignsView(APIView):
    """The warning signs in three tiers (emergency, urgent, soon), each with what to do. Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=WarningSignsSerializer, summary="The warning signs that need a clinician")
    def get(self, request):
        return Response(WarningSignsSerializer(warning_signs.as_api()).data)
