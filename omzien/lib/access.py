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

# The ground floor's lowest parts (lib, audit) need a user's role in use but may not import the accounts
# room, which sits above them: accounts registers its ``user_role`` here when the app is ready.
_role_resolver: Callable[[Any], Any] = lambda user: None  # noqa: E731 - replaced at start-up


def role_resolver_set(resolver: Callable[[Any], Any]) -> None:
    """Register the function that returns a user's role in use (``accounts.roles.user_role``)."""
    global _role_resolver  # noqa: PLW0603 - one registration at start-up
    _role_resolver = resolver


def role_of(user: Any) -> Any:
    """Return the user's role in use (a ``Role``, ``AddedRole`` or None), as the accounts room says."""
    return _role_resolver(user)


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
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate
