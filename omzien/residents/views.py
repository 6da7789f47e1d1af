# SPDX-License-Identifier: EUPL-1.2
"""Resident pages. Every resident reaches a view only through ``residents.permissions``."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from omzien import policy
from omzien.accounts.navigation import menu_label_for
from omzien.accounts.roles import Role, user_role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.lib import csv_safe
from omzien.lib.access import requires_permission, requires_role
from omzien.lib.paging import page_number
from omzien.lib.rooms import resident_page_entries
from omzien.residents import selectors, services
from omzien.residents.forms import AccessLogPeriodForm, ConsentForm, ResidentForm, SearchForm
from omzien.residents.models import Resident
from omzien.residents.permissions import get_own_resident_for_user, get_resident_for_user, visible_fields

# What the list is, for the role that opens it: each menu entry that leads here ("Clients",
# "Residents we support", "My matches", …) gets a page that says what it holds (issue #16).
LIST_INTRO: dict[str, Any] = {
    Role.VOLUNTEER: gettext_lazy("The residents you have been matched with as a volunteer, and only the details you need."),
    Role.MEAL_HOST: gettext_lazy("The residents who come to eat with you, and only the details you need."),
    Role.NEIGHBOURHOOD_PROFESSIONAL: gettext_lazy("The residents your buurtteam works with: your clients."),
    Role.COORDINATOR: gettext_lazy(
        "The residents referred to your organisation who agreed to share their details with it."
    ),
    Role.SOCIAL_BROKER: gettext_lazy(
        "The residents referred to your organisation who agreed to share their details with it."
    ),
    Role.ACTIVITY_PROVIDER: gettext_lazy(
        "The residents who take part in, or wait for, your organisation's activities and agreed to share their details."
    ),
}  # fmt: skip


def _list_heading(request: HttpRequest) -> tuple[str, str]:
    """The list's title (the label of the role's menu entry that leads here) and what it holds."""
    title = str(menu_label_for(request.user, "residents:list") or _("Residents"))
    role = user_role(request.user)
    intro = LIST_INTRO.get(str(role)) if role else None
    return title, str(intro or _("You see the residents your organisation works with, and only the details you need."))


@never_cache
@require_GET
@requires_permission("residents.view_resident")
def resident_list(request: HttpRequest) -> HttpResponse:
    """The residents the user may see, searchable by name; each one shown is logged."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.resident_page_for_user(
        request, query=query, page_number=page_number(request), purpose="caseload"
    )
    title, intro = _list_heading(request)
    return render(
        request,
        "residents/list.html",
        {
            "form": form, "page": page, "query": query, "fields": visible_fields(request.user),
            "title": title, "intro": intro,
            "query_string": urlencode({"q": query}) if query else "",
        },
    )  # fmt: skip


@never_cache
@require_GET
@requires_permission("residents.view_resident")
def resident_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    resident = get_resident_for_user(request, public_id, purpose="follow_up")
    fields = visible_fields(request.user)
    can_record_consent = request.user.has_perm("residents.record_consent")
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "fields": fields,
            "age": resident.age_on(timezone.localdate()) if "date_of_birth" in fields else None,
            "consents": selectors.consent_history(resident) if can_record_consent else None,
            "links": selectors.active_links(resident) if can_record_consent else None,
            "can_record_consent": can_record_consent,
            "entries": _page_entries(request, "detail", resident),
        },
    )


def _page_entries(request: HttpRequest, page: str, resident: Resident | None = None) -> list[dict[str, Any]]:
    """The rooms' entries on a resident page (``lib.rooms.ResidentPageEntry``) this user may use."""
    args = [resident.public_id] if page == "detail" and resident is not None else []
    return [
        {"entry": entry, "url": reverse(entry.url_name, args=args)}
        for _room, entry in resident_page_entries()
        if entry.page == page and (not entry.permission or request.user.has_perm(entry.permission))
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("residents.add_resident")
def resident_create(request: HttpRequest) -> HttpResponse:
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = services.resident_create(
            actor=events.actor_for_request(request), acting_user=request.user, data=form.cleaned_data,
            consent_method=form.cleaned_data["consent_method"],
        )  # fmt: skip
        messages.success(request, _("The resident has been registered with your team."))
        return redirect("residents:detail", public_id=resident.public_id)
    return render(request, "residents/create.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@requires_permission("residents.view_resident", "residents.record_consent")
def consent_update(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    resident = get_resident_for_user(
        request, public_id, purpose="consent", fields=("first_name", "last_name"),
        action=Action.UPDATE if request.method == "POST" else Action.READ,
    )  # fmt: skip
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(
            actor=events.actor_for_request(request), acting_user=request.user, resident=resident,
            purpose=form.cleaned_data["purpose"], given=form.cleaned_data["given"], method=form.cleaned_data["method"],
            organisation=form.cleaned_data["organisation"],
        )  # fmt: skip
        messages.success(request, _("The consent has been recorded."))
        return redirect("residents:detail", public_id=resident.public_id)
    return render(request, "residents/consent.html", {"form": form, "resident": resident})


@never_cache
@require_GET
@requires_role(Role.RESIDENT)
def my_details(request: HttpRequest) -> HttpResponse:
    """A resident's own record (a page that says so for an account without one)."""
    try:
        resident: Resident | None = get_own_resident_for_user(request)
    except Http404:
        resident = None
    return render(
        request, "residents/mine.html",
        {"resident": resident, "fields": visible_fields(request.user), "entries": _page_entries(request, "own")},
    )  # fmt: skip


@never_cache
@require_GET
@requires_role(Role.RESIDENT)
def my_access_log(request: HttpRequest) -> HttpResponse:
    """Who looked at my record (NEN 7513 ch. 9): organisation, role, action and when; CSV on request."""
    period = AccessLogPeriodForm(request.GET)
    period.is_valid()  # a day out of range (year 1, 9999) is a form error and a 400, not a server error
    since, until = period.cleaned_data.get("van"), period.cleaned_data.get("tot")
    wants_csv = request.GET.get("formaat") == "csv" and not period.errors
    resident, entries = selectors.own_access_log(request, since=since, until=until, export=wants_csv)
    if wants_csv:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="inzage-omzien.csv"'
        writer = csv_safe.writer(response)
        writer.writerow([_("When"), _("Organisation"), _("Role"), _("Action"), _("Result"), _("Why")])
        for entry in entries:
            writer.writerow([
                timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M"), entry.organisation, entry.role,
                entry.action, entry.outcome, entry.purpose,
            ])  # fmt: skip
        return response
    return render(
        request,
        "residents/my_access_log.html",
        {"entries": entries, "since": since, "until": until, "resident": resident, "period": period},
        status=400 if period.errors else 200,
    )


@never_cache
@require_GET
@requires_permission("residents.view_aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    """Aggregates only: residents with an active case per wijk, small counts suppressed."""
    min_cell = policy.get("publication.min_cell_size")
    return render(
        request,
        "residents/figures.html",
        {"rows": selectors.residents_with_case_by_district(min_cell), "min_cell": min_cell},
    )
