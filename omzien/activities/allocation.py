# SPDX-License-Identifier: EUPL-1.2
"""Places by need, through the matching engine: the waiting-list rank and the city-wide allocation round.

This module turns waiting residents and activities into the engine's plain data and back; all
weighing and optimising happens in ``omzien.matching.engine`` (docs/matching.md). A freed place goes
to the waiting resident with the highest weight for that activity (for one offer, the engine's
optimum is exactly that); the city-wide round is the engine's full solve.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

import numpy as np

from omzien import policy
from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.geo.models import Municipality, Postcode
from omzien.matching.engine import candidates_build, instance_from_dict, solve
from omzien.matching.engine.candidates import priority
from omzien.matching.engine.solve import fairness_report
from omzien.residents.models import Resident
from omzien.residents.selectors import processing_limited

DEFAULT_LANGUAGES = ["nl"]


# Outlines are not needed to place anyone: kept out of the waiting-list rows (issue #16).
WITHOUT_BOUNDARIES = ("resident__neighbourhood__boundary", "resident__neighbourhood__district__boundary")

@dataclass
class RankedEntry:
    entry: WaitingListEntry
    rank: int
    weight: float
    parts: dict[str, float]
    km: float | None
    waiting_days: int
    feasible: bool


@dataclass
class Proposal:
    resident_id: int
    entries: list[WaitingListEntry]
    activity: Activity
    weight: float
    km: float
    parts: dict[str, float]
    waiting_for_it: bool
    need: int = 1
    waiting_days: int = 0

    @property
    def key(self) -> str:
        """Names the proposal in the coordinator's form: resident and activity (database ids, not shown)."""
        return f"{self.resident_id}:{self.activity.pk}"


@dataclass
class AllocationPlan:
    proposals: list[Proposal]
    waiting_residents: int
    activities_with_places: int
    objective: float
    fairness: dict[str, Any] = field(default_factory=dict)


def home_points(residents: Iterable[Resident]) -> dict[int, tuple[float, float]]:
    """Each resident's home as (lat, lon): the PC6 centre, else the PC4 centre, else the buurt's centroid."""
    people = list(residents)
    codes = {r.postcode for r in people if r.postcode} | {r.postcode[:4] for r in people if r.postcode}
    rows = Postcode.objects.filter(code__in=codes, lat__isnull=False, lon__isnull=False)
    known = {
        code: (lat, lon)
        for code, lat, lon in rows.values_list("code", "lat", "lon")
        if lat is not None and lon is not None
    }
    points: dict[int, tuple[float, float]] = {}
    for person in people:
        point = known.get(person.postcode) or known.get(person.postcode[:4])
        buurt = person.neighbourhood
        if (
            point is None
            and buurt is not None
            and buurt.centroid_lat is not None
            and buurt.centroid_lon is not None
        ):
            point = (float(buurt.centroid_lat), float(buurt.centroid_lon))
        if point is not None:
            points[person.pk] = point
    return points


def _city_centre() -> tuple[float, float]:
    city = (
        Municipality.objects.exclude(centroid_lat=None).exclude(centroid_lon=None)
        .values_list("centroid_lat", "centroid_lon").first()
    )  # fmt: skip
    return (
        (float(city[0]), float(city[1]))
        if city and city[0] is not None and city[1] is not None
        else (52.0907, 5.1214)
    )


def _activity_point(activity: Activity) -> tuple[float, float] | None:
    location = activity.location
    if location is None or location.lat is None or location.lon is None:
        return None
    return (location.lat, location.lon)


def waiting_days(entry: WaitingListEntry, now: datetime) -> int:
    return max((now - entry.joined_at).days, 0)


def _request(ident: str, resident: Resident, point: tuple[float, float], need: int, days: int,
             interests: list[str], max_km: float | None = None) -> dict[str, Any]:  # fmt: skip
    record: dict[str, Any] = {
        "id": ident, "lat": point[0], "lon": point[1], "need": need, "waiting_days": days,
        "languages": resident.languages or DEFAULT_LANGUAGES, "interests": interests,
        "wijk": resident.neighbourhood.district.code if resident.neighbourhood else None,
    }  # fmt: skip
    if max_km is not None:
        record["max_km"] = max_km
    return record


def _offer(activity: Activity, point: tuple[float, float], capacity: int,
           interests: Iterable[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """The activity as the engine's offer; ``interests`` (codes) when the caller read them already."""
    return {
        "id": str(activity.pk), "capacity": capacity, "lat": point[0], "lon": point[1],
        "languages": activity.languages or DEFAULT_LANGUAGES,
        "interests": sorted(interests) if interests is not None else [term.code for term in activity.interests.all()],
    }  # fmt: skip


def waiting_ranking(activity: Activity, *, now: datetime | None = None) -> list[RankedEntry]:
    """The residents waiting for the activity (not those holding an offer), best first, with the reasons.

    Feasible entries (a shared language, within reach) come first by the engine's weight — need,
    waiting time and fit — then the others by waiting time. Ties go to whoever waited longest.
    """
    now = now or timezone.now()
    entries = list(
        activity.waiting_list.filter(status=WaitingListEntry.Status.WAITING)
        .exclude(resident__in=processing_limited("matching"))  # AVG art. 18 / 21: not offered a place
        .select_related("resident__neighbourhood__district")
        .defer(*WITHOUT_BOUNDARIES)
        .order_by("joined_at", "pk")
    )
    if not entries:
        return []
    points = home_points(entry.resident for entry in entries)
    centre = _city_centre()
    place = _activity_point(activity) or centre
    interests = [term.code for term in activity.interests.all()]
    requests = [
        _request(
            str(index),
            entry.resident,
            points.get(entry.resident_id, centre),
            entry.need,
            waiting_days(entry, now),
            interests,
        )  # fmt: skip
        for index, entry in enumerate(entries)
    ]
    instance = instance_from_dict({"requests": requests, "offers": [_offer(activity, place, 1)]})
    pairs = candidates_build(instance)
    by_request = {int(pairs.request[i]): i for i in range(len(pairs))}
    ranked: list[tuple[tuple[float, float, int], RankedEntry]] = []
    for index, entry in enumerate(entries):
        pair = by_request.get(index)
        days = waiting_days(entry, now)
        item = RankedEntry(
            entry=entry, rank=0, weight=float(pairs.weight[pair]) if pair is not None else 0.0,
            parts=pairs.parts(pair) if pair is not None else {}, km=float(pairs.km[pair]) if pair is not None else None,
            waiting_days=days, feasible=pair is not None,
        )  # fmt: skip
        ranked.append(((0 if item.feasible else 1, -round(item.weight, 9), index), item))
    ranked.sort(key=lambda pair: pair[0])
    result = [item for _key, item in ranked]
    for position, item in enumerate(result, start=1):
        item.rank = position
    return result


def _registered_pairs(residents: list[Resident], activities: list[Activity]) -> set[tuple[int, int]]:
    """(resident index, activity pk) for every active registration among these residents and activities.

    The residents are named by a subquery, never as an IN list of their ids: a city's thousands of waiting
    residents as a list made SQLite take seconds over the same few rows (issue #23's what-if on a 370,000 city).
    """
    index = {resident.pk: position for position, resident in enumerate(residents)}
    wanted = {a.pk for a in activities}
    # Only the registrations of residents who wait somewhere, by a subquery the database joins: a few hundred
    # rows, not every active registration of the city read into Python (issue #16's allocation page).
    waiting = WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING).values("resident_id")
    rows = Registration.objects.filter(status=Registration.Status.ACTIVE, resident_id__in=waiting).values_list(
        "resident_id", "activity_id"
    )
    return {(index[resident_id], activity_id) for resident_id, activity_id in rows.iterator(chunk_size=5000)
            if resident_id in index and activity_id in wanted}  # fmt: skip


def _share_an_interest(pairs: Any) -> np.ndarray:
    """True for each pair whose interests part of the weight is above 0: they share an interest (and interests
    weigh). Read from the interest bit masks, not from ``parts_of``, which also computes every pair's
    distance — a third of the round's time on a city's waiting lists (issue #23's what-if)."""
    instance = pairs.instance
    if instance.weights.interests <= 0:
        return np.zeros(len(pairs), dtype=bool)
    shared = instance.requests.interests[pairs.request] & instance.offers.interests[pairs.offer]
    return np.asarray(shared.any(axis=1)) & (priority(instance)[pairs.request] > 0)


def allocation_plan(*, now: datetime | None = None, extra_places: Mapping[int, int] | None = None) -> AllocationPlan:
    """Propose a place for everyone waiting, city-wide, by the engine's full solve (optimal total weight).

    Requests: one per waiting resident (need and waiting time of their longest wait, the interests of
    every activity they wait for). Offers: every active activity with free places. A resident may be
    proposed an activity they wait for, or another within the allocation distance (policy
    ``activities.allocation_max_km``) that shares one of those interests — never one they are registered
    for. A resident who holds an open offer (or suggestion) is left out until they answer it, so a
    second round never offers twice.

    ``extra_places`` (activity pk → places more, or fewer when negative) plans with changed supply for
    the reports room's what-if; nothing is written either way.
    """
    return allocation_plans(now=now, variants=[extra_places])[0]


def allocation_plans(*, now: datetime | None = None,
                     variants: list[Mapping[int, int] | None]) -> list[AllocationPlan]:  # fmt: skip
    """``allocation_plan`` for several supplies at once (the what-if: today's and a changed one).

    The waiting lists, homes, interests and registrations are read once; the engine solves per variant.
    """
    now = now or timezone.now()
    holding = WaitingListEntry.objects.filter(status=WaitingListEntry.Status.OFFERED).values("resident_id")
    # The waited-for activities' interests are read once as (activity, code) pairs: a prefetch through
    # each entry's own copy of its activity cost seconds on a city's waiting lists (issue #16).
    entries = list(
        WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING, activity__is_active=True)
        .exclude(resident_id__in=holding)
        .exclude(resident__in=processing_limited("matching"))  # AVG art. 18 / 21: not in the round
        .select_related("resident__neighbourhood__district")
        .defer(*WITHOUT_BOUNDARIES)
        .order_by("joined_at", "pk")
    )
    extras = [{pk: n for pk, n in (variant or {}).items() if n} for variant in variants]
    more = [pk for extra in extras for pk, n in extra.items() if n > 0]
    candidates = list(
        Activity.objects.filter(Q(places_taken__lt=F("capacity")) | Q(pk__in=more), is_active=True,
                                location__lat__isnull=False)
        .select_related("location")
    )  # fmt: skip
    # The interests of the waited-for and the offered activities in one read of (activity, code) pairs:
    # a prefetch made a Term object per pair, a sixth of the allocation page's time (issue #16).
    interests_of: dict[int, set[str]] = defaultdict(set)
    wanted_ids = {entry.activity_id for entry in entries} | {activity.pk for activity in candidates}
    pairs = Activity.interests.through.objects.filter(activity_id__in=wanted_ids)
    for activity_id, code in pairs.values_list("activity_id", "term__code"):
        interests_of[activity_id].add(code)
    by_resident: dict[int, list[WaitingListEntry]] = defaultdict(list)
    for entry in entries:
        by_resident[entry.resident_id].append(entry)
    residents = [group[0].resident for group in by_resident.values()]
    points = home_points(residents)
    centre = _city_centre()
    requests = []
    for resident in residents:
        group = by_resident[resident.pk]
        interests = sorted(set().union(*(interests_of[entry.activity_id] for entry in group)))
        requests.append(
            _request(str(resident.pk), resident, points.get(resident.pk, centre), max(e.need for e in group),
                     max(waiting_days(e, now) for e in group), interests, float(policy.get("activities.allocation_max_km")))
        )  # fmt: skip
    registered = _registered_pairs(residents, candidates) if requests and candidates else set()
    return [_plan_for(now, requests, residents, by_resident, entries, centre, registered,
                      [a for a in candidates if a.capacity + extra.get(a.pk, 0) > a.places_taken], extra,
                      interests_of)
            for extra in extras]  # fmt: skip


def _plan_for(now: datetime, requests: list[dict[str, Any]], residents: list[Resident],
              by_resident: Mapping[int, list[WaitingListEntry]], entries: list[WaitingListEntry],
              centre: tuple[float, float], registered: set[tuple[int, int]], activities: list[Activity],
              extra: Mapping[int, int], interests_of: Mapping[int, set[str]]) -> AllocationPlan:  # fmt: skip
    """One variant of the round: the offers of these activities (with their changed places), solved."""
    offers = [
        _offer(
            activity,
            _activity_point(activity) or centre,
            activity.capacity + extra.get(activity.pk, 0) - activity.places_taken,
            interests_of.get(activity.pk, ()),
        )
        for activity in activities
    ]
    if not requests or not offers:
        return AllocationPlan([], len(requests), len(offers), 0.0)
    instance = instance_from_dict({"requests": requests, "offers": offers})
    pairs = candidates_build(instance)
    # Keep a pair when the resident waits for that activity or it shares one of their interests.
    waits_for = {(resident_index, entry.activity_id) for resident_index, resident in enumerate(residents)
                 for entry in by_resident[resident.pk]}  # fmt: skip
    activity_pks = np.array([a.pk for a in activities], dtype=np.int64)
    # (resident index, activity pk) pairs as one int64 key each, so membership is one np.isin.
    span = int(max(activity_pks.max(), max((e.activity_id for e in entries), default=0))) + 1

    def keys(pairs_set: set[tuple[int, int]]) -> np.ndarray:
        return np.fromiter((r * span + a for r, a in pairs_set), dtype=np.int64, count=len(pairs_set))

    pair_keys = pairs.request.astype(np.int64) * span + activity_pks[pairs.offer]
    waited = np.isin(pair_keys, keys(waits_for))
    taken = np.isin(pair_keys, keys(registered))
    keep = (waited | _share_an_interest(pairs)) & ~taken
    kept = pairs.take(keep)
    solution = solve(instance, kept)
    proposals = []
    chosen = solution.chosen
    picked = chosen[chosen >= 0]
    # Weights, distances and parts of the chosen pairs in one go, not one small array per proposal.
    picked_parts = kept.parts_of(picked)
    row_of = {int(pair): row for row, pair in enumerate(picked.tolist())}
    picked_km = kept.km_of(picked)
    for resident_index, pair in enumerate(chosen.tolist()):
        if pair < 0:
            continue
        resident = residents[resident_index]
        activity = activities[int(kept.offer[pair])]
        row = row_of[pair]
        parts = {name: float(values[row]) for name, values in picked_parts.items()}
        proposals.append(
            Proposal(
                resident_id=resident.pk,
                entries=by_resident[resident.pk],
                activity=activity,
                weight=sum(parts.values()),
                km=float(picked_km[row]),
                parts=parts,
                waiting_for_it=(resident_index, activity.pk) in waits_for,
                need=max(e.need for e in by_resident[resident.pk]),
                waiting_days=max(waiting_days(e, now) for e in by_resident[resident.pk]),
            )  # fmt: skip
        )
    proposals.sort(key=lambda p: -p.weight)
    return AllocationPlan(
        proposals, len(residents), len(activities), solution.objective, fairness_report(solution)
    )
