"""The address a request came from, through the proxies this site trusts."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address: REMOTE_ADDR, or the one our proxies recorded.

    With TRUSTED_PROXY_COUNT proxies in front of the app, each appends the address it
    saw to X-Forwarded-For, so the last that many entries were written by them; the
    earliest of those is what the outermost proxy saw, the client. Entries before it
    came from the client and can say anything. With no trusted proxy, or a header
    too short to have come through them all (a request that went round the proxy),
    the header is ignored.
    """
    remote_address = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote_address
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote_address
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        # Our proxies write addresses; anything else did not come from them.
        return remote_address
