from django.conf import settings


def client_ip(request) -> str:
    """The client's address as the trusted proxies saw it, for login lockouts.

    Behind ``NUM_PROXIES`` proxies that each append to X-Forwarded-For, the client is that
    many entries from the right; entries further left are whatever the client sent, so they
    are never trusted. The same rule as DRF's throttling with the same setting.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not proxies or not hops:
        return remote
    return hops[-min(proxies, len(hops))]
