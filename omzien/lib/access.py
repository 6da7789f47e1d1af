# SPDX-License-Identifier: EUPL-1.2
"""View guards: anonymous visitors go to the login page, logged-in users without the permission get 403.

These guard whole pages by permission; which *objects* a user may see is decided by each room's
``permissions.py`` access functions, never here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def requires_permission(*permissions: str) -> Callable[[View], View]:
    """Require login, then every named permission (403 otherwise)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate


def requires_role(*roles: str) -> Callable[[View], View]:
    """Require login and one of the roles (for pages about the user's own record, not others')."""
    from omzien.accounts.roles import user_role

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if user_role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
