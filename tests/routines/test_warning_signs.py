"""The warning signs in three tiers: the API, the full page, every footer, every self-check result."""

import pytest
from django.urls import reverse

from routines.safety import warning_signs

pytestmark = pytest.mark.django_db


def test_the_api_lists_the_three_tiers_in_order_of_urgency_without_logging_in(api):
    body = api.get("/api/v1/warning-signs/").json()
    assert [tier["key"] for tier in body["tiers"]] == ["emergency", "urgent", "soon"]
    assert set(body["tiers"][0]) == {"key", "title", "action", "signs"}


def test_the_emergency_tier_names_the_signs_of_cauda_equina_and_the_emergency_department(api):
    emergency = api.get("/api/v1/warning-signs/").json()["tiers"][0]
    signs = " ".join(emergency["signs"])
    for words in ("bladder or bowels", "hard to start or stop peeing", "genitals", "inner thighs", "both legs"):
        assert words in signs, words
    assert "emergency department" in emergency["action"]


def test_the_urgent_and_soon_tiers_hold_the_signs_the_review_found_missing(api):
    tiers = {tier["key"]: " ".join(tier["signs"]) for tier in api.get("/api/v1/warning-signs/").json()["tiers"]}
    for words in ("cancer", "steroids", "chest", "shoulder blades", "osteoporosis"):
        assert words in tiers["urgent"], words
    for words in ("two weeks", "below the knee", "sit or bend forward", "calf"):
        assert words in tiers["soon"], words


def test_the_self_check_api_returns_the_three_tiers(api):
    body = api.post("/api/v1/self-check/", {"pelvis": "tuck", "causes": []}, format="json").json()
    assert body["warning_tiers"] == warning_signs.as_api()["tiers"]
    assert body["warning_signs"] == [sign for tier in warning_signs.tiers() for sign in tier.signs]


def test_the_self_check_result_page_shows_all_three_tiers(client):
    content = client.post(reverse("routines:self-check"), {"pelvis": "arch"}).content.decode()
    for tier in warning_signs.tiers():
        assert f'data-tier="{tier.key}"' in content
        assert tier.signs[-1] in content


def test_the_warning_signs_page_shows_every_sign_with_its_action(client):
    content = client.get("/warning-signs/").content.decode()
    for tier in warning_signs.tiers():
        assert tier.action in content
        for sign in tier.signs:
            assert sign in content


@pytest.mark.parametrize("path", ["/", "/routines/", "/accounts/login/", "/warning-signs/", "/no-such-page/"])
def test_every_page_footer_carries_the_emergency_sentence_and_links_to_the_full_list(client, path):
    content = client.get(path).content.decode()
    footer = content[content.index('<footer class="site-footer') :]
    assert warning_signs.EMERGENCY_SENTENCE in footer
    assert 'href="/warning-signs/"' in footer


def test_the_saved_self_check_on_the_profile_shows_the_three_tiers(alice_client):
    alice_client.post(reverse("tracker:self-check-save"), {"pelvis": "tuck"})
    content = alice_client.get(reverse("profile")).content.decode()
    for tier in warning_signs.tiers():
        assert f'data-tier="{tier.key}"' in content


def test_the_flare_up_page_gives_the_plan_and_the_acceptable_pain_rule(client):
    content = client.get("/flare-up/").content.decode()
    assert "settles by the next day" in content
    assert 'data-tier="emergency"' in content
