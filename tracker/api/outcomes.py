"""/api/v1/outcomes/ and /api/v1/day-marks/: the person's own outcomes and marked days (PRODUCT.md §4.5)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from backcare.api import OwnedByUserMixin

from ..daymarks import day_mark_delete, day_mark_set
from ..models import PAIN_MAX, PAIN_MIN, PSFS_ACTIVITY_MAX_LENGTH, PSFS_MAX_ROWS, PSFS_MIN_ROWS, DayMark, Outcome
from ..outcomes.records import OUTCOME_FIELDS, outcome_delete, outcome_log, outcome_update
from .logs import DateRangeFilterSet


class PsfsRowSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=PSFS_ACTIVITY_MAX_LENGTH, help_text="An activity you named.")
    score = serializers.IntegerField(
        min_value=PAIN_MIN, max_value=PAIN_MAX, help_text="0 = unable to do it, 10 = as before the pain."
    )


class OutcomeSerializer(serializers.ModelSerializer):
    psfs = PsfsRowSerializer(many=True, min_length=PSFS_MIN_ROWS, max_length=PSFS_MAX_ROWS)
    psfs_score = serializers.FloatField(read_only=True, help_text="The mean of the PSFS scores.")

    class Meta:
        model = Outcome
        fields = ["id", *OUTCOME_FIELDS, "psfs_score"]


class OutcomeFilter(DateRangeFilterSet):
    class Meta:
        model = Outcome
        fields = ["start", "end"]


@extend_schema_view(
    list=extend_schema(summary="List your outcomes, newest first"),
    create=extend_schema(summary="Record walking and standing tolerance and your PSFS"),
    retrieve=extend_schema(summary="Read one of your outcomes"),
    update=extend_schema(summary="Replace one of your outcomes"),
    partial_update=extend_schema(summary="Change some fields of one of your outcomes"),
    destroy=extend_schema(summary="Delete one of your outcomes"),
)
class OutcomeViewSet(OwnedByUserMixin, viewsets.ModelViewSet):
    queryset = Outcome.objects.all()
    serializer_class = OutcomeSerializer
    filterset_class = OutcomeFilter

    def create_owned(self, serializer, *, user):
        return outcome_log(user=user, **serializer.validated_data)

    def update_owned(self, serializer, instance):
        return outcome_update(outcome=instance, **serializer.validated_data)

    def destroy_owned(self, instance):
        outcome_delete(outcome=instance)


class DayMarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = DayMark
        fields = ["id", "date", "kind"]
        # One mark per date is checked by day_mark_set, with the same message as the page's.
        validators = []


class DayMarkFilter(DateRangeFilterSet):
    class Meta:
        model = DayMark
        fields = ["start", "end"]


@extend_schema_view(
    list=extend_schema(summary="List your marked days (rest, flare, away), newest first"),
    create=extend_schema(summary="Mark a day: one mark per date"),
    retrieve=extend_schema(summary="Read one of your marked days"),
    destroy=extend_schema(summary="Remove a mark"),
)
class DayMarkViewSet(
    OwnedByUserMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = DayMark.objects.all()
    serializer_class = DayMarkSerializer
    filterset_class = DayMarkFilter

    def create_owned(self, serializer, *, user):
        return day_mark_set(user=user, **serializer.validated_data)

    def destroy_owned(self, instance):
        day_mark_delete(mark=instance)


router = SimpleRouter()
router.register("outcomes", OutcomeViewSet, basename="outcome")
router.register("day-marks", DayMarkViewSet, basename="day-mark")

urlpatterns = router.urls
