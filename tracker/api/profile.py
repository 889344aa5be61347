"""/api/v1/profile/: your email, time zone, program and last self-check."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from backcare.api import validation_errors_as_400

from ..profile import profile_update
from ..serializers import ProfileSerializer


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


urlpatterns = [path("profile/", ProfileView.as_view(), name="api-profile")]
