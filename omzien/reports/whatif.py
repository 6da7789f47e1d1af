# SPDX-License-Identifier: EUPL-1.2
"""What-if planning: today's matching re-run by the matching engine with changed supply (reads only).

Two kinds of change. **Places**: N more (or fewer) places at the activities of one kind in one wijk —
the activities room's allocation round (``activities.selectors.allocation_round_planned``,
the engine the coordinators use) is run twice on today's waiting requests: as it is, and with the change.
Nothing is offered, nothing stored but the counts. The expected waiting time is the time until
everyone still waiting after the round has a place, at the rate places freed up over the last twelve
weeks (registrations that ended). **Volunteers**: M more (or fewer) volunteers for a person route
(visiting service, buddy, Eet Mee, network coach…) in one wijk or the whole city — the volunteers room's
``whatif_more_volunteers`` matches today's open requests with the organisations' free volunteers and
with M copies of their typical volunteer (its module says how the copies are drawn); the expected wait
runs at the rate pairs freed up over its last twelve weeks. Both are stored in the same shape (today's
round and the changed one), so scenarios of either kind compare side by side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from omzien.activities import selectors as activities

FREE_RATE_WEEKS = 12


@dataclass(frozen=True)
class PlacesChange:
    interest: str
    interest_label: str
    wijk: str
    wijk_name: str
    places: int


class WhatIfError(ValueError):
    """The change cannot be planned (said in words the officer can act on)."""


def spread(change: int, activities_found: list[tuple[int, int, int]]) -> dict[int, int]:
    """Spread a change of places over the activities as evenly as possible (never below zero places)."""
    extra = dict.fromkeys((pk for pk, _capacity, _taken in activities_found), 0)
    capacity = {pk: places for pk, places, _taken in activities_found}
    step = 1 if change > 0 else -1
    remaining = abs(change)
    while remaining:
        moved = False
        for pk in extra:
            if remaining == 0:
                break
            if step < 0 and capacity[pk] + extra[pk] <= 0:
                continue
            extra[pk] += step
            remaining -= 1
            moved = True
        if not moved:
            raise WhatIfError("fewer places than the activities have")
    return {pk: n for pk, n in extra.items() if n}


def _expected_weeks(still_waiting: int, rate: float) -> float | None:
    return still_waiting / rate if rate > 0 else None


def whatif_results(change: PlacesChange, *, now: datetime | None = None) -> dict[str, Any]:
    """Today's round and the changed round as counts, with the expected waiting time of each."""
    found = activities.activities_of_kind(interest=change.interest, wijk=change.wijk)
    if not found:
        raise WhatIfError("no activity of this kind in this wijk")
    extra = spread(change.places, found)
    today, changed = activities.allocation_rounds_planned(variants=[None, extra], now=now)
    rate = activities.places_freed_per_week(weeks=FREE_RATE_WEEKS, now=now)
    rounds = {}
    for name, planned in (("today", today), ("changed", changed)):
        values = asdict(planned)
        values["high_need_share"] = planned.placed_high_need / planned.waiting_high_need if planned.waiting_high_need else None
        values["still_waiting"] = planned.waiting - planned.placed
        values["expected_weeks"] = _expected_weeks(values["still_waiting"], rate)
        rounds[name] = values
    return {
        "today": rounds["today"], "changed": rounds["changed"], "activities": len(found),
        "extra_placed": changed.placed - today.placed,
        "extra_high_need": changed.placed_high_need - today.placed_high_need,
        "freed_per_week": rate, "rate_weeks": FREE_RATE_WEEKS,
    }  # fmt: skip


@dataclass(frozen=True)
class VolunteersChange:
    route: str
    route_label: str
    wijk: str  # "" for the whole city
    wijk_name: str
    volunteers: int


def whatif_volunteers_results(change: VolunteersChange, *, now: datetime | None = None) -> dict[str, Any]:
    """Today's matching of open requests and the matching with the changed volunteers, as counts in the
    shape of ``whatif_results`` (``today``, ``changed``, ``extra_placed``…), plus the engine's own counts."""
    from omzien.volunteers.selectors import whatif_more_volunteers

    found = whatif_more_volunteers(kind=change.route, district_code=change.wijk or None, extra=change.volunteers,
                                   seed=0, now=now)  # fmt: skip
    if not found["open_requests"]:
        raise WhatIfError("no open request")
    rounds = {}
    for name, suffix, places in (("today", "now", found["places_now"]),
                                 ("changed", "with_extra", found["places_now"] + found["places_added"])):  # fmt: skip
        placed = found[f"matched_{suffix}"]
        rounds[name] = {
            "waiting": found["open_requests"], "placed": placed, "still_waiting": found["open_requests"] - placed,
            "waiting_high_need": found["high_need_requests"], "placed_high_need": found[f"high_need_matched_{suffix}"],
            "high_need_share": found[f"high_need_share_{suffix}"], "free_places": places,
            "expected_weeks": found[f"expected_weeks_{suffix}"],
        }  # fmt: skip
    return {
        "today": rounds["today"], "changed": rounds["changed"], "extra_placed": found["extra_matched"],
        "extra_high_need": found["high_need_matched_with_extra"] - found["high_need_matched_now"],
        "volunteers_now": found["volunteers_now"], "volunteers_added": found["volunteers_added"],
        "freed_per_week": found["freed_per_week"], "rate_weeks": found["rate_weeks"], "profile": found["profile"],
        "organisations": [{key: row[key] for key in ("organisation", "open_requests", "volunteers_now", "volunteers_added",
                                                      "matched_now", "matched_with_extra")}
                          for row in found["organisations"]],
    }  # fmt: skip
