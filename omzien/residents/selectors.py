# SPDX-License-Identifier: EUPL-1.2
"""Reads about residents: lists for a user (each shown resident logged), consents, aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

import numpy as np

from omzien.audit import events
from omzien.audit.models import Action
from omzien.audit.selectors import ResidentAccess, access_log_for_resident
from omzien.geo.models import District
from omzien.lib.disclosure import suppression_mask
from omzien.residents.models import ConsentEvent, Resident, ResidentLink
from omzien.residents.permissions import (
    RESIDENT_AREAS_LIGHT,
    get_own_resident_for_user,
    residents_visible_to,
    visible_fields,
)

PAGE_SIZE = 25


def resident_page_for_user(
    request: Any, *, query: str = "", page_number: str | int = 1, purpose: str
) -> Page[Resident]:
    """Return one page of the residents the user may see (optionally searched by name).

    Writes one access-log entry per resident shown (security.md A1), with the search as the action.
    """
    residents = residents_visible_to(request.user).select_related("neighbourhood__district").defer(*RESIDENT_AREAS_LIGHT)
    query = query.strip()
    for word in query.split()[:4]:
        residents = residents.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    page = Paginator(residents.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(page_number)
    fields = tuple(
        name for name in ("first_name", "last_name", "neighbourhood") if name in visible_fields(request.user)
    )
    events.record_listed(
        actor=events.actor_for_request(request), shown=page.object_list, fields=fields, purpose=purpose,
        action=Action.SEARCH if query else Action.LIST,
    )  # fmt: skip
    return page


def resident_choices_for_user(request: Any, *, purpose: str, limit: int = 500) -> list[Resident]:
    """Return the residents the user may see, by name, for a choice list; each is logged as shown.

    Only what a choice and its log entry need is read (ids and the name): 500 whole records cost a third
    more of the registration page's time (issue #16).
    """
    residents = list(
        residents_visible_to(request.user)
        .order_by("last_name", "first_name", "pk")
        .only("pk", "public_id", "pseudo_id", "first_name", "last_name")[:limit]
    )
    events.record_listed(
        actor=events.actor_for_request(request), shown=residents, fields=("first_name", "last_name"), purpose=purpose
    )
    return residents


def own_access_log(
    request: Any, *, since: date | None = None, until: date | None = None, export: bool = False
) -> tuple[Resident | None, list[ResidentAccess]]:
    """Return the user's own resident record and who touched it (NEN 7513 ch. 9), days inclusive.

    Reading (or exporting) one's own access log is itself logged, through the own-record access
    function; an account without a record gets an empty log.
    """
    try:
        resident = get_own_resident_for_user(
            request, action=Action.EXPORT if export else Action.READ, fields=(), object_type="access_log"
        )
    except Http404:
        return None, []
    tz = timezone.get_current_timezone()
    entries = access_log_for_resident(
        resident.pseudo_id,
        since=datetime.combine(since, time.min, tzinfo=tz) if since else None,
        until=datetime.combine(until, time.max, tzinfo=tz) if until else None,
    )
    return resident, entries


def same_resident_q(
    *, last_name: str = "", date_of_birth: date | None = None, postcode: str = "", house_number: str = "",
    name_and_postcode: bool = False,
) -> Q:  # fmt: skip
    """Residents who are likely the person described: the same last name and date of birth, or the same
    postcode and house number (in the street's line). With ``name_and_postcode`` also the same last name
    at the same full postcode (a few dozen addresses), for someone known by name, phone and postcode only.

    One rule for every duplicate check: casework's on a signal, the volunteer room's on a request entered
    by hand. An empty Q means: nothing to compare on. The caller limits it to whom its user may see."""
    conditions = Q()
    last_name, postcode = last_name.strip(), postcode.replace(" ", "").upper()
    if date_of_birth and last_name:
        conditions |= Q(last_name__iexact=last_name, date_of_birth=date_of_birth)
    full_postcode = len(postcode) == 6
    number = house_number.strip()
    if full_postcode and number:
        conditions |= Q(postcode=postcode) & (Q(street__iendswith=f" {number}") | Q(street__icontains=f" {number} "))
    if name_and_postcode and full_postcode and last_name:
        conditions |= Q(postcode=postcode, last_name__iexact=last_name)
    return conditions


def consent_history(resident: Resident) -> list[ConsentEvent]:
    """Return the resident's consent events, newest first."""
    return list(
        resident.consent_events.select_related("organisation", "recorded_by").order_by("-recorded_at", "-pk")
    )


def active_links(resident: Resident) -> list[ResidentLink]:
    return list(resident.links.filter(ended_at__isnull=True).select_related("organisation"))


@dataclass(frozen=True)
class DistrictCount:
    code: str
    name: str
    residents_with_case: int | None  # None: suppressed (fewer than the minimum cell size)


def residents_with_case_by_district(min_cell: int) -> list[DistrictCount]:
    """Return per wijk how many residents have an active case; counts below ``min_cell`` are suppressed.

    The table shows no total, so a suppressed count cannot be recovered by subtraction.
    """
    counts = (
        District.objects.annotate(
            n=Count(
                "neighbourhoods__residents",
                filter=Q(
                    neighbourhoods__residents__links__kind=ResidentLink.Kind.CASE,
                    neighbourhoods__residents__links__ended_at__isnull=True,
                )
                # Restricted residents and those who objected to statistics are not counted (AVG art. 18, 21).
                & ~Q(neighbourhoods__residents__in=processing_limited("statistics")),
                distinct=True,
            )
        )
        .order_by("code")
        .values_list("code", "name", "n")
    )
    rows = list(counts)
    # No total is published beside the wijken, so primary suppression is all it takes (lib.disclosure).
    hidden = suppression_mask(np.array([[n] for _code, _name, n in rows], dtype=np.int64).reshape(-1, 1), min_cell,
                              row_totals=False, column_totals=False)[:, 0]  # fmt: skip
    return [DistrictCount(code, name, None if hide else n) for (code, name, n), hide in zip(rows, hidden, strict=True)]


# Processings a resident may object to (AVG art. 21) and that rooms must leave them out of once granted.
OBJECTABLE = ("statistics", "matching")


def processing_limited(processing: str) -> QuerySet[Resident]:
    """The residents a processing ("statistics", "matching") must leave out: restricted (AVG art. 18) or
    objected to it (art. 21, granted). Rooms exclude these ids from their rounds and counts."""
    # Few residents object: the list is read in Python (JSON containment has no SQLite lookup).
    objected = [pk for pk, kinds in Resident.objects.exclude(objections=[]).order_by().values_list("pk", "objections")
                if processing in (kinds or [])]  # fmt: skip
    return Resident.objects.filter(Q(restricted_since__isnull=False) | Q(pk__in=objected))
