import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def timezone_names():
    """The zones a person may choose: every geographic IANA name this Python knows, sorted, and UTC.

    Left out: names without a region (``localtime``, which follows the server's own clock
    setting, ``Factory``, abbreviations such as ``EST``), ``Etc/`` offsets and the legacy
    ``US/`` and ``SystemV/`` links and the ``posix/``/``right/`` copies.
    """
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    ) + ["UTC"]


@cache
def _accepted() -> frozenset[str]:
    return frozenset(timezone_names())


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in timezone_names()]


def validate_timezone(value):
    """The one check of a time zone name, for the forms, the API and the model alike."""
    if value not in _accepted():
        raise ValidationError(
            "“%(value)s” is not a known time zone (use an IANA name such as Europe/Paris).", params={"value": value}
        )
