import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_validates_without_warnings(tmp_path):
    # --validate checks the document against the OpenAPI 3 specification;
    # --fail-on-warn turns any endpoint drf-spectacular could not describe into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/self-check/" in (tmp_path / "schema.yml").read_text()


def test_swagger_ui_is_served_from_the_app_itself(client):
    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert client.get("/api/schema/").status_code == 200
