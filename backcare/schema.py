"""The OpenAPI schema's view classes: drf-spectacular's, plus the errors DRF answers on its own.

Apart from backcare.api, which DRF imports while its generic views are still loading.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


# What DRF answers for bad input: a list of messages per field, `non_field_errors` for a rule
# across fields, or `detail` alone for a body that is not JSON at all. A nested field holds
# its own object (a list's items by index), so a field's value is left open.
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": "Bad input: for each field that was refused, its messages.",
        "properties": {
            "detail": {"type": "string", "description": "The body as a whole was refused (not JSON, say)."},
            "non_field_errors": {
                "type": "array",
                "items": {"type": "string"},
                "description": "A rule about several fields together.",
            },
        },
        "additionalProperties": {
            "description": "A field's messages: a list of strings, or for a nested field an object of the same shape."
        },
    },
)


class AutoSchema(openapi.AutoSchema):
    """Every status a client can receive, readable from the schema, each with its body.

    400 for bad input, 401 for a missing or bad token (even on a public operation: a bad
    token is refused before anything else), 403 for a browser session that writes without
    its CSRF token, 404 for an id that is not yours or a page past the end, 415 for a body
    that is not JSON, 429 when throttled.
    A status a view documents itself keeps the view's description, and gets the error body
    here when the view gave none.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        bodies = self._error_bodies()
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(bodies[code], code, direction=direction)
        for code, response in responses.items():
            if code in bodies and "content" not in response:
                response["content"] = self._get_response_for_code(bodies[code], code, direction=direction)["content"]
        return responses

    def _error_bodies(self) -> dict[str, OpenApiResponse]:
        self.registry.register_on_missing(VALIDATION_ERROR)
        return {
            "400": OpenApiResponse(VALIDATION_ERROR.ref, description="Bad input: messages per field."),
            "401": OpenApiResponse(ErrorSerializer, description="No credentials, or bad ones."),
            "403": OpenApiResponse(ErrorSerializer, description="A browser session without its CSRF token."),
            "404": OpenApiResponse(ErrorSerializer, description="Not one of yours, or a page past the end."),
            "415": OpenApiResponse(ErrorSerializer, description="A body that is not JSON."),
            "429": OpenApiResponse(ErrorSerializer, description="Too many requests: wait and try again."),
        }

    def _error_codes(self) -> list[str]:
        """The errors DRF answers on its own for this operation."""
        view = self.view
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        codes = []
        if (writes and self.method != "DELETE") or self._get_filter_parameters():
            codes.append("400")
        if view.authentication_classes:
            codes.append("401")
        if writes and SessionAuthentication in view.authentication_classes:
            codes.append("403")
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if writes and self.method != "DELETE":
            codes.append("415")
        if view.throttle_classes:
            codes.append("429")
        return codes
