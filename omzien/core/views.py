# SPDX-License-Identifier: EUPL-1.2
"""Site-wide views: the home page, the health endpoint and the error pages."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import bad_request

from omzien.core import health
from omzien.lib.rooms import algorithm_declarations, processing_purposes


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Say what Omzien is and where each kind of visitor starts."""
    from omzien.accounts.demo import demo_usernames
    from omzien.accounts.navigation import public_cards

    roles = [(role.value, role.label) for role in demo_usernames()]
    return render(request, "core/home.html", {"demo_roles": roles, "public_cards": public_cards()})


@require_GET
def processing_register(request: HttpRequest) -> HttpResponse:
    """The AVG article 30 register, public: every installed room's purposes, from its room.py."""
    purposes = [purpose for _room, purpose in processing_purposes()]
    return render(request, "core/processing_register.html", {"purposes": purposes})


@require_GET
def algorithm_register(request: HttpRequest) -> HttpResponse:
    """What the municipality publishes in the Dutch algorithm register, from each room's room.py."""
    algorithms = [algorithm for _room, algorithm in algorithm_declarations()]
    return render(request, "core/algorithm_register.html", {"algorithms": algorithms})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Return 200 when the database answers and every migration is applied, else 503."""
    database_ok = health.database_reachable()
    try:
        pending = health.unapplied_migrations() if database_ok else None
    except DatabaseError:
        pending = None
    migrations_ok = pending == []
    healthy = database_ok and migrations_ok
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database_ok else "unreachable",
        "migrations": "ok" if migrations_ok else ("unknown" if pending is None else "pending"),
    }
    if pending:
        body["pending_migrations"] = len(pending)  # type: ignore[assignment]
    return JsonResponse(body, status=200 if healthy else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    request.omzien_error_page = True  # type: ignore[attr-defined]  # the menu without its counts
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    request.omzien_error_page = True  # type: ignore[attr-defined]
    return render(request, "404.html", status=404)


def _caused_by(error: BaseException | None, test: Callable[[BaseException], bool]) -> bool:
    """Whether the error, or one it was raised while handling, passes the test."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if test(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _database_unreachable(error: BaseException | None) -> bool:
    return _caused_by(error, lambda e: isinstance(e, OperationalError | InterfaceError))


def _disk_full(error: BaseException | None) -> bool:
    """A full disk or an exhausted quota."""
    return _caused_by(error, lambda e: isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT))


def _unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, rendered without the request's context: the menu, the user and the session all
    need the database that is not there."""
    page = render_to_string("503.html", {"request_id": getattr(request, "request_id", "")})
    return HttpResponse(page, status=503, headers={"Retry-After": "30"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's plain 400, except when the database went away in the middle of the request.

    The session is read at the start of a request and written at its end; when PostgreSQL stops in
    between, Django reports the failed write as ``SessionInterrupted`` (a bad request, 400), which
    would tell the visitor they did something wrong. It is the database: answer the 503 page.
    """
    if _database_unreachable(exception):
        return _unavailable(request)
    return bad_request(request, exception)  # type: ignore[arg-type]


def error_500(request: HttpRequest) -> HttpResponse:
    """Render the branded 500 page with the request id only: no trace, SQL or settings.

    When the database cannot be reached (stopped, restarting, failing over) the answer is 503 with
    ``Retry-After``: the service is unavailable, not broken, and comes back by itself once the
    database does (Django opens a new connection on the next request).
    """
    error = sys.exc_info()[1]
    if _database_unreachable(error):
        return _unavailable(request)
    if _disk_full(error):
        # An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE is received into a temporary file
        # (FILE_UPLOAD_TEMP_DIR) before the view runs; a full disk stops it there, before anything is
        # imported or stored, and Django removes the partial file. Say so, with 507 Insufficient Storage.
        return render(request, "507.html", {"request_id": getattr(request, "request_id", "")}, status=507)
    return render(request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500)
