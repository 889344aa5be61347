"""Installable and offline (PRODUCT.md §4.4): the web app manifest, the service worker and its offline page.

The service worker is rendered, not a static file: it must be served from the root path so
that its scope covers the whole site, and it names the static files it keeps by the URLs
the storage gives them (hashed in production), so a new stylesheet makes a new cache version.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

NAME = "Backcare"
# app.css's --accent and --bg (light scheme): the installed app's title bar and splash screen.
THEME_COLOR = "#2f6f62"
BACKGROUND_COLOR = "#f7f6f2"
ICONS = [
    ("backcare/icons/icon-192.png", "192x192", "any"),
    ("backcare/icons/icon-512.png", "512x512", "any"),
    ("backcare/icons/icon-maskable-512.png", "512x512", "maskable"),
]
# What every page needs (the app shell), kept when the service worker installs.
SHELL_FILES = [
    "backcare/app.css",
    "backcare/app.js",
    "backcare/offline.js",
    "backcare/outbox.js",
    "backcare/icon.svg",
    "routines/figures.css",
    "routines/pictures.css",
    "tracker/player.css",
    "tracker/player.js",
    "tracker/logs.css",
    "tracker/pain_map.js",
    *(icon for icon, _, _ in ICONS),
]


@require_GET
def manifest(request):
    data = {
        "name": NAME,
        "short_name": NAME,
        "description": "Stretching routines for lower-back pain, a guided player and your own log.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


def _pages_to_keep() -> list[str]:
    """Pages kept at install, before the person has opened them (the offline page is kept with the shell)."""
    return [reverse("routines:catalog")]


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    context = {
        "shell_files": json.dumps([static(path) for path in SHELL_FILES]),
        "pages": json.dumps(_pages_to_keep()),
        "offline_url": json.dumps(reverse("offline")),
        "logout_url": json.dumps(reverse("logout")),
        "static_url": json.dumps(settings.STATIC_URL),
        "push_script": json.dumps(static("backcare/sw-push.js")),
        "outbox_script": json.dumps(static("backcare/outbox.js")),
    }
    body = render_to_string("sw.js", context)
    # The version names what the worker keeps: a changed file or a changed worker starts a new cache.
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = body.replace("__VERSION__", version)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """What a page not kept on this device shows without a connection."""
    return render(request, "offline.html")
