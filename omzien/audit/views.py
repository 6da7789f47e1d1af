# SPDX-License-Identifier: EUPL-1.2
"""The auditor's view of the access log (two factors required by the session policy; itself logged)."""

from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from omzien.audit import events
from omzien.audit.forms import EntryFilterForm
from omzien.audit.models import Action
from omzien.audit.selectors import entry_list
from omzien.lib.access import requires_permission


@never_cache
@require_GET
@requires_permission("audit.view_accesslogentry")
def entries(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tz = timezone.get_current_timezone()
    queryset = entry_list(
        since=datetime.combine(filters["since"], time.min, tzinfo=tz) if filters.get("since") else None,
        until=datetime.combine(filters["until"], time.max, tzinfo=tz) if filters.get("until") else None,
        action=filters.get("action", ""),
        outcome=filters.get("outcome", ""),
        actor=filters.get("actor", ""),
        subject=filters.get("subject"),
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page", 1))
    events.record(
        action=Action.READ,
        actor=events.actor_for_request(request),
        subjects=[
            events.Subject(
                object_type="access_log", object_id="", fields=sorted(k for k, v in filters.items() if v)
            )
        ],
        purpose="audit",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/entries.html", {"form": form, "page": page, "query": query.urlencode()},
                  status=400 if form.errors else 200)  # fmt: skip
