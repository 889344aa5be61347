import pytest
from django.core.management import call_command

from tracker.models import PainEntry

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


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_request_body_is_json_only(schema):
    bodies = {name: list(op["requestBody"]["content"]) for name, op in operations(schema) if "requestBody" in op}

    assert "POST /api/v1/auth/token/" in bodies
    assert {name: types for name, types in bodies.items() if types != ["application/json"]} == {}


def test_every_error_an_operation_documents_has_a_json_body(schema):
    bodiless = [
        (name, code)
        for name, operation in operations(schema)
        for code, response in operation["responses"].items()
        if code >= "400" and "application/json" not in response.get("content", {})
    ]

    assert bodiless == []


def test_field_messages_have_one_named_model(schema):
    refs = {
        operation["responses"]["400"]["content"]["application/json"]["schema"].get("$ref")
        for _, operation in operations(schema)
        if "400" in operation["responses"]
    }

    assert refs == {"#/components/schemas/ValidationError"}


def test_each_choice_set_has_one_name(schema):
    names_by_choices = {}
    for name, component in schema["components"]["schemas"].items():
        if "enum" in component:
            names_by_choices.setdefault(tuple(sorted(map(str, component["enum"]))), []).append(name)

    assert [names for names in names_by_choices.values() if len(names) > 1] == []


def test_a_form_posted_to_the_api_is_refused_and_stores_nothing(alice_client, alice):
    answer = alice_client.post(
        "/api/v1/pain-entries/", {"date": str(alice.local_today()), "score": 4, "context": "rest"}
    )

    assert answer.status_code == 415
    assert not PainEntry.objects.exists()


def test_the_browsable_api_offers_its_json_form(alice_client):
    page = alice_client.get("/api/v1/sessions/", HTTP_ACCEPT="text/html").content.decode()

    assert '<option value="application/json" selected>application/json</option>' in page
    assert "multipart/form-data</option>" not in page
