"""Load the reminder content (``content.toml``) into ``tracker.ContentItem``.

``load_content(apps)`` is written for data migrations: it uses only the model that
``apps`` hands out. Items are upserted by title; nothing else is touched, and a
second run changes nothing. The file is validated before anything is written.
"""

import tomllib
from pathlib import Path

CONTENT_PATH = Path(__file__).resolve().parent / "content.toml"
KINDS = {"tip", "testimonial", "resource"}
TITLE_MAX_LENGTH = 150
ITEM_KEYS = {"kind", "title", "body", "link", "active", "order"}


class ContentError(ValueError):
    """The content file is inconsistent: a missing field, a bad kind, a duplicate title."""


def read_content(path=None) -> list[dict]:
    with open(path or CONTENT_PATH, "rb") as fh:
        return tomllib.load(fh).get("items", [])


def validate_content(items):
    titles = set()
    for number, item in enumerate(items, start=1):
        where = f"item {number}"
        unknown = set(item) - ITEM_KEYS
        if unknown:
            raise ContentError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("kind", "title", "body"):
            if not str(item.get(key, "")).strip():
                raise ContentError(f"{where}: missing {key}")
        if item["kind"] not in KINDS:
            raise ContentError(f"{where}: kind {item['kind']!r} is not one of {sorted(KINDS)}")
        if len(item["title"]) > TITLE_MAX_LENGTH:
            raise ContentError(f"{where}: title longer than {TITLE_MAX_LENGTH} characters")
        if item["title"] in titles:
            raise ContentError(f"{where}: title {item['title']!r} appears twice")
        link = item.get("link", "")
        if link and not link.startswith("https://"):
            raise ContentError(f"{where}: link must be empty or an absolute https:// URL")
        titles.add(item["title"])


def load_content(apps, schema_editor=None, *, path=None, items=None):
    """Upsert the content items by title. Usable as a RunPython forward function."""
    ContentItem = apps.get_model("tracker", "ContentItem")
    if items is None:
        items = read_content(path)
    validate_content(items)

    for position, item in enumerate(items, start=1):
        values = {
            "kind": item["kind"],
            "body": " ".join(item["body"].split()),
            "link": item.get("link", ""),
            "active": item.get("active", True),
            "order": item.get("order", position * 10),
        }
        obj = ContentItem.objects.filter(title=item["title"]).order_by("pk").first()
        if obj is None:
            ContentItem.objects.create(title=item["title"], **values)
            continue
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)


def unload_content(apps, schema_editor=None):
    """Reverse of the data migration: keep the rows (deliveries may point at them)."""
