"""/api/v1/push/key/ and /api/v1/push-subscriptions/: web push, the second reminder channel (PRODUCT.md §4.5)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from backcare.api import OwnedByUserMixin, validation_errors_as_400

from ..models import PushSubscription
from ..reminders import push
from ..reminders.subscriptions import MAX_ENDPOINT_LENGTH, push_subscribe, push_unsubscribe


class PushKeyView(APIView):
    """The VAPID public key a browser subscribes with (``applicationServerKey``)."""

    @extend_schema(
        summary="Read the server's VAPID public key",
        responses={
            200: inline_serializer(
                "PushKey", {"key": serializers.CharField(help_text="Base64url, uncompressed P-256.")}
            ),
            503: inline_serializer("PushOff", {"detail": serializers.CharField()}),
        },
    )
    def get(self, request):
        key = push.application_server_key()
        if key is None:
            return Response({"detail": push.OFF_REASON}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"key": key})


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200, help_text="The browser's P-256 public key, base64url.")
    auth = serializers.CharField(max_length=100, help_text="The browser's 16-byte authentication secret, base64url.")


class PushSubscriptionSerializer(serializers.ModelSerializer):
    endpoint = serializers.CharField(
        max_length=MAX_ENDPOINT_LENGTH, help_text="The push service's URL for this browser."
    )
    keys = PushKeysSerializer()

    class Meta:
        model = PushSubscription
        fields = ["id", "endpoint", "keys", "created_at"]
        read_only_fields = ["created_at"]

    def to_representation(self, subscription):
        return {
            "id": subscription.pk,
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            "created_at": serializers.DateTimeField().to_representation(subscription.created_at),
        }


@extend_schema_view(
    create=extend_schema(
        summary="Subscribe this browser to push reminders (the same endpoint again updates its row)",
        responses={200: PushSubscriptionSerializer, 201: PushSubscriptionSerializer},
    ),
    destroy=extend_schema(summary="Unsubscribe one of your browsers"),
)
class PushSubscriptionViewSet(
    OwnedByUserMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    queryset = PushSubscription.objects.all()
    serializer_class = PushSubscriptionSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with validation_errors_as_400():
            subscription, created = push_subscribe(user=request.user, endpoint=data["endpoint"], **data["keys"])
        return Response(
            PushSubscriptionSerializer(subscription).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def destroy_owned(self, instance):
        push_unsubscribe(subscription=instance)


router = SimpleRouter()
router.register("push-subscriptions", PushSubscriptionViewSet, basename="push-subscription")

urlpatterns = [path("push/key/", PushKeyView.as_view(), name="api-push-key"), *router.urls]
