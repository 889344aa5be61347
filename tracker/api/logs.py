"""/api/v1/sessions/ and /api/v1/pain-entries/: the user's own logs, nobody else's."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from backcare.api import OwnedByUserMixin

from ..logs import (
    pain_entry_delete,
    pain_entry_log,
    pain_entry_update,
    session_delete,
    session_log,
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


@extend_schema_view(
    list=extend_schema(summary="List your sessions, newest first"),
    create=extend_schema(summary="Log a session"),
    retrieve=extend_schema(summary="Read one of your sessions"),
    update=extend_schema(summary="Replace one of your sessions"),
    partial_update=extend_schema(summary="Change some fields of one of your sessions"),
    destroy=extend_schema(summary="Delete one of your sessions"),
)
class SessionViewSet(OwnedByUserMixin, viewsets.ModelViewSet):
    queryset = Session.objects.select_related("routine")
    serializer_class = SessionSerializer
    filterset_class = SessionFilter

    def create_owned(self, serializer, *, user):
        return session_log(user=user, **serializer.validated_data)

    def update_owned(self, serializer, instance):
        return session_update(session=instance, **serializer.validated_data)

    def destroy_owned(self, instance):
        session_delete(session=instance)


@extend_schema_view(
    list=extend_schema(summary="List your pain entries, newest first"),
    create=extend_schema(summary="Check in your pain (one entry per date and context)"),
    retrieve=extend_schema(summary="Read one of your pain entries"),
    update=extend_schema(summary="Replace one of your pain entries"),
    partial_update=extend_schema(summary="Change some fields of one of your pain entries"),
    destroy=extend_schema(summary="Delete one of your pain entries"),
)
class PainEntryViewSet(OwnedByUserMixin, viewsets.ModelViewSet):
    queryset = PainEntry.objects.all()
    serializer_class = PainEntrySerializer
    filterset_class = PainEntryFilter

    def create_owned(self, serializer, *, user):
        return pain_entry_log(user=user, **serializer.validated_data)

    def update_owned(self, serializer, instance):
        return pain_entry_update(entry=instance, **serializer.validated_data)

    def destroy_owned(self, instance):
        pain_entry_delete(entry=instance)


router = SimpleRouter()
router.register("sessions", SessionViewSet, basename="session")
router.register("pain-entries", PainEntryViewSet, basename="pain-entry")

urlpatterns = router.urls
