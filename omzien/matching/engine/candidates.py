# SPDX-License-Identifier: EUPL-1.2
"""Feasible request–offer pairs and their explainable weights, for all pairs at once.

Candidate generation never looks at all pairs: offers go into a k-d tree of 3-D points on the
sphere, where the chord length is a monotone function of the great-circle distance, so one radius
query per request finds exactly the offers within its reach. The hard constraints are then checked
on the (much smaller) set of nearby pairs with vectorised NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.instance import ANY, Instance, Side

EARTH_KM = 6371.0088
# Integer costs for the solver: weights are scaled and rounded, so ties are decided exactly.
SCALE = 1_000_000


@dataclass
class Candidates:
    """Feasible pairs: request index, offer index, distance, the weight and its parts."""

    request: npt.NDArray[np.int64]
    offer: npt.NDArray[np.int64]
    km: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    part_distance: npt.NDArray[np.float64]
    part_interests: npt.NDArray[np.float64]
    part_language: npt.NDArray[np.float64]
    priority: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.request)

    @property
    def weight_int(self) -> npt.NDArray[np.int64]:
        return np.rint(self.weight * SCALE).astype(np.int64)

    def parts(self, index: int) -> dict[str, float]:
        """The weight of pair ``index`` split into its parts (they add up to the weight)."""
        return {
            "distance": float(self.part_distance[index]),
            "interests": float(self.part_interests[index]),
            "language": float(self.part_language[index]),
        }


def unit_vectors(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def _popcount(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    return np.bitwise_count(values)


def _shared_and_union(
    a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    if a.shape[1] == 1:  # the common case: at most 64 interests, one word, no 2-D reductions
        a, b = a[:, 0], b[:, 0]
        return _popcount(a & b).astype(np.int64), _popcount(a | b).astype(np.int64)
    return _popcount(a & b).sum(axis=1, dtype=np.int64), _popcount(a | b).sum(axis=1, dtype=np.int64)


def reach_km(side: Side) -> npt.NDArray[np.float64]:
    """Each record's own distance limit (inf where it gives none)."""
    return np.where(np.isnan(side.max_km), np.inf, side.max_km)


def pairs_feasible(
    instance: Instance,
    request: npt.NDArray[np.int64],
    offer: npt.NDArray[np.int64],
    km: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    """Which of the given pairs meet every hard constraint (docs/matching.md, 'feasible pair')."""
    r, o, w = instance.requests, instance.offers, instance.weights
    request_reach, offer_reach = reach_km(r)[request], reach_km(o)[offer]
    neither_limits = np.isinf(request_reach) & np.isinf(offer_reach)
    ok = (km <= request_reach) & (km <= offer_reach) & (~neither_limits | (km <= w.default_max_km))
    ok &= (r.languages[request] & o.languages[offer]) != 0
    ok &= (r.wants_gender[request] == ANY) | (r.wants_gender[request] == o.gender[offer])
    ok &= (o.wants_gender[offer] == ANY) | (o.wants_gender[offer] == r.gender[request])
    request_days, offer_days = r.days[request], o.days[offer]
    ok &= (request_days == 0) | (offer_days == 0) | ((request_days & offer_days) != 0)
    # A diet asked for must be offered, where the offer says which diets it serves.
    ok &= ~o.diets_given[offer] | ((r.diets[request] & ~o.diets[offer]) == 0)
    ok &= o.vog_valid[offer] != 0
    ok &= o.capacity[offer] > 0
    return ok


def weigh(
    instance: Instance,
    request: npt.NDArray[np.int64],
    offer: npt.NDArray[np.int64],
    km: npt.NDArray[np.float64],
) -> Candidates:
    """Return the pairs with their weights: fit (three parts) × priority, parts scaled so they add up."""
    r, o, w = instance.requests, instance.offers, instance.weights
    shared, union = _shared_and_union(r.interests[request], o.interests[offer])
    jaccard = np.divide(shared, union, out=np.zeros(len(shared)), where=union > 0)
    spoken = _popcount(r.languages[request])
    language_share = _popcount(r.languages[request] & o.languages[offer]) / np.maximum(spoken, 1)
    need_factor = np.asarray(w.need_factors, dtype=np.float64)[r.need[request].astype(np.int64) - 1]
    waiting = np.minimum(r.waiting_days[request], w.waiting_cap_days) / w.waiting_cap_days
    priority = need_factor * (1.0 + w.waiting * waiting)
    part_distance = w.distance * np.exp(-km / w.decay_km) * priority
    part_interests = w.interests * jaccard * priority
    part_language = w.language * language_share * priority
    return Candidates(
        request=request, offer=offer, km=km, weight=part_distance + part_interests + part_language,
        part_distance=part_distance, part_interests=part_interests, part_language=part_language, priority=priority,
    )  # fmt: skip


def _tree_radius(reach: float) -> float:
    """The chord length for a great-circle distance (plus a hair for rounding)."""
    return float(2 * np.sin(min(reach, np.pi * EARTH_KM) / (2 * EARTH_KM))) * (1 + 1e-9) + 1e-12


def candidates_build(instance: Instance, requests: npt.NDArray[np.int64] | None = None) -> Candidates:
    """Return every feasible pair (for all requests, or the given request indices)."""
    from scipy.spatial import cKDTree

    r, o, w = instance.requests, instance.offers, instance.weights
    chosen = np.arange(len(r), dtype=np.int64) if requests is None else np.asarray(requests, dtype=np.int64)
    if len(chosen) == 0 or len(o) == 0:
        empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0)
        return Candidates(empty_i, empty_i, empty_f, empty_f, empty_f, empty_f, empty_f, empty_f)
    # The furthest any pair can be apart: a request's own limit, or else the furthest an offer
    # reaches (its own limit, or the default when it gives none).
    offer_reach = reach_km(o)
    offer_bound = float(np.max(np.where(np.isinf(offer_reach), w.default_max_km, offer_reach)))
    request_reach = reach_km(r)[chosen]
    limit = float(np.max(np.where(np.isinf(request_reach), offer_bound, request_reach)))
    radius = _tree_radius(limit)
    offers_tree = cKDTree(unit_vectors(o.lat, o.lon))
    requests_tree = cKDTree(unit_vectors(r.lat[chosen], r.lon[chosen]))
    pairs = requests_tree.sparse_distance_matrix(offers_tree, radius, output_type="ndarray")
    local, offer = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
    request = chosen[local]
    # The tree measured the chord between unit vectors; the great-circle distance follows from it.
    km = 2 * EARTH_KM * np.arcsin(np.minimum(pairs["v"] / 2, 1.0))
    keep = pairs_feasible(instance, request, offer, km)
    # The pairs come in the tree's (deterministic) order; nothing downstream needs them sorted.
    return weigh(instance, request[keep], offer[keep], km[keep])
