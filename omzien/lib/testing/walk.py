# SPDX-License-Identifier: EUPL-1.2
"""Walk the site as one user would: from the home page, follow every link, one URL per page kind.

Used by the page benchmark (``python -m benchmarks pages``) and the browser's reflow check: both
need "every page of every role" on the demo city, whose objects no policy table can name in
advance. A page kind is a URL pattern name, plus the names of its query parameters (a menu entry
may be the same view with a filter), at most three per pattern; the admin's sort and filter
variants count as one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

HREF = re.compile(r'href="([^"#]*)[^"]*"')
# Links not followed: they end the session, change the role or the language.
SKIP_NAMES = frozenset(
    {"accounts:logout", "admin:logout", "accounts:role_switch", "set_language", "accounts:login"}
)


def links(url: str, body: str) -> list[str]:
    """The same-site page links of an HTML page (path and query), static files left out."""
    found = []
    for raw in HREF.findall(body):
        parts = urlsplit(urljoin(url, html.unescape(raw)))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(settings.STATIC_URL):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def page_kind(url: str) -> str | None:
    """The URL's page kind (pattern name and query parameter names), None when not a page to walk."""
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    if name in SKIP_NAMES:
        return None
    keys = sorted({key for key, _value in parse_qsl(parts.query)} - {"page", "pagina"})
    if name.startswith("admin:"):
        keys = []
    return f"{name}?{'&'.join(keys)}" if keys else name


@dataclass(frozen=True)
class Fetched:
    """What the walk needs of a response: its status, where a redirect goes, and whether it is HTML."""

    status: int
    location: str = ""
    is_html: bool = False
    body: str = ""


def walk(client: Any, start: str = "/", *, html_only: bool = False) -> dict[str, str]:
    """Follow every link from ``start`` with a logged-in test client; return page kind -> one URL.

    Only pages that answer 200 are kept (a link the role may see but not open is the URL walker
    test's business); redirects are followed. ``html_only`` leaves out downloads (CSV, PDF, JSON).
    """
    return walk_with(client_fetch(client), start, html_only=html_only)


def client_fetch(client: Any) -> Callable[[str], Fetched]:
    """Open a page with a test client, as ``walk_with`` needs it."""

    def fetch(url: str) -> Fetched:
        response = client.get(url)
        if response.status_code in (301, 302):
            return Fetched(response.status_code, response["Location"])
        is_html = "html" in response.get("Content-Type", "")
        return Fetched(
            response.status_code, is_html=is_html, body=response.content.decode() if is_html else ""
        )

    return fetch


def walk_with(
    fetch: Callable[[str], Fetched], start: str = "/", *, html_only: bool = False
) -> dict[str, str]:
    """``walk`` with any way of opening a page (the reflow check opens each in the browser once)."""
    chosen: dict[str, str] = {}
    tried: set[str] = set()
    queue = [start]
    while queue:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind is None or kind in tried:
            continue
        name = kind.split("?")[0]
        if sum(k.split("?")[0] == name for k in chosen) >= 3:
            continue
        tried.add(kind)
        fetched = fetch(url)
        if fetched.status in (301, 302):
            queue.append(fetched.location)
            continue
        if fetched.status != 200:
            continue
        if fetched.is_html or not html_only:
            chosen[kind] = url
        if fetched.is_html:
            queue.extend(links(url, fetched.body))
    return chosen
