# SPDX-License-Identifier: EUPL-1.2
"""From the database to the matching engine's input: open requests and free volunteers as records.

The engine (``omzien.matching.engine``) knows no kinds of work. The kind of a request travels as a
"diet" the offer must list (``kind:visit`` …): every volunteer lists the kinds of work they want (a
host also the diets they cook for), so a visit request only meets visitors and an Eet Mee request
only hosts who cook for the guest's diets, in one solve in which a volunteer's places are shared by
every kind they do. Places: ``Volunteer.places_for`` minus their current pairs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q

from omzien.activities.models import Term
from omzien.volunteers.models import WORK_FOR_KIND, MatchKind, MatchRequest, Pair, Volunteer
from omzien.volunteers.profile import SAME_LANGUAGE_GROUP

DAY_CODES = ("ma", "di", "wo", "do", "vr", "za", "zo")
GENDER = {"woman": "v", "man": "m", "other": "x"}
WANTS = {"women": "v", "men": "m"}
KIND_OF_WORK = {str(work): str(kind) for kind, work in WORK_FOR_KIND.items()}


def _days(mask: int) -> list[str]:
    return [DAY_CODES[day] for day in range(7) if mask >> (3 * day) & 0b111]


def _languages(codes: list[str]) -> list[str]:
    spoken = [c for c in codes if isinstance(c, str)] or ["nl"]
    return spoken + sorted({SAME_LANGUAGE_GROUP[c] for c in spoken if c in SAME_LANGUAGE_GROUP})


def open_requests(organisation: Any) -> list[MatchRequest]:
    """The organisation's requests waiting for a match (no current pair), oldest first."""
    return list(
        MatchRequest.objects.filter(organisation=organisation, status=MatchRequest.Status.OPEN, lat__isnull=False)
        .exclude(pairs__stage__in=Pair.CURRENT)
        .order_by("created_at", "pk")
    )


def free_volunteers(organisation: Any) -> list[tuple[Volunteer, int]]:
    """The volunteers the organisation may propose (active, VOG young enough) with their free places."""
    from omzien.volunteers.selectors import volunteers_eligible_for_home_visits

    volunteers = (
        volunteers_eligible_for_home_visits(organisation)
        .filter(lat__isnull=False)
        .annotate(current=Count("pairs", filter=Q(pairs__stage__in=Pair.CURRENT)))
        .prefetch_related(Prefetch("interests", queryset=Term.objects.only("pk")))
        .only("pk", "lat", "lon", "work_kinds", "availability", "languages", "max_travel_km", "gender",
              "gender_preference", "guests_per_meal", "diets", "max_pairs")  # fmt: skip
    )
    result: list[tuple[Volunteer, int]] = []
    for volunteer in volunteers:
        kinds = [KIND_OF_WORK[w] for w in volunteer.work_kinds if w in KIND_OF_WORK]
        if not kinds:
            continue
        places = max(volunteer.places_for(kind) for kind in kinds) - volunteer.current
        if places > 0:
            result.append((volunteer, places))
    return result


def request_record(request: MatchRequest, now: datetime) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": str(request.pk), "lat": request.lat, "lon": request.lon, "need": request.need,
        "waiting_days": max((now - request.created_at).days, 0), "languages": _languages(request.languages),
        "interests": [f"t{i}" for i in request.interests], "days": _days(request.availability),
        "wants_gender": WANTS.get(request.gender_preference, "any"), "max_km": float(request.max_km),
        "diet": [f"kind:{request.kind}"] + (list(request.diets) if request.kind == MatchKind.EET_MEE else []),
    }  # fmt: skip
    if request.gender in GENDER:
        record["gender"] = GENDER[request.gender]
    return record


def offer_record(volunteer: Volunteer, places: int) -> dict[str, Any]:
    kinds = [KIND_OF_WORK[w] for w in volunteer.work_kinds if w in KIND_OF_WORK]
    record: dict[str, Any] = {
        "id": str(volunteer.pk), "capacity": places, "lat": volunteer.lat, "lon": volunteer.lon,
        "languages": _languages(volunteer.languages), "interests": [f"t{t.pk}" for t in volunteer.interests.all()],
        "days": _days(volunteer.availability), "wants_gender": WANTS.get(volunteer.gender_preference, "any"),
        "max_km": float(volunteer.max_travel_km), "vog_valid": True,
        "diets": [f"kind:{k}" for k in kinds] + (list(volunteer.diets) if MatchKind.EET_MEE in kinds else []),
    }  # fmt: skip
    if volunteer.gender in GENDER:
        record["gender"] = GENDER[volunteer.gender]
    return record


def engine_instance(requests: list[MatchRequest], offers: list[tuple[Volunteer, int]], *, now: datetime) -> Any:
    """The engine's instance (validated) for these requests and volunteers."""
    from omzien.matching.engine import instance_from_dict

    return instance_from_dict({
        "requests": [request_record(r, now) for r in requests],
        "offers": [offer_record(v, places) for v, places in offers],
    })  # fmt: skip
