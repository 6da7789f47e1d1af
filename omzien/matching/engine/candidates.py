# SPDX-License-Identifier: EUPL-1.2
"""Feasible request–offer pairs and their explainable weights.

Candidate generation never looks at all pairs. Points are 3-D unit vectors, where the chord length
is a monotone function of the great-circle distance. Requests are taken in spatially compact blocks
(the leaves of a k-d split of the requests); one vectorised pass over the offers (a half block
searches only its whole block's) gives the few offers that can be within reach of anyone in the
block (a ball around the block's centre), and
only those block × offer distances are computed, as one small dense array. The hard constraints
are applied to the same small arrays as broadcast masks. Against the earlier version (one
tree-to-tree query over all pairs, then the rules per pair, every weight part kept) this measured
2 × faster at city size and 2.6 × at national size (docs/matching.md); the block arrays stay small
enough to be reused instead of paged in anew.

Only the request, offer and integer weight of each pair are kept (12 bytes a pair). Distances,
weights and their parts are computed again for the pairs someone looks at (``Candidates.km_of``,
``weight_of``, ``parts_of``): the weight by the same function, the distance by the difference of
the unit vectors, which agrees with the block's expanded square far below a millimetre (tests
compare both with haversine and the kept integer weights with weights computed again).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.geo.distance import EARTH_KM
from omzien.matching.engine.instance import ANY, Instance, Side

# Integer costs for the solver: weights are scaled and rounded, so ties are decided exactly.
SCALE = 1_000_000
# Requests per block of candidate generation, and the largest block × offers distance array (a block
# is halved when an odd spread of requests makes it larger). Halved in issue #21 from 256 and 200,000:
# a block's arrays (100,000 cells, 0.8 MB a float array) then stay in the cache, and on this machine
# (CPU time, one thread, best of 3) the 10,000 × 10,000 proposal round's 6.75 M pairs took 0.49 s
# instead of 1.30 s; the engine's volunteer instance 0.26 s instead of 0.65 s, its activity
# instance 0.14 s instead of 0.15 s, the national one 2.46 s instead of 2.65 s.
BLOCK_REQUESTS = 128
DENSE_CELLS = 100_000
# Worker threads for candidate generation (the machines have 2 cores).
THREADS = min(2, os.cpu_count() or 1)
PART_NAMES = ("distance", "interests", "language")

Index = npt.NDArray[np.signedinteger[Any]]
Selection = npt.NDArray[np.int64] | npt.NDArray[np.bool_] | slice


@dataclass
class Candidates:
    """Feasible pairs: request index, offer index and the weight as the solver's integer cost.

    ``weight_int`` is the weight × SCALE, rounded (int32 unless the settings allow larger weights).
    """

    request: Index
    offer: Index
    weight_int: npt.NDArray[np.signedinteger[Any]]
    instance: Instance = field(repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.request)

    def take(self, index: npt.NDArray[np.int64] | npt.NDArray[np.bool_]) -> Candidates:
        """The pairs at ``index`` (positions or a mask), as candidates of the same instance."""
        return Candidates(self.request[index], self.offer[index], self.weight_int[index], self.instance)

    def km_of(self, index: Selection) -> npt.NDArray[np.float64]:
        """Great-circle kilometres of the pairs at ``index``."""
        r, o = self.instance.requests, self.instance.offers
        request, offer = self.request[index], self.offer[index]
        return km_between(r.lat[request], r.lon[request], o.lat[offer], o.lon[offer])

    def parts_of(self, index: Selection) -> dict[str, npt.NDArray[np.float64]]:
        """The parts of the weights at ``index``: per part an array; the parts add up to the weight."""
        parts = weight_parts(self.instance, self.request[index], self.offer[index], self.km_of(index))
        return dict(zip(PART_NAMES, parts, strict=True))

    def weight_of(self, index: Selection) -> npt.NDArray[np.float64]:
        """The weights of the pairs at ``index`` (the sum of their parts)."""
        distance, interests, language = self.parts_of(index).values()
        return distance + interests + language

    def parts(self, index: int) -> dict[str, float]:
        """The weight of pair ``index`` split into its parts (they add up to the weight)."""
        return {name: float(values[0]) for name, values in self.parts_of(np.array([index])).items()}

    @cached_property
    def weight(self) -> npt.NDArray[np.float64]:
        """Every pair's weight (computed on first use; large instances use ``weight_of`` on a few)."""
        return self.weight_of(slice(None))

    @cached_property
    def km(self) -> npt.NDArray[np.float64]:
        """Every pair's distance (computed on first use)."""
        return self.km_of(slice(None))


def unit_vectors(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def _squared_chord(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """|a − b|² of unit vectors (last axis x, y, z), added in one fixed order so it is the same everywhere."""
    dx, dy, dz = a[..., 0] - b[..., 0], a[..., 1] - b[..., 1], a[..., 2] - b[..., 2]
    return dx * dx + dy * dy + dz * dz


def _chord_km(squared_chord: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Great-circle kilometres from the squared chord between unit vectors."""
    return 2 * EARTH_KM * np.arcsin(np.minimum(np.sqrt(squared_chord) / 2, 1.0))


def km_between(
    lat1: npt.NDArray[np.float64], lon1: npt.NDArray[np.float64],
    lat2: npt.NDArray[np.float64], lon2: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:  # fmt: skip
    """Great-circle kilometres, computed as candidate generation does (same numbers)."""
    return _chord_km(_squared_chord(unit_vectors(lat1, lon1), unit_vectors(lat2, lon2)))


def _popcount(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    return np.bitwise_count(values)


def _shared_and_union(
    a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Shared and combined interests of pairs whose masks take several 64-bit words."""
    return _popcount(a & b).sum(axis=1, dtype=np.int64), _popcount(a | b).sum(axis=1, dtype=np.int64)


def reach_km(side: Side) -> npt.NDArray[np.float64]:
    """Each record's own distance limit (inf where it gives none)."""
    return np.where(np.isnan(side.max_km), np.inf, side.max_km)


def priority(instance: Instance) -> npt.NDArray[np.float64]:
    """Each request's priority: need factor × (1 + waiting share), see docs/matching.md."""
    r, w = instance.requests, instance.weights
    need_factor = np.asarray(w.need_factors, dtype=np.float64)[r.need.astype(np.int64) - 1]
    waiting = np.minimum(r.waiting_days, w.waiting_cap_days) / w.waiting_cap_days
    return need_factor * (1.0 + w.waiting * waiting)


@dataclass(frozen=True)
class _RulesInUse:
    """Which optional rules any record uses (a rule nobody uses would keep every pair)."""

    request_gender: bool
    offer_gender: bool
    days: bool
    diets: bool

    @classmethod
    def of(cls, instance: Instance) -> _RulesInUse:
        r, o = instance.requests, instance.offers
        return cls(
            request_gender=bool((r.wants_gender != ANY).any()), offer_gender=bool((o.wants_gender != ANY).any()),
            days=bool(r.days.any() and o.days.any()), diets=bool(o.diets_given.any() and r.diets.any()),
        )  # fmt: skip


def _rules_mask(
    instance: Instance, request: npt.NDArray[np.int64], offer: npt.NDArray[np.int64], in_use: _RulesInUse
) -> npt.NDArray[np.bool_]:
    """The rules other than distance for every request × offer cell (docs/matching.md, 'feasible pair').

    ``request`` and ``offer`` index the two sides; the result has one row per request. Offers
    without places or with ``vog_valid`` false never get this far.
    """
    r, o = instance.requests, instance.offers
    ok = (r.languages[request][:, None] & o.languages[offer][None, :]) != 0
    if in_use.request_gender:
        wants = r.wants_gender[request][:, None]
        ok &= (wants == ANY) | (wants == o.gender[offer][None, :])
    if in_use.offer_gender:
        wants = o.wants_gender[offer][None, :]
        ok &= (wants == ANY) | (wants == r.gender[request][:, None])
    if in_use.days:
        request_days, offer_days = r.days[request][:, None], o.days[offer][None, :]
        ok &= (request_days == 0) | (offer_days == 0) | ((request_days & offer_days) != 0)
    if in_use.diets:
        # A diet asked for must be offered, where the offer says which diets it serves.
        ok &= ~o.diets_given[offer][None, :] | ((r.diets[request][:, None] & ~o.diets[offer][None, :]) == 0)
    return ok


def weight_parts(
    instance: Instance,
    request: npt.NDArray[np.integer],
    offer: npt.NDArray[np.integer],
    km: npt.NDArray[np.float64],
    request_priority: npt.NDArray[np.float64] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The three parts of each pair's weight (fit part × priority): distance, interests, language.

    The weight is their sum, always added in this order, so that a weight computed again from its
    parts is the same number.
    """
    r, o, w = instance.requests, instance.offers, instance.weights
    prio = (priority(instance) if request_priority is None else request_priority)[request]
    shared: npt.NDArray[Any]
    union: npt.NDArray[Any]
    if r.interests.shape[1] == 1:  # the common case: at most 64 interests, one word, 1-D gathers
        a, b = r.interests[:, 0][request], o.interests[:, 0][offer]
        shared, union = _popcount(a & b), _popcount(a | b)
    else:
        shared, union = _shared_and_union(r.interests[request], o.interests[offer])
    jaccard = np.divide(shared, union, out=np.zeros(len(shared)), where=union > 0)
    languages = r.languages[request]
    language_share = _popcount(languages & o.languages[offer]) / np.maximum(_popcount(languages), 1)
    part_distance = w.distance * np.exp(-km / w.decay_km) * prio
    part_interests = w.interests * jaccard * prio
    part_language = w.language * language_share * prio
    return part_distance, part_interests, part_language


def _chord(km: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
    """The chord between unit vectors for a great-circle distance (inf stays inf)."""
    km = np.asarray(km, dtype=np.float64)
    return np.where(np.isinf(km), np.inf, 2 * np.sin(np.minimum(km, np.pi * EARTH_KM) / (2 * EARTH_KM)))


def _request_blocks(points: npt.NDArray[np.float64]) -> list[npt.NDArray[np.int64]]:
    """Positions of the points in spatially compact blocks of at most BLOCK_REQUESTS.

    A k-d split (Bentley 1975): halve at the median of the widest coordinate until a part is small
    enough. Our own dozen lines instead of ``scipy.spatial.cKDTree``, whose import alone took 0.8 s
    of CPU, half of ``omzien match`` on a city file (issue #16); blocks need no tree, only the order.
    """
    blocks: list[npt.NDArray[np.int64]] = []
    pending = [np.arange(len(points), dtype=np.int64)]
    while pending:
        part = pending.pop()
        if len(part) <= BLOCK_REQUESTS:
            blocks.append(part)
            continue
        values = points[part]
        axis = int(np.argmax(values.max(axis=0) - values.min(axis=0)))
        half = len(part) // 2
        order = np.argpartition(values[:, axis], half)
        pending += [part[order[half:]], part[order[:half]]]
    return blocks


class _PairFinder:
    """Finds the feasible pairs of one block of requests; shared, read-only, by the worker threads."""

    def __init__(self, instance: Instance, chosen: npt.NDArray[np.int64]) -> None:
        r, o, w = instance.requests, instance.offers, instance.weights
        self.instance, self.chosen = instance, chosen
        self.usable = np.flatnonzero((o.capacity > 0) & (o.vog_valid != 0))
        # The distance rule as chords (monotone in km): within both sides' limits, or within the
        # default when neither gives one. The furthest a request can reach bounds its tree query.
        self.request_limit, self.offer_limit = _chord(reach_km(r)), _chord(reach_km(o))
        self.default = float(_chord(w.default_max_km))
        usable_limit = self.offer_limit[self.usable]
        self.offers_limited = bool(np.isfinite(usable_limit).any())
        bound = float(np.max(np.where(np.isinf(usable_limit), self.default, usable_limit), initial=0.0))
        self.radius = np.minimum(self.request_limit[chosen], bound)
        self.offer_points = unit_vectors(o.lat[self.usable], o.lon[self.usable])
        self.request_points = unit_vectors(r.lat[chosen], r.lon[chosen])
        self.request_priority = priority(instance)
        self.rules = _RulesInUse.of(instance)
        self.integer = weight_int_type(instance)

    def pairs(
        self, block: npt.NDArray[np.int64], within: npt.NDArray[np.int64] | None = None
    ) -> list[tuple[npt.NDArray[Any], ...]]:
        """(request, offer, weight_int) of the block's feasible pairs, a request's pairs side by side.

        ``within``: the usable offers (positions) that can be near the block at all — a half block
        searches only its whole block's offers, so halving never rescans every offer.
        """
        points = self.request_points[block]
        centre = points.mean(axis=0)
        # Coordinates relative to the block's centre are small, so the expanded square below
        # (|a|² + |b|² − 2 a·b, one matrix product) loses no precision to cancellation.
        shifted = points - centre
        request_norm = np.einsum("ij,ij->i", shifted, shifted)
        # Any offer within a request's radius lies within (spread + that radius) of the centre.
        reach = float(np.sqrt(request_norm.max())) + float(self.radius[block].max()) * (1 + 1e-9)
        # The offers within reach of the centre, by one pass over the candidates (a ball query
        # without a tree: blocks are few, and each pass is a vectorised sum of three squares).
        candidates = np.arange(len(self.offer_points), dtype=np.int64) if within is None else within
        near = candidates[_squared_chord(self.offer_points[candidates], centre) <= reach * reach]
        if len(near) == 0:
            return []
        if len(block) > 1 and len(block) * len(near) > DENSE_CELLS:  # too spread out: halve
            return self.pairs(block[: len(block) // 2], near) + self.pairs(block[len(block) // 2 :], near)
        offers_shifted = self.offer_points[near] - centre
        offer_norm = np.einsum("ij,ij->i", offers_shifted, offers_shifted)
        squared = request_norm[:, None] + offer_norm[None, :] - 2 * (shifted @ offers_shifted.T)
        requests, offers = self.chosen[block], self.usable[near]
        limit = self.request_limit[requests][:, None]
        if self.offers_limited:
            limit = np.minimum(limit, self.offer_limit[offers][None, :])
        limit = np.where(np.isinf(limit), self.default, limit)
        cells = (squared <= limit * limit) & _rules_mask(self.instance, requests, offers, self.rules)
        local, column = np.nonzero(cells)
        request, offer = requests[local], offers[column]
        km = _chord_km(np.maximum(squared[local, column], 0.0))
        distance, interests, language = weight_parts(self.instance, request, offer, km, self.request_priority)
        weight_int = np.rint((distance + interests + language) * SCALE).astype(self.integer)
        return [(request.astype(np.int32), offer.astype(np.int32), weight_int)]


def weight_int_type(instance: Instance) -> type[np.signedinteger[Any]]:
    """int32 when every possible weight × SCALE fits (the defaults allow 4.5 × 10⁶), else int64."""
    w = instance.weights
    most = max(w.need_factors) * (1 + abs(w.waiting)) * (abs(w.distance) + abs(w.interests) + abs(w.language))
    return np.int32 if most * SCALE < np.iinfo(np.int32).max else np.int64


def candidates_build(instance: Instance, requests: npt.NDArray[np.int64] | None = None) -> Candidates:
    """Return every feasible pair (for all requests, or the given request indices).

    Blocks are independent, so two threads share them (NumPy releases the GIL for its work); the result is put together in block order, the same on every run.
    """
    n = len(instance.requests)
    chosen = np.arange(n, dtype=np.int64) if requests is None else np.asarray(requests, dtype=np.int64)
    integer = weight_int_type(instance)
    found: list[tuple[npt.NDArray[Any], ...]] = []
    if len(chosen) and len(instance.offers):
        finder = _PairFinder(instance, chosen)
        blocks = _request_blocks(finder.request_points)
        if len(finder.usable) == 0:
            blocks = []
        if len(blocks) > 1 and THREADS > 1:
            with ThreadPoolExecutor(THREADS) as pool:
                for pairs in pool.map(finder.pairs, blocks):
                    found += pairs
        else:
            for block in blocks:
                found += finder.pairs(block)
    if not found:
        return Candidates(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, integer), instance)
    request, offer, weight_int = (np.concatenate(column) for column in zip(*found, strict=True))
    return Candidates(request, offer, weight_int, instance)
