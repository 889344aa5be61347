"""The web app manifest and the service worker (PRODUCT.md §4.5): served at the root, with the right types."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"


def test_the_manifest_makes_an_installable_standalone_app(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert (manifest["name"], manifest["short_name"], manifest["display"]) == ("Backcare", "Backcare", "standalone")
    assert manifest["start_url"] == "/"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }


def test_the_manifests_icons_are_the_projects_own_pngs_of_the_sizes_they_claim(client):
    from PIL import Image

    for icon in json.loads(client.get("/manifest.webmanifest").content)["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = (int(side) for side in icon["sizes"].split("x"))
        assert Image.open(path).size == (width, height)


def test_the_manifests_colours_are_the_stylesheets(client):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    css = Path(finders.find("backcare/app.css")).read_text()
    light = css.split("@media")[0]
    assert f"--accent: {manifest['theme_color']};" in light
    assert f"--bg: {manifest['background_color']};" in light


def test_every_page_links_the_manifest_and_a_theme_colour(client):
    page = client.get(reverse("routines:catalog")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#2f6f62"' in page


def test_the_service_worker_is_javascript_at_the_root_never_cached_by_http(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert response["Service-Worker-Allowed"] == "/"


def test_the_service_worker_imports_the_push_handlers_and_keeps_the_app_shell(client):
    body = client.get("/sw.js").content.decode()
    assert re.search(r'importScripts\("/static/backcare/sw-push\.js", "/static/backcare/outbox\.js"\)', body)
    shell = json.loads(re.search(r"var SHELL_FILES = (\[.*?\]);", body).group(1))
    assert {"/static/backcare/app.css", "/static/tracker/player.js", "/static/backcare/icons/icon-192.png"} <= set(
        shell
    )
    for url in shell:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_service_workers_version_changes_with_what_it_keeps(client, settings, tmp_path):
    first = re.search(r'var VERSION = "(\w+)"', client.get("/sw.js").content.decode()).group(1)
    settings.STATIC_URL = "/assets/"
    second = re.search(r'var VERSION = "(\w+)"', client.get("/sw.js").content.decode()).group(1)
    assert first != second


def test_the_offline_page_says_what_works_offline(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.content.decode()


def never_kept(client) -> list[str]:
    body = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"var NEVER_KEPT = (\[.*?\]);", body, re.S).group(1).replace(",\n]", "]"))


@pytest.mark.parametrize(
    "url",
    [
        reverse("tracker:done-link", args=["a-token"]),
        reverse("tracker:report-shared", args=["a-token"]),
        reverse("tracker:report-shared-pdf", args=["a-token"]),
        reverse("tracker:calendar-feed", args=["a-key"]),
    ],
)
def test_the_service_worker_never_keeps_a_page_a_links_secret_opens(client, url):
    # Revoked or reset, such a link must stop answering, offline too.
    assert any(url.startswith(prefix) for prefix in never_kept(client)), url


def test_the_service_worker_never_keeps_the_api_or_the_sign_in_pages(client):
    prefixes = never_kept(client)
    for url in [reverse("login"), reverse("logout"), "/api/v1/sessions/", "/sw.js"]:
        assert any(url.startswith(prefix) for prefix in prefixes), url
    for url in [reverse("tracker:dashboard"), reverse("tracker:history"), reverse("routines:catalog")]:
        assert not any(url.startswith(prefix) for prefix in prefixes), url


def test_the_outbox_sends_only_its_owners_items():
    source = Path(finders.find("backcare/outbox.js")).read_text()
    assert "return !!user && item.user === user;" in source
    assert "!item.user ||" not in source
