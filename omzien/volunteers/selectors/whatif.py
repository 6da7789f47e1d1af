# SPDX-License-Identifier: EUPL-1.2
"""What-if for the council (issue #23): "what if there were M more volunteers for this kind of match in
this wijk?" — answered by the real matching engine, reading only.

Today's open requests of the kind (in the wijk, when one is named) are matched twice per organisation,
exactly as a coordinator's proposal round would (``engine_input``: the same records, the same rules
and weights): once with the organisation's free volunteers of today, once with ``extra`` synthetic
volunteers added. Nothing is stored and nothing is proposed; the result holds counts only (no person).

The synthetic volunteers are copies of the organisation's typical volunteer for that kind, drawn with
a seeded random generator (the same seed gives the same answer):

- **whom they copy** (languages, interests, days, travel distance, gender and preference, diets they
  cook for, places for this kind): a volunteer drawn at random, with replacement, from the
  organisation's volunteers who may be proposed (active, VOG young enough) and do this kind of work —
  those living in the wijk when there are any, else all of them; with none at all, a plain profile
  (Dutch, any day, 3 km, one place; ``profile`` says which source was used);
- **where they live**: a postcode (PC6) of the wijk drawn at random, so they spread over the wijk as
  its addresses do; without a wijk (or a wijk without postcodes) the home of another drawn volunteer;
- **their places**: all free (a new volunteer has no pairs yet).

``extra`` is spread over the organisations with open requests in proportion to them (largest
remainder, ties to the organisation with the most requests, then the lowest id). A negative ``extra``
takes that many of today's free volunteers living in the wijk out (drawn with the same generator).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from omzien.volunteers.models import KIND_FOR_ROUTE, WORK_FOR_KIND, MatchKind, MatchRequest, Pair, Volunteer

__all__ = ["WhatIfKindError", "whatif_more_volunteers"]

HIGH_NEED = 3
# The rate at which places free up (pairs that ended or did not go ahead) is taken over these weeks.
FREED_RATE_WEEKS = 12
PLAIN_PROFILE: dict[str, Any] = {
    "languages": ["nl"], "interests": [], "days": [], "wants_gender": "any", "max_km": 3.0, "vog_valid": True,
}  # fmt: skip


class WhatIfKindError(ValueError):
    """The kind is neither a kind of match nor a casework route that opens one."""


def _match_kind(kind: str) -> str:
    if kind in MatchKind.values:
        return kind
    if kind in KIND_FOR_ROUTE:
        return str(KIND_FOR_ROUTE[kind])
    raise WhatIfKindError(f"unknown kind of match: {kind!r}")


def _spread(extra: int, requests_per_organisation: dict[int, int]) -> dict[int, int]:
    """``extra`` over the organisations in proportion to their open requests (largest remainder)."""
    total = sum(requests_per_organisation.values())
    if extra <= 0 or total == 0:
        return dict.fromkeys(requests_per_organisation, 0)
    share = {pk: extra * n / total for pk, n in requests_per_organisation.items()}
    given = {pk: int(value) for pk, value in share.items()}
    order = sorted(share, key=lambda pk: (-(share[pk] - given[pk]), -requests_per_organisation[pk], pk))
    for pk in order[: extra - sum(given.values())]:
        given[pk] += 1
    return given


@dataclass
class _Today:
    """One organisation today: its open requests (and their engine records), free volunteers, profiles."""

    organisation: Any
    requests: list[MatchRequest]
    records: list[dict[str, Any]]
    offers: list[tuple[Volunteer, int, dict[str, Any]]]
    pool: list[Volunteer]
    local: list[Volunteer]


def _lives_in(volunteer: Volunteer, district_code: str | None) -> bool:
    if not district_code:
        return True
    neighbourhood = volunteer.neighbourhood
    return neighbourhood is not None and neighbourhood.district.code == district_code


def _solve(records: list[dict[str, Any]], offers: list[dict[str, Any]]) -> tuple[int, int]:
    """(matched, high-need matched) of the engine's optimum for these records."""
    from omzien.matching.engine import instance_from_dict, solve

    if not records or not offers:
        return 0, 0
    solution = solve(instance_from_dict({"requests": records, "offers": offers}))
    matched = solution.chosen >= 0
    high = solution.instance.requests.need == HIGH_NEED
    return int(matched.sum()), int((matched & high).sum())


def whatif_more_volunteers(
    *, kind: str, district_code: str | None, extra: int, seed: int = 0, organisation_id: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Today's open requests of ``kind`` (a kind of match, or a casework route such as ``visiting_service``)
    in the wijk ``district_code`` (None: the whole city) matched with today's free volunteers, and with
    ``extra`` synthetic volunteers shaped like the organisation's own (see the module text). Reads only.

    Returns counts: ``open_requests``, ``matched_now``, ``matched_with_extra``, ``still_waiting_now``,
    ``still_waiting_with_extra``, the high-need (most urgent) requests and shares matched, the free
    volunteers and places of today and added, pairs freed per week (the last twelve weeks) and the
    expected weeks until everyone still waiting has a volunteer at that rate, and per organisation.
    """
    from omzien.geo.models import Postcode
    from omzien.residents.selectors import processing_limited
    from omzien.volunteers.engine_input import free_volunteers, offer_record, request_record
    from omzien.volunteers.selectors.centre import volunteers_eligible_for_home_visits

    match_kind = _match_kind(kind)
    work = str(WORK_FOR_KIND[MatchKind(match_kind)])
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 - a seeded, repeatable draw, not a secret
    current = Pair.objects.filter(request=OuterRef("pk"), stage__in=Pair.CURRENT)
    requests = MatchRequest.objects.filter(
        status=MatchRequest.Status.OPEN, kind=match_kind, lat__isnull=False
    ).exclude(Exists(current)).exclude(resident__in=processing_limited("matching"))
    if district_code:
        requests = requests.filter(neighbourhood__district__code=district_code)
    if organisation_id is not None:
        requests = requests.filter(organisation_id=organisation_id)
    by_organisation: dict[int, list[MatchRequest]] = {}
    for request in requests.select_related("organisation").order_by("created_at", "pk"):
        by_organisation.setdefault(request.organisation_id, []).append(request)
    given = _spread(extra, {pk: len(found) for pk, found in by_organisation.items()})
    homes: list[tuple[float | None, float | None]] = []
    if district_code:
        homes = list(
            Postcode.objects.filter(neighbourhood__district__code=district_code, lat__isnull=False)
            .exclude(code__regex=r"^\d{4}$")  # PC6 only: PC4 centres would pile the copies up on a few points
            .order_by("code")
            .values_list("lat", "lon")
        )
    # First what each organisation has today: its requests' and free volunteers' records, and the profiles.
    today: list[_Today] = []
    for _pk, found in sorted(by_organisation.items()):
        organisation = found[0].organisation
        offers = [
            (v, places, offer_record(v, places))
            for v, places in free_volunteers(organisation)
            if work in v.work_kinds
        ]
        # The profiles the copies are drawn from: everyone the organisation may propose for this kind.
        pool = [
            v for v in volunteers_eligible_for_home_visits(organisation).filter(lat__isnull=False)
            .select_related("neighbourhood__district").prefetch_related("interests").order_by("pk")
            if work in v.work_kinds
        ]  # fmt: skip
        local = [v for v in pool if _lives_in(v, district_code)]
        today.append(
            _Today(organisation, found, [request_record(r, now) for r in found], offers, pool, local)
        )
    # Fewer volunteers: that many of today's free volunteers living in the wijk leave, drawn over all organisations.
    leaving: set[tuple[int, int]] = set()
    if extra < 0:
        residents_of_wijk = {v.pk for t in today for v in t.local}
        living = [
            (t.organisation.pk, v.pk) for t in today for v, _p, _r in t.offers if v.pk in residents_of_wijk
        ]
        leaving = set(rng.sample(living, min(-extra, len(living))))
    totals = dict.fromkeys(("open_requests", "matched_now", "matched_with_extra", "high_need_requests",
                            "high_need_matched_now", "high_need_matched_with_extra", "volunteers_now", "places_now",
                            "volunteers_added", "places_added"), 0)  # fmt: skip
    organisations: list[dict[str, Any]] = []
    sources: set[str] = {"removed"} if extra < 0 else set()
    for t in today:
        organisation_pk = t.organisation.pk
        offer_records = [record for _v, _p, record in t.offers]
        with_extra = [record for v, _p, record in t.offers if (organisation_pk, v.pk) not in leaving]
        added = len(with_extra) - len(offer_records)
        places_added = -sum(p for v, p, _r in t.offers if (organisation_pk, v.pk) in leaving)
        if given[organisation_pk] > 0:
            profiles, source = (
                (t.local, "district") if t.local else (t.pool, "organisation") if t.pool else ([], "plain")
            )
            sources.add(source)
            for k in range(given[organisation_pk]):
                if profiles:
                    model = rng.choice(profiles)
                    twin = offer_record(model, model.places_for(match_kind))
                else:
                    twin = dict(PLAIN_PROFILE, capacity=1, diets=[])
                if homes:
                    twin["lat"], twin["lon"] = rng.choice(homes)
                elif t.pool:
                    home = rng.choice(t.pool)
                    twin["lat"], twin["lon"] = home.lat, home.lon
                else:  # no volunteer and no postcode known: beside a request
                    anchor = rng.choice(t.requests)
                    twin["lat"], twin["lon"] = anchor.lat, anchor.lon
                twin["id"] = f"extra-{organisation_pk}-{k}"
                # The copy comes for this kind of work, whatever else its model does.
                twin["diets"] = [f"kind:{match_kind}"] + [
                    d for d in twin["diets"] if not d.startswith("kind:")
                ]
                with_extra.append(twin)
                added += 1
                places_added += int(twin["capacity"])
        matched_now, high_now = _solve(t.records, offer_records)
        matched_extra, high_extra = _solve(t.records, with_extra)
        high = sum(1 for r in t.requests if r.need == HIGH_NEED)
        organisations.append({
            "organisation_id": organisation_pk, "organisation": t.organisation.name, "open_requests": len(t.requests),
            "volunteers_now": len(t.offers), "volunteers_added": added, "matched_now": matched_now,
            "matched_with_extra": matched_extra, "high_need_requests": high,
        })  # fmt: skip
        for key, value in (("open_requests", len(t.requests)), ("matched_now", matched_now),
                           ("matched_with_extra", matched_extra), ("high_need_requests", high),
                           ("high_need_matched_now", high_now), ("high_need_matched_with_extra", high_extra),
                           ("volunteers_now", len(t.offers)), ("places_now", sum(p for _v, p, _r in t.offers)),
                           ("volunteers_added", added), ("places_added", places_added)):  # fmt: skip
            totals[key] += value
    # Places free up when a pair ends or does not go ahead (the last twelve weeks).
    since = now - timedelta(weeks=FREED_RATE_WEEKS)
    freed = Pair.objects.filter(kind=match_kind, organisation_id__in=list(by_organisation)).filter(
        Q(stage=Pair.Stage.ENDED, ended_on__gte=since.date())
        | Q(stage=Pair.Stage.DECLINED, asked_at__gte=since)
    )
    if district_code:
        freed = freed.filter(request__neighbourhood__district__code=district_code)
    rate = freed.count() / FREED_RATE_WEEKS
    still_now = totals["open_requests"] - totals["matched_now"]
    still_extra = totals["open_requests"] - totals["matched_with_extra"]
    high_total = totals["high_need_requests"]
    return {
        "kind": match_kind, "district_code": district_code, "extra": extra, "seed": seed, **totals,
        "still_waiting_now": still_now, "still_waiting_with_extra": still_extra,
        "extra_matched": totals["matched_with_extra"] - totals["matched_now"],
        "high_need_share_now": totals["high_need_matched_now"] / high_total if high_total else None,
        "high_need_share_with_extra": totals["high_need_matched_with_extra"] / high_total if high_total else None,
        "freed_per_week": rate, "rate_weeks": FREED_RATE_WEEKS,
        "expected_weeks_now": still_now / rate if rate > 0 else None,
        "expected_weeks_with_extra": still_extra / rate if rate > 0 else None,
        "profile": sorted(sources), "organisations": organisations,
    }  # fmt: skip
