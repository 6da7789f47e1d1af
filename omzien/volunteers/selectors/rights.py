# SPDX-License-Identifier: EUPL-1.2
"""What this room holds about a resident, for their data export (AVG art. 15/20; the rights room
collects it through ``lib.rooms``): their requests for a person with the pairs, check-ins and visits,
and — when the same person volunteers (one person, two roles) — their volunteer profile.

Nobody else is named (art. 15(4)): the organisation is, the volunteer or coordinator is not; on the
volunteering side the people they were matched with are not either.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from omzien.volunteers.models import MatchRequest, Pair, Volunteer

__all__ = ["volunteers_of_resident_export"]


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _pair(pair: Pair, *, as_volunteer: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": pair.organisation.name, "kind": pair.get_kind_display(), "stage": pair.get_stage_display(),
        "asked": _when(pair.asked_at), "introduction": _when(pair.introduction_on), "active_from": _when(pair.started_on),
        "ended": _when(pair.ended_on), "why_it_ended": pair.get_end_reason_display() if pair.end_reason else "",
        "meal_rhythm": pair.get_meal_rhythm_display() if pair.meal_rhythm else "",
        "visits_and_meals": [
            {"date": _when(c.on), "minutes": c.minutes, **({} if as_volunteer else {"note": c.note}), "worried": c.worried}
            for c in sorted(pair.contacts.all(), key=lambda c: (c.on, c.pk))
        ],
    }  # fmt: skip
    if not as_volunteer:
        data["your_answer"] = pair.get_resident_answer_display()
        data["check_ins"] = [
            {"moment": c.get_moment_display(), "due": _when(c.due_on), "done": _when(c.done_at),
             "still_meeting": c.still_meeting, "meetings_a_month": c.times_a_month,
             "how_it_goes_for_you": c.get_resident_going_display() if c.resident_going else "", "note": c.note}
            for c in sorted(pair.check_ins.all(), key=lambda c: (c.due_on, c.pk))
        ]  # fmt: skip
    return data


def _requests(resident: Any) -> list[dict[str, Any]]:
    requests = (
        MatchRequest.objects.filter(resident=resident)
        .select_related("organisation", "neighbourhood")
        .prefetch_related("pairs__organisation", "pairs__contacts", "pairs__check_ins")
        .order_by("created_at", "pk")
    )
    return [
        {
            "organisation": request.organisation.name,
            "asked_for": request.get_kind_display(),
            "came_from": request.get_source_display(),
            "status": request.get_status_display(),
            "how_urgent": request.get_need_display(),
            "postcode": request.postcode,
            "neighbourhood": request.neighbourhood.name if request.neighbourhood else "",
            "languages": list(request.languages),
            "days_and_times": request.availability,
            "gender_preference": request.get_gender_preference_display() if request.gender_preference else "",
            "diets": list(request.diets),
            "greatest_distance_km": request.max_km,
            "what_to_keep_in_mind": request.keep_in_mind,
            "asked_on": _when(request.created_at),
            "closed_on": _when(request.closed_at),
            "why_closed": request.closed_reason,
            "matches": [
                _pair(pair, as_volunteer=False)
                for pair in sorted(request.pairs.all(), key=lambda p: (p.asked_at, p.pk))
            ],
        }  # fmt: skip
        for request in requests
    ]


def _volunteering(resident: Any) -> dict[str, Any] | None:
    if resident.user_id is None:
        return None
    volunteer = (
        Volunteer.objects.filter(user_id=resident.user_id, anonymised_at__isnull=True)
        .prefetch_related(
            "interests",
            "intakes__organisation",
            "vogs__organisation",
            "training_registrations__session__training",
            "pairs__organisation",
            "pairs__contacts",
        )  # fmt: skip
        .first()
    )
    if volunteer is None:
        return None
    return {
        "first_name": volunteer.first_name, "last_name": volunteer.last_name, "email": volunteer.email,
        "phone": volunteer.phone, "date_of_birth": _when(volunteer.date_of_birth), "postcode": volunteer.postcode,
        "what_you_want_to_do": list(volunteer.work_kinds), "days_and_times": volunteer.availability,
        "languages": list(volunteer.languages), "interests": sorted(str(t) for t in volunteer.interests.all()),
        "how_far_you_travel_km": volunteer.max_travel_km, "gender": volunteer.get_gender_display() if volunteer.gender else "",
        "prefers_to_be_matched_with": volunteer.get_gender_preference_display() if volunteer.gender_preference else "",
        "people_at_a_time": volunteer.max_pairs, "guests_per_meal": volunteer.guests_per_meal,
        "diets_you_cook_for": list(volunteer.diets), "motivation": volunteer.motivation,
        "signed_up": _when(volunteer.created_at),
        "organisations": [
            {"organisation": i.organisation.name, "stage": i.get_stage_display(), "since": _when(i.stage_changed_at),
             "started": _when(i.started_at), "extra_support_noted_by_the_coordinator": i.extra_support_note}
            for i in sorted(volunteer.intakes.all(), key=lambda i: (i.started_at, i.pk))
        ],
        "vogs": [
            {"organisation": v.organisation.name, "requested": _when(v.requested_on), "valid_from": _when(v.issued_on),
             "checked": _when(v.checked_at)}
            for v in sorted(volunteer.vogs.all(), key=lambda v: (v.requested_on, v.pk))
        ],
        "trainings": [
            {"training": r.session.training.title, "starts": _when(r.session.starts_at), "status": r.get_status_display(),
             "attended": r.attended}
            for r in sorted(volunteer.training_registrations.all(), key=lambda r: (r.registered_at, r.pk))
        ],
        "matches_as_volunteer": [_pair(pair, as_volunteer=True) for pair in sorted(volunteer.pairs.all(), key=lambda p: (p.asked_at, p.pk))],
    }  # fmt: skip


def volunteers_of_resident_export(resident: Any) -> dict[str, Any]:
    """The resident's requests for a person (with their matches, check-ins and visits logged) and, when they
    volunteer too, their volunteer profile — plain JSON-ready values, nobody else named."""
    return {"requests": _requests(resident), "volunteering": _volunteering(resident)}
