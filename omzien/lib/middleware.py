# SPDX-License-Identifier: EUPL-1.2
"""Project-wide middleware: request ids, Dutch-first language choice, extra security headers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from omzien.lib.request_context import current_request, current_request_id

# W3C trace context: version-traceid-parentid-flags; the trace id ties a request to its audit rows.
TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class RequestIdMiddleware:
    """Give every request an id (from a valid ``traceparent`` or new) and echo it in a header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = TRACEPARENT.match(request.headers.get("traceparent", ""))
        request_id = match.group(1) if match else secrets.token_hex(16)
        request.request_id = request_id  # type: ignore[attr-defined]
        token, request_token = current_request_id.set(request_id), current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
            current_request.reset(request_token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Activate the language the person chose (cookie), else Dutch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header on
    purpose: a Dutch municipal service speaks Dutch first, and English is one click away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (checklist E3)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NulByteMiddleware:
    """Refuse a request with a NUL character in its path, query or form fields: HTTP 400, not 500.

    No text column takes a NUL (PostgreSQL refuses it in any query parameter, so a search for ``%00``
    was a server error) and no person types one. Uploaded files are not looked at: binary content may.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists())
        if request.method in {"POST", "PUT", "PATCH"} and content_type == "application/json":
            # A JSON body carries it escaped; reading the body here leaves it readable for the view.
            return b"\\u0000" in request.body or b"\x00" in request.body
        return False

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        from django.http import JsonResponse
        from django.shortcuts import render

        message = translation.gettext("The request contains a character that is not allowed (NUL). Remove it and try again.")
        if request.path.startswith("/api/"):
            # The public API answers every origin, its errors included (hsds.views).
            response = JsonResponse({"detail": message}, status=400)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return render(request, "bad_request.html", {"message": message}, status=400)
