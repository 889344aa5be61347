import pytest

from routines.selfcheck import WARNING_SIGNS

pytestmark = pytest.mark.django_db


def check(api, pelvis, causes=()):
    return api.post("/api/v1/self-check/", {"pelvis": pelvis, "causes": list(causes)}, format="json")


def test_tucked_pelvis_points_to_the_posterior_chain_and_the_ql(api):
    body = check(api, "tuck").json()

    assert body["chain"] == "posterior"
    assert set(body["muscles"]) == {"gluteus-medius", "gluteus-minimus", "piriformis", "quadratus-lumborum"}


def test_arched_back_points_to_the_anterior_chain_and_the_ql(api):
    body = check(api, "arch").json()

    assert body["chain"] == "anterior"
    assert set(body["muscles"]) == {"tensor-fasciae-latae", "iliacus", "psoas", "quadratus-lumborum"}


def test_unsure_covers_both_chains(api):
    body = check(api, "unsure").json()

    assert body["chain"] == "both"
    assert len(body["muscles"]) == 7


@pytest.mark.parametrize("pelvis", ["tuck", "arch", "unsure"])
def test_every_result_includes_the_ql_release_and_the_warning_signs(api, pelvis):
    body = check(api, pelvis).json()

    assert "quadratus-lumborum" in body["muscles"]
    assert "ql-release" in body["routines"]
    assert body["warning_signs"] == WARNING_SIGNS


def test_recommended_routines_match_the_chain(api):
    body = check(api, "arch").json()
    chains = {api.get(f"/api/v1/routines/{slug}/").json()["chain"] for slug in body["routines"]}

    assert "anterior" in chains
    assert "posterior" not in chains


def test_advice_is_given_once_per_cause(api):
    causes = ["poor-posture", "prolonged-standing-walking", "poor-posture"]

    body = check(api, "tuck", causes).json()

    assert [item["cause"] for item in body["advice"]] == ["prolonged-standing-walking", "poor-posture"]
    assert all(item["advice"] for item in body["advice"])


def test_inactivity_suggests_the_strengthening_program(api):
    assert check(api, "tuck", ["inactivity"]).json()["program"] == "strong-back"
    assert check(api, "tuck", ["muscle-tightness"]).json()["program"] == "flexible-back"


@pytest.mark.parametrize(
    "payload,field",
    [({"pelvis": "slouch"}, "pelvis"), ({}, "pelvis"), ({"pelvis": "tuck", "causes": ["stress"]}, "causes")],
)
def test_bad_answers_get_a_message_per_field(api, payload, field):
    response = api.post("/api/v1/self-check/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_self_check_page_shows_the_result_and_the_disclaimer(client):
    page = client.post("/routines/self-check/", {"pelvis": "tuck", "causes": ["inactivity"]}).content.decode()

    assert "Posterior chain" in page
    assert "not a diagnosis" in page
    assert "bladder" in page


def test_self_check_page_rejects_a_missing_answer(client):
    response = client.post("/routines/self-check/", {})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
