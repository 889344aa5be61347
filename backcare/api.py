from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, but a value that cannot be a slug is unknown without a query: PostgreSQL refuses
    even to compare text holding a NUL character, which would answer 500 instead of 400."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not slug_re.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


@contextmanager
def validation_errors_as_400():
    """A rule refused by a domain function answers 400 with its field messages, like the serializer's own."""
    try:
        yield
    except DjangoValidationError as exc:
        raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


class OwnedByUserMixin:
    """Every queryset scoped to the requesting user, so another user's id is a plain 404.

    Creates, updates and deletes go through ``create_owned``, ``update_owned`` and
    ``destroy_owned``; by default they save through the serializer with the user set.
    A viewset overrides them to call its domain functions.
    """

    def get_queryset(self):
        return super().get_queryset().filter(user=self.request.user)

    def create_owned(self, serializer, *, user):
        return serializer.save(user=user)

    def update_owned(self, serializer, instance):
        return serializer.save()

    def destroy_owned(self, instance):
        instance.delete()

    def perform_create(self, serializer):
        with validation_errors_as_400():
            serializer.instance = self.create_owned(serializer, user=self.request.user)

    def perform_update(self, serializer):
        with validation_errors_as_400():
            serializer.instance = self.update_owned(serializer, serializer.instance)

    def perform_destroy(self, instance):
        self.destroy_owned(instance)
