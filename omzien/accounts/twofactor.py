# SPDX-License-Identifier: EUPL-1.2
"""Whether a request has passed its second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from omzien.accounts.roles import needs_two_factor

DEMO_SKIP_KEY = "omzien_demo_two_factor_skipped"


def two_factor_passed(request: Any) -> bool:
    """Return True when the user verified a TOTP code this session (or, only in demo mode, skipped it)."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return True
    return bool(settings.OMZIEN_DEMO and request.session.get(DEMO_SKIP_KEY))


def two_factor_missing(request: Any) -> bool:
    """Return True when the user's role requires a second factor that this session has not passed."""
    return bool(
        request.user.is_authenticated and needs_two_factor(request.user) and not two_factor_passed(request)
    )
