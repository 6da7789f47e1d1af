# SPDX-License-Identifier: EUPL-1.2
"""The client's address: the one function behind the login lock-out, the throttles and the access log.

Behind a reverse proxy the left part of ``X-Forwarded-For`` is whatever the client wrote; only the
entries the trusted proxies appended can be believed. Each proxy appends the address it saw, so with
``OMZIEN_TRUSTED_PROXIES`` proxies in front of Omzien the client is that many entries from the right
(python-ipware counts the proxies that are *in* the header, one fewer).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.utils.ipv6 import clean_ipv6_address

from python_ipware import IpWare


def normalised_address(value: str | None) -> str | None:
    """The address as the database stores it (Django's form of an IPv6 address: ``2001:DB8:0::1`` becomes
    ``2001:db8::1``), or None for what is not an address. The access log hashes what it stores, so a
    chain with an address written one way and read back another would no longer verify."""
    if not value:
        return None
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return None
    return clean_ipv6_address(value) if ":" in value else value


def client_address(request: Any) -> str | None:
    """Return the address the outermost trusted proxy saw (or the socket's peer without a proxy)."""
    meta = getattr(request, "META", None) or {}
    remote = normalised_address(meta.get("REMOTE_ADDR"))
    if not settings.OMZIEN_TRUST_PROXY_HEADERS:
        return remote
    proxies = max(1, settings.OMZIEN_TRUSTED_PROXIES)
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)
    address, _trusted = ipware.get_client_ip(meta, strict=False)
    # Fewer entries than trusted proxies: the header did not come through them; keep the peer.
    return normalised_address(str(address)) if address is not None else remote


def client_address_for_axes(request: Any) -> str | None:
    """django-axes takes an optional string; an unknown address stays unknown (its log column is an
    address field, which PostgreSQL refuses a word in)."""
    return client_address(request)
