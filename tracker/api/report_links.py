"""/api/v1/report-links/: share links for the clinician report (PRODUCT.md §4.5)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from backcare.api import OwnedByUserMixin

from ..models import ReportLink
from ..report.figures import MAX_WEEKS, MIN_WEEKS
from ..report.links import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, report_link_create, report_link_revoke, share_url


class ReportLinkSerializer(serializers.ModelSerializer):
    weeks = serializers.IntegerField(min_value=MIN_WEEKS, max_value=MAX_WEEKS, help_text="Weeks in the report.")
    expires_in_days = serializers.IntegerField(
        min_value=MIN_DAYS, max_value=MAX_DAYS, default=DEFAULT_DAYS, write_only=True
    )
    url = serializers.SerializerMethodField(help_text="Opens the report without login until expires_at.")

    class Meta:
        model = ReportLink
        fields = ["id", "weeks", "expires_in_days", "url", "expires_at"]
        read_only_fields = ["expires_at"]

    def get_url(self, link) -> str:
        return share_url(link)


@extend_schema_view(
    list=extend_schema(summary="List your live report share links"),
    create=extend_schema(summary="Create a share link for the report of the last N weeks"),
    retrieve=extend_schema(summary="Read one of your share links"),
    destroy=extend_schema(summary="Revoke a share link: it answers 404 from then on"),
)
class ReportLinkViewSet(
    OwnedByUserMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ReportLink.objects.all()
    serializer_class = ReportLinkSerializer

    def create_owned(self, serializer, *, user):
        return report_link_create(user=user, **serializer.validated_data)

    def destroy_owned(self, instance):
        report_link_revoke(link=instance)


router = SimpleRouter()
router.register("report-links", ReportLinkViewSet, basename="report-link")

urlpatterns = router.urls
