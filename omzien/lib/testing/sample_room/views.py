# SPDX-License-Identifier: EUPL-1.2
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from omzien.lib.access import requires_permission
from omzien.lib.testing.sample_room.selectors import visited_residents


@requires_permission("sample_room.plan_visit")
def visits(request: HttpRequest) -> HttpResponse:
    """How many residents the visitor's organisation visits (a number only: no record is shown)."""
    return render(request, "sample_room/visits.html", {"count": visited_residents(request.user).count()})
