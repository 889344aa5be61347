import zoneinfo
from functools import cache


@cache
def timezone_names():
    """Every IANA zone this Python knows, sorted, without the legacy aliases."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    ) + ["UTC"]


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in timezone_names()]


def validate_timezone(value):
    from django.core.exceptions import ValidationError

    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a known time zone (use an IANA name such as Europe/Paris).", params={"value": value}
        )
