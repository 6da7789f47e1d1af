# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.http import HttpRequest

from omzien.accounts.middleware import session_expires_at
from omzien.accounts.navigation import navigation_for
from omzien.accounts.roles import user_role


def account(request: HttpRequest) -> dict[str, object]:
    """Return the menu, the role and the session's expiry for the base layout."""
    user = getattr(request, "user", None)
    expires = session_expires_at(request) if user is not None and hasattr(request, "session") else None
    role = user_role(user)
    return {
        "navigation": navigation_for(user),
        "current_role": role,
        "session_expires_at": int(expires) if expires else None,
    }
