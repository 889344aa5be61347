"""/api/v1/sessions/ and /api/v1/pain-entries/: the user's own logs, nobody else's."""

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from backcare.api import OwnedByUserMixin, validation_errors_as_400

from ..logs import (
    pain_entry_delete,
    pain_entry_log_once,
    pain_entry_update,
    session_delete,
    session_log_once,
    session_update,
)
from ..models import PainContext, PainEntry, Session
from ..serializers import PainEntrySerializer, SessionSerializer


class DateRangeFilterSet(django_filters.FilterSet):
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From this local date (inclusive).")
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Up to this local date (inclusive).")


class SessionFilter(DateRangeFilterSet):
    routine = django_filters.CharFilter(field_name="routine__slug", label="A routine's slug.")

    class Meta:
        model = Session
        fields = ["start", "end", "routine"]


class PainEntryFilter(DateRangeFilterSet):
    context = django_filters.ChoiceFilter(choices=PainContext.choices)

    class Meta:
        model = PainEntry
        fields = ["start", "end", "context"]


class LogOnceMixin:
    """A create whose ``client_id`` this user already sent answers 200 with the first row, not 201.

    ``log_once(validated_data, user=...)`` returns (row, created); tracker.logs holds the rule.
    """

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with validation_errors_as_400():
            row, created = self.log_once(serializer.validated_data, user=request.user)
        data = self.get_serializer(row).data
        if not created:
            return Response(data, status=status.HTTP_200_OK)
        return Response(data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data))

    def perform_update(self, serializer):
        serializer.validated_data.pop("client_id", None)  # the device's name for the row, fixed at creation
        super().perform_update(serializer)


def _create_schema(summary, serializer):
    return extend_schema(
        summary=summary,
        responses={
            201: serializer,
            200: OpenApiResponse(serializer, description="This client_id was already used: the first row."),
        },
    )


@extend_schema_view(
    list=extend_schema(summary="List your sessions, newest first"),
    create=_create_schema("Log a session", SessionSerializer),
    retrieve=extend_schema(summary="Read one of your sessions"),
    update=extend_schema(summary="Replace one of your sessions"),
    partial_update=extend_schema(summary="Change some fields of one of your sessions"),
    destroy=extend_schema(summary="Delete one of your sessions"),
)
class SessionViewSet(LogOnceMixin, OwnedByUserMixin, viewsets.ModelViewSet):
    queryset = Session.objects.select_related("routine")
    serializer_class = SessionSerializer
    filterset_class = SessionFilter

    def log_once(self, data, *, user):
        return session_log_once(user=user, **data)

    def update_owned(self, serializer, instance):
        return session_update(session=instance, **serializer.validated_data)

    def destroy_owned(self, instance):
        session_delete(session=instance)


@extend_schema_view(
    list=extend_schema(summary="List your pain entries, newest first"),
    create=_create_schema("Check in your pain (one entry per date and context)", PainEntrySerializer),
    retrieve=extend_schema(summary="Read one of your pain entries"),
    update=extend_schema(summary="Replace one of your pain entries"),
    partial_update=extend_schema(summary="Change some fields of one of your pain entries"),
    destroy=extend_schema(summary="Delete one of your pain entries"),
)
class PainEntryViewSet(LogOnceMixin, OwnedByUserMixin, viewsets.ModelViewSet):
    queryset = PainEntry.objects.all()
    serializer_class = PainEntrySerializer
    filterset_class = PainEntryFilter

    def log_once(self, data, *, user):
        return pain_entry_log_once(user=user, **data)

    def update_owned(self, serializer, instance):
        return pain_entry_update(entry=instance, **serializer.validated_data)

    def destroy_owned(self, instance):
        pain_entry_delete(entry=instance)


router = SimpleRouter()
router.register("sessions", SessionViewSet, basename="session")
router.register("pain-entries", PainEntryViewSet, basename="pain-entry")

urlpatterns = router.urls
