# SPDX-License-Identifier: EUPL-1.2
"""The auditor's view of the access log (two factors required by the session policy; itself logged)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from omzien.audit import events
from omzien.audit.forms import EntryFilterForm
from omzien.audit.selectors import entry_page_for_auditor
from omzien.lib.access import requires_permission
from omzien.lib.paging import page_number, query_without_page


@never_cache
@require_GET
@requires_permission("audit.view_accesslogentry")
def entries(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = entry_page_for_auditor(
        actor=events.actor_for_request(request), filters=filters, page_number=page_number(request)
    )
    return render(request, "audit/entries.html", {"form": form, "page": page, "query": query_without_page(request)},
                  status=400 if form.errors else 200)  # fmt: skip
