"""The OpenAPI schema's view classes: drf-spectacular's, plus the errors DRF answers on its own.

Apart from backcare.api, which DRF imports while its generic views are still loading.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


class AutoSchema(openapi.AutoSchema):
    """Every status a client can receive, readable from the schema.

    400 for bad input, 401 for a missing or bad token (even on a public operation: a bad
    token is refused before anything else), 403 for a browser session that writes without
    its CSRF token, 404 for an id that is not yours or a page past the end, 415 for a body that
    cannot be read (a broken multipart body, say), 429 when throttled.
    A status a view documents itself keeps the view's description.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        view = self.view
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        errors = {}
        if (writes and self.method != "DELETE") or self._get_filter_parameters():
            errors["400"] = OpenApiResponse(OpenApiTypes.OBJECT, description="Bad input: messages per field.")
        if view.authentication_classes:
            errors["401"] = OpenApiResponse(ErrorSerializer, description="No credentials, or bad ones.")
        if writes and SessionAuthentication in view.authentication_classes:
            errors["403"] = OpenApiResponse(ErrorSerializer, description="A browser session without its CSRF token.")
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = OpenApiResponse(ErrorSerializer, description="Not one of yours, or a page past the end.")
        if writes and self.method != "DELETE":
            errors["415"] = OpenApiResponse(ErrorSerializer, description="A body in a media type that cannot be read.")
        if view.throttle_classes:
            errors["429"] = OpenApiResponse(ErrorSerializer, description="Too many requests: wait and try again.")
        return errors
