"""The address of the reader's own machine, for rate limits and log-in lock-outs.

Behind a proxy (nginx in `make serve`, a TLS proxy, a load balancer) every request comes
from the proxy's address, so a limit keyed on ``REMOTE_ADDR`` would put every reader in one
bucket. The proxy names the client in ``X-Forwarded-For``, but anyone can send that header,
so it is believed only from the proxies named in ``DJANGO_TRUSTED_PROXIES`` (addresses or
networks, e.g. ``127.0.0.1,10.0.0.0/8``), and only as far as it goes through them: the
right-most address that is not a trusted proxy is the client, as each proxy appends the
address it was reached from. Without trusted proxies (the default), the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(items: list[str], *, setting: str) -> tuple[Network, ...]:
    """``["127.0.0.1", "10.0.0.0/8"]`` → networks; anything else stops the site starting."""
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{setting}: {error}. Write addresses or networks, e.g. 127.0.0.1,10.0.0.0/8"
        ) from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The client's address, as the last trusted proxy saw it (``REMOTE_ADDR`` otherwise)."""
    remote = request.META.get("REMOTE_ADDR", "")
    nearest = _address(remote)
    if nearest is None or not _is_trusted(nearest):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:  # not written by a trusted proxy: stop at the last good one
            break
        nearest = address
        if not _is_trusted(address):
            break
    return str(nearest)
