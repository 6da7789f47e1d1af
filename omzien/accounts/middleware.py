# SPDX-License-Identifier: EUPL-1.2
"""Session policy: idle and absolute timeouts, the second factor before anything else, the role in use."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from omzien.accounts.roles import ROLE_SESSION_KEY, role_needs_two_factor, user_roles
from omzien.accounts.twofactor import two_factor_missing

STARTED_KEY = "omzien_auth_started"
LAST_SEEN_KEY = "omzien_last_seen"
# Requests the page makes by itself (the timeout warning's check) must not count as activity.
BACKGROUND_HEADER = "X-Omzien-Background"
# Activity is written to the session at most this often: a session written on every request cost an UPDATE (and
# its transaction) per page. A session may so end up to this many seconds before the idle limit, never after it.
LAST_SEEN_EVERY_SECONDS = 30


def idle_limit_seconds(user: Any) -> int:
    """Return the idle timeout for the account (staff shorter than residents and volunteers).

    An account holding any staff role gets the staff timeout, whichever role is in use.
    """
    if any(role_needs_two_factor(role) for role in user_roles(user)):
        return int(settings.OMZIEN_STAFF_IDLE_MINUTES * 60)
    return int(settings.OMZIEN_RESIDENT_IDLE_MINUTES * 60)


def session_expires_at(request: HttpRequest) -> float | None:
    """Return when the session ends if nothing happens (epoch seconds), or None when not logged in."""
    if not request.user.is_authenticated:
        return None
    started = request.session.get(STARTED_KEY, time.time())
    last_seen = request.session.get(LAST_SEEN_KEY, time.time())
    return min(
        last_seen + idle_limit_seconds(request.user), started + settings.OMZIEN_SESSION_ABSOLUTE_HOURS * 3600
    )


class SessionPolicyMiddleware:
    """Log out expired sessions; send staff who have not passed the second factor to that step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            # The role in use, chosen per session by an account with several roles (accounts.roles).
            request.user._omzien_role_in_use = request.session.get(ROLE_SESSION_KEY)  # type: ignore[union-attr,attr-defined]
            now = time.time()
            expires = session_expires_at(request)
            if expires is not None and now > expires:
                logout(request)
                messages.info(
                    request,
                    _("Your session has ended because it was inactive for too long. Please log in again."),
                )
                return HttpResponseRedirect(
                    f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
                )
            request.session.setdefault(STARTED_KEY, now)
            seen = request.session.get(LAST_SEEN_KEY)
            if BACKGROUND_HEADER not in request.headers and (
                seen is None or now - seen >= LAST_SEEN_EVERY_SECONDS
            ):
                request.session[LAST_SEEN_KEY] = now
            if two_factor_missing(request) and not self._is_exempt(request.path):
                return HttpResponseRedirect(
                    f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:two_factor"), reverse("accounts:two_factor_setup"), reverse("accounts:logout"),
            reverse("set_language"), reverse("healthz"), settings.STATIC_URL,
        )  # fmt: skip
        return path.startswith(exempt)
