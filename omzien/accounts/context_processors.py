# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.http import HttpRequest

from omzien.accounts.middleware import session_expires_at
from omzien.accounts.navigation import navigation_for
from omzien.accounts.roles import user_role, user_roles


def account(request: HttpRequest) -> dict[str, object]:
    """Return the menu, the role in use, the other roles and the session's expiry for the base layout."""
    user = getattr(request, "user", None)
    expires = session_expires_at(request) if user is not None and hasattr(request, "session") else None
    role = user_role(user)
    return {
        # An error page shows the menu without its live counts: they are the worklist's queries, and a 403 or
        # 404 (a prober's, or the access walk's two thousand) should cost no more than it must.
        "navigation": navigation_for(user, with_counts=not getattr(request, "omzien_error_page", False)),
        "current_role": role,
        # An account with several roles chooses the one in use (the header's switcher).
        "other_roles": [held for held in user_roles(user) if held != role],
        "session_expires_at": int(expires) if expires else None,
    }
