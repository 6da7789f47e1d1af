# SPDX-License-Identifier: EUPL-1.2
"""Whole public pages from the cache, for visitors who are not logged in (issue 26: the load test).

Most of the load on a municipality's site is the public activity search, the activity pages, the self-test and the
open HSDS API: pages that are the same for every visitor who is not logged in, and whose rendering (Django's
templates, the search form's choices, the map's markers) is most of their cost. ``cached_public_page`` keeps the
view's response for ``seconds`` in Django's configured cache (``OMZIEN_CACHE``) and answers the next visitor with it.

What makes it safe:

- **Nobody logged in.** HTML pages are taken from and put into the cache only for a request without a session cookie
  and without a messages cookie; anyone logged in (a resident sees their own registration on an activity page), or
  with a message waiting, gets the page made for them. ``anyone=True`` (the HSDS API: no accounts, the same answer
  for everyone) leaves the cookies out of it.
- **Nothing personal in a key or an entry.** The key is the language, the host and a SHA-256 of the path with its
  query; the entry is a public page. A query with free text that could name or reach someone (digits, ``@``, more
  than three words or 40 characters) is not cached at all, nor a place to search from other than a postcode
  or a name without digits (an address with its house number).
- **The CSRF token is the visitor's own.** A page's forms carry a token tied to the visitor's CSRF cookie; the cached
  copy holds a placeholder, replaced on every answer by a token of the visitor (Django sets the cookie as usual).
- **Fresh.** ``version`` (a cheap read, e.g. the activity's last change) is part of the key, so a change shows at
  once: a registration that takes a place changes the activity's ``updated_at``. What it does not cover shows
  within ``seconds``: the activity search's free places (its version is the number of activities, so one is added
  or removed at once, but a place taken somewhere in the city does not empty the cache of every search; the activity
  page and the sign-up are exact), an organisation's new name. Only 200 answers that set no cookie are kept.
- **Everything around the view runs as always**: the middleware's headers (CSP, language, request id), the
  decorators outside this one (``never_cache`` stays ``never_cache`` for browsers). The view itself, and so any
  access-log entry it would write, does not run on a hit: use this only on pages that show no resident's data.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

View = Callable[..., HttpResponse]

PLACEHOLDER = "omzien-csrf-token-of-the-visitor"
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
# Free text that could identify or reach a person is never kept: digits (a phone number, a BSN, a house number),
# an e-mail address, or a sentence.
PERSONAL_LOOKING = re.compile(r"[0-9@]")
FREE_TEXT_PARAMETERS = frozenset({"q", "search", "zoek", "text"})
# Where a visitor searches from: a postcode alone (some twenty addresses) is kept, an address with its house
# number is not.
PLACE_PARAMETERS = frozenset({"where"})
POSTCODE = re.compile(r"^\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\s*$")
SKIPPED_HEADERS = frozenset({"set-cookie", "content-length"})


def _free_text_is_safe(request: HttpRequest) -> bool:
    for name in FREE_TEXT_PARAMETERS:
        for value in request.GET.getlist(name):
            if len(value) > 40 or len(value.split()) > 3 or PERSONAL_LOOKING.search(value):
                return False
    for name in PLACE_PARAMETERS:
        for value in request.GET.getlist(name):
            if not POSTCODE.match(value) and (len(value) > 40 or PERSONAL_LOOKING.search(value)):
                return False
    return True


def _cacheable(request: HttpRequest, anyone: bool) -> bool:
    if request.method != "GET":
        return False
    if not anyone and (
        settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES
    ):
        return False
    return _free_text_is_safe(request)


def _key(request: HttpRequest, name: str, version: str) -> str:
    partial = "hx" if request.headers.get("HX-Request") else "page"
    page = f"{version}\n{get_language()}\n{request.get_host()}\n{partial}\n{request.get_full_path()}"
    return f"omzien:page:{name}:{hashlib.sha256(page.encode()).hexdigest()[:48]}"


def _from_entry(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    content: bytes = entry["content"]
    if entry["token"]:
        content = content.replace(PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, status=200)
    for header, value in entry["headers"]:
        response.headers[header] = value
    return response


def _to_entry(response: HttpResponse) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = response.content.decode(response.charset)
    tokens = {match.group(2) for match in TOKEN.finditer(content)}
    for token in tokens:
        content = content.replace(token, PLACEHOLDER)
    headers = [(header, value) for header, value in response.items() if header.lower() not in SKIPPED_HEADERS]
    return {"content": content.encode(response.charset), "token": bool(tokens), "headers": headers}


def cached_public_page(
    name: str, *, seconds: int = 60, version: Callable[..., str] | None = None, anyone: bool = False
) -> Callable[[View], View]:
    """Answer visitors who are not logged in from the cache (see the module's text); ``name`` tells the pages apart
    in the cache, ``version`` (called with the view's URL arguments) returns what changes when what they show
    changes."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request, anyone):
                return view(request, *args, **kwargs)
            try:
                key = _key(request, name, version(*args, **kwargs) if version else "")
            except DatabaseError:
                # The database is away: the view answers that its own way (the HSDS API in JSON, a page
                # with the request id), as it would without the cache.
                return view(request, *args, **kwargs)
            entry = cache.get(key)
            if entry is not None:
                return _from_entry(request, entry)
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                response = render()
            stored = _to_entry(response)
            if stored is not None:
                cache.set(key, stored, seconds)
            return response

        return wrapper

    return decorate
