# SPDX-License-Identifier: EUPL-1.2
"""What-if planning: today's allocation round re-run by the matching engine with changed supply (reads only).

The policy officer chooses a change — N more (or fewer) places at the activities of one kind in one
wijk — and the activities room's allocation round (``activities.selectors.allocation_round_planned``,
the engine the coordinators use) is run twice on today's waiting requests: as it is, and with the change.
Nothing is offered, nothing stored but the counts. The expected waiting time is the time until
everyone still waiting after the round has a place, at the rate places freed up over the last twelve
weeks (registrations that ended).
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
