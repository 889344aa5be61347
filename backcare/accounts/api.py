"""/api/v1/auth/token/ and /api/v1/profile/."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from backcare.api import validation_errors_as_400
from tracker.logs import profile_update

from .serializers import ProfileSerializer, TokenSerializer


class TokenView(ObtainAuthToken):
    """Trade a username and password for the account's API token (the same one until regenerated)."""

    # No session authentication here: a script has no CSRF token, and needs none to log in.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    # DRF's view takes forms too; the API takes JSON only, like every other operation.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenSerializer},
        auth=[],
        summary="Get your API token",
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class ProfileView(generics.RetrieveUpdateAPIView):
    """Your account: email, time zone, the program you follow and your last self-check."""

    serializer_class = ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        with validation_errors_as_400():
            profile_update(user=serializer.instance, **serializer.validated_data)

    @extend_schema(summary="Read your profile")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Change your email, time zone or program")
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)
