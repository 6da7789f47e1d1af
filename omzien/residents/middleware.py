# SPDX-License-Identifier: EUPL-1.2
"""Refusals at the role level (HTTP 403) go into the access log, like the access functions' 404s.

A user whose role may not open a page at all is stopped by ``requires_permission``/``requires_role``
before any access function runs, so nothing was logged. A denied attempt is a denied attempt,
whatever its status: this middleware writes each 403 as a refused entry, naming the resident (by
pseudonymous id) when the URL is about one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from omzien.audit import events
from omzien.audit.models import Action
from omzien.residents.models import Resident


class DeniedAccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, PermissionDenied):
            return
        match = request.resolver_match
        name = match.view_name if match else ""
        kwargs = match.kwargs if match else {}
        resident = None
        for value in kwargs.values():
            if isinstance(value, uuid.UUID):
                resident = Resident.objects.filter(public_id=value).only("pseudo_id").first()
                if resident is not None:
                    break
        # Only the URL's name and the ids in it: never the query string (it may carry a name search).
        subject = events.Subject(
            resident_pseudo_id=resident.pseudo_id if resident else None,
            object_type="resident" if resident else "page",
            object_id=str(resident.public_id) if resident else name[:64],
        )
        events.record_denied(
            action=Action.READ if request.method in {"GET", "HEAD"} else Action.UPDATE,
            actor=events.actor_for_request(request), subject=subject, purpose="access_check", http_status=403,
        )  # fmt: skip
