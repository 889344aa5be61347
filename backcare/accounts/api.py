"""/api/v1/auth/token/ (the profile is tracker/api/profile.py)."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .serializers import TokenSerializer


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
