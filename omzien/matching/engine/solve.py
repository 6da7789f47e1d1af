# SPDX-License-Identifier: EUPL-1.2
"""The optimal assignment: maximum total weight, each request at most once, each offer within capacity.

Formulated as a min-cost flow (research/matching-perf.md: the fastest exact method at every size):
source → request (capacity 1) → offer (cost −weight) → sink (capacity = places), plus a
source → sink bypass so that a request may stay unmatched. Solved by OR-Tools SimpleMinCostFlow on
integer costs (weights × 10⁶, rounded).

Large instances are solved by pricing (column generation; Ahuja, Magnanti & Orlin, *Network
Flows*, 1993, §9.3 reduced-cost optimality and §17.2; Dantzig & Wolfe 1960): the solver first sees
only each offer's best few candidates, the *working pairs*. From its optimum we compute an optimal
dual solution — a price vₒ ≥ 0 per offer and uᵣ = wᵣₐ − vₐ for a request matched to a (0 when
unmatched) — and check every feasible pair: if uᵣ + vₒ ≥ wᵣₒ holds for all of them, the dual is
feasible for the whole problem with the same objective, so by LP duality (bipartite b-matching is
totally unimodular) the assignment is optimal over all pairs. Pairs that break it are added and the
solver runs again; in practice two or three rounds. The certificate is exact (integers throughout)
and checked on every solve, so the shortcut can never return a worse assignment.

The prices are the smallest vₒ meeting, for the working pairs: vₒ ≥ 0; vₒ ≥ wᵣₒ for an unmatched r;
vₒ ≥ vₐ + wᵣₒ − wᵣₐ for r matched to a. That is a longest-path problem over the offers (no positive
cycle exists at an optimum), solved by Bellman–Ford rounds. At an optimum these prices are 0 for an
offer with room and never above the weight of a pair in use; both are checked, as is
Σuᵣ + Σ capacityₒ·vₒ = the solver's objective.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.candidates import SCALE, Candidates, candidates_build
from omzien.matching.engine.instance import Instance

HIGH_NEED = 3
# Below this many feasible pairs the solver simply gets all of them.
DIRECT_PAIRS = 50_000
# Working pairs to start with: per offer its best (KEEP_PER_PLACE × capacity + KEEP_EXTRA) pairs,
# found with a histogram of the weights per offer (no sort of all pairs).
KEEP_PER_PLACE, KEEP_EXTRA, BUCKETS = 12, 10, 256
# Each pricing round adds, per request, its ADD_PER_REQUEST most violated pairs; in the first
# DROP_ROUNDS rounds working pairs with a slack above DROP_SLACK (0.2 weight) are let go again.
ADD_PER_REQUEST, DROP_ROUNDS, DROP_SLACK = 3, 8, 200_000
MAX_ROUNDS = 30
# Pricing where places and requests are about even (one-to-one volunteer matching): start from each
# request's and each offer's EVEN_KEEP heaviest pairs; each round adds every pair whose reduced cost
# is within EVEN_MARGIN (0.2 weight) of being violated, not only the violated ones, because the next
# dual moves. On the 10,000 × 10,000 proposal-round benchmark (6.75 M pairs) this closes in 2 rounds
# over 0.45 M pairs: 1.35 s of CPU against 4.2 s for one solve over all pairs (adding only violated
# pairs took 5 rounds, 3.3 s; a margin of 0.1 took 3 rounds, 1.8 s).
EVEN_KEEP, EVEN_MARGIN = 10, 200_000
PRICING_BLOCK = 1 << 20


class NotOptimalError(RuntimeError):
    """The solver's answer failed the optimality check (this is a bug, never a normal outcome)."""


@dataclass
class Solution:
    """Which candidate pair each request got (−1: none), the offers' loads and the objective.

    ``request_dual`` and ``offer_price`` are the optimal dual solution that proves the optimum (see
    the module text); the incremental update starts from them. A solve over all pairs needs no proof
    and leaves them to ``dual_solution()``, which works them out when asked.
    """

    instance: Instance
    candidates: Candidates
    chosen: npt.NDArray[np.int64]  # per request: index into candidates, or -1
    load: npt.NDArray[np.int64]  # per offer
    objective_int: int = 0
    request_dual: npt.NDArray[np.int64] | None = None
    offer_price: npt.NDArray[np.int64] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The pairs the last solve saw (positions into candidates); with the even pricing they hold each
    # request's ``extra["each_request_best"]`` heaviest pairs, which the alternatives shown can use.
    working: npt.NDArray[np.int64] | None = field(default=None, repr=False)

    @property
    def objective(self) -> float:
        return float(self.candidates.weight_of(self.chosen[self.chosen >= 0]).sum())

    @property
    def matched(self) -> int:
        return int((self.chosen >= 0).sum())

    def dual_solution(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(uᵣ, vₒ): the optimal dual, worked out from the assignment over all pairs when not kept."""
        if self.request_dual is None or self.offer_price is None:
            pairs, capacity = self.candidates, self.instance.offers.capacity.astype(np.int64)
            used = np.zeros(len(pairs), dtype=bool)
            used[self.chosen[self.chosen >= 0]] = True
            self.request_dual, self.offer_price = _duals(
                len(self.instance.requests), capacity, pairs.request, pairs.offer, pairs.weight_int, used,
                self.objective_int,
            )  # fmt: skip
        return self.request_dual, self.offer_price


def _min_cost_flow(
    n: int, capacity: npt.NDArray[np.int64], request: npt.NDArray[np.integer], offer: npt.NDArray[np.integer],
    weight: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.bool_], int]:  # fmt: skip
    """Solve over the given pairs; return which pairs are used and the total weight."""
    from ortools.graph.python import min_cost_flow

    # Only requests that have a pair here become nodes.
    local = np.full(n, -1, dtype=np.int64)
    present = np.flatnonzero(np.bincount(request, minlength=n))
    local[present] = np.arange(len(present))
    k, m = len(present), len(capacity)
    source, sink = k + m, k + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(k, source), local[request], k + np.arange(m), [source]]).astype(np.int64)
    heads = np.concatenate([np.arange(k), k + offer, np.full(m, sink), [sink]]).astype(np.int64)
    caps = np.concatenate([np.ones(k), np.ones(len(request)), capacity, [k]]).astype(np.int64)
    costs = np.concatenate([np.zeros(k), -weight, np.zeros(m), [0]]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(k + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = k, -k
    flow.set_nodes_supplies(np.arange(k + m + 2, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise NotOptimalError(f"min-cost flow did not find the optimum (status {status})")
    used = flow.flows(np.arange(k, k + len(request), dtype=np.int64)) > 0
    return used, -int(flow.optimal_cost())


def _longest_paths(
    price: npt.NDArray[np.int64],
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    gain: npt.NDArray[np.int64],
) -> None:
    """Raise ``price`` in place to the least prices with price[head] ≥ price[tail] + gain for every move.

    Bellman–Ford rounds, each relaxing at once (from the prices of the round before) only the moves out of
    offers whose price rose in the round before — the same rounds, and so the same prices, as relaxing every
    move every round, but after the first rounds only a few hundred moves are looked at instead of all of
    them (on the 10,000 × 10,000 proposal round ~180 rounds: 0.15 → 0.05 s per dual). More than one round
    per offer means a cycle of moves gains weight: the assignment was not optimal.
    """
    m = len(price)
    order = np.argsort(tail, kind="stable")
    tail, head, gain = tail[order], head[order], gain[order]
    out_start = np.searchsorted(tail, np.arange(m + 1))
    # The offers with a move out (np.unique(tail) without sorting again: np.unique also loads numpy.ma, a
    # tenth of a second of `omzien match`'s start, issue #16).
    changed = np.flatnonzero(np.diff(out_start))
    for _ in range(m + 1):
        first, counts = out_start[changed], out_start[changed + 1] - out_start[changed]
        total = int(counts.sum())
        if total == 0:
            return
        # The positions of the moves out of the changed offers (each offer's moves lie side by side).
        moves = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(total)
        raised = price.copy()
        np.maximum.at(raised, head[moves], price[tail[moves]] + gain[moves])
        changed = np.flatnonzero(raised > price)
        price[changed] = raised[changed]
    raise NotOptimalError("a cycle of moves gains weight: the assignment is not optimal")


def _duals(
    n: int, capacity: npt.NDArray[np.int64], request: npt.NDArray[np.integer], offer: npt.NDArray[np.integer],
    weight: npt.NDArray[np.int64], used: npt.NDArray[np.bool_], objective: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # fmt: skip
    """The optimal dual (uᵣ, vₒ) of an optimal assignment over these pairs (see the module text)."""
    m = len(capacity)
    assigned = np.full(n, -1, dtype=np.int64)
    assigned_weight = np.zeros(n, dtype=np.int64)
    assigned[request[used]] = offer[used]
    assigned_weight[request[used]] = weight[used]
    matched = assigned >= 0
    price = np.zeros(m, dtype=np.int64)
    free = ~matched[request]
    np.maximum.at(price, offer[free], weight[free])
    moves = matched[request] & ~used
    tail = assigned[request[moves]]
    head = offer[moves].astype(np.int64)
    gain = weight[moves] - assigned_weight[request[moves]]
    if len(head):
        _longest_paths(price, tail, head, gain)
    # (With no offers at all nothing is matched: every uᵣ is 0.)
    dual = (
        np.where(matched, assigned_weight - price[np.maximum(assigned, 0)], 0) if m else np.zeros(n, np.int64)
    )
    load = np.bincount(offer[used], minlength=m)
    if (dual < 0).any() or (price[load < capacity] != 0).any():
        raise NotOptimalError("an augmenting path gains weight: the assignment is not optimal")
    if int(dual.sum()) + int((capacity * price).sum()) != objective:
        raise NotOptimalError("the dual objective differs from the assignment's total weight")
    return dual, price


def _heaviest_per(
    key: npt.NDArray[np.integer], size: int, want: npt.NDArray[np.int64], pairs: Candidates
) -> npt.NDArray[np.bool_]:
    """Mask of each key's (offer's or request's) heaviest pairs, at least ``want[key]`` of them.

    Found with a histogram of the weights per key (two passes, no sort of all pairs): the lowest
    bucket that still gives a key enough pairs becomes its threshold weight.
    """
    weight = pairs.weight_int
    top = int(weight.max()) + 1
    counts = np.zeros(size * BUCKETS, dtype=np.int64)
    for block in _blocks(len(pairs)):
        bucket = key[block].astype(np.int64) * BUCKETS + weight[block].astype(np.int64) * BUCKETS // top
        counts += np.bincount(bucket, minlength=size * BUCKETS)
    from_top = np.cumsum(counts.reshape(size, BUCKETS)[:, ::-1], axis=1)
    enough = from_top >= want[:, None]
    # The lowest bucket each key keeps (all of them when it has fewer pairs than wanted).
    lowest = np.where(enough.any(axis=1), BUCKETS - 1 - enough.argmax(axis=1), 0)
    threshold = (-(-(lowest * top) // BUCKETS)).astype(weight.dtype)  # the least weight in that bucket
    mask = np.empty(len(pairs), dtype=bool)
    for block in _blocks(len(pairs)):
        np.greater_equal(weight[block], threshold[key[block]], out=mask[block])
    return mask


def _initial_pairs(capacity: npt.NDArray[np.int64], pairs: Candidates) -> npt.NDArray[np.int64]:
    """Each offer's heaviest pairs, at least KEEP_PER_PLACE × capacity + KEEP_EXTRA of them."""
    want = KEEP_PER_PLACE * capacity + KEEP_EXTRA
    return np.flatnonzero(_heaviest_per(pairs.offer, len(capacity), want, pairs))


def _initial_pairs_both_sides(
    capacity: npt.NDArray[np.int64], pairs: Candidates, n: int
) -> npt.NDArray[np.bool_]:
    """Each request's EVEN_KEEP heaviest pairs and each offer's EVEN_KEEP × (capacity + 1), as a mask.

    Where places and requests are about even, a request's best pairs matter as much as an offer's:
    starting from one side only left thousands of requests without a good pair in the first solve.
    """
    mask = _heaviest_per(pairs.request, n, np.full(n, EVEN_KEEP, dtype=np.int64), pairs)
    mask |= _heaviest_per(pairs.offer, len(capacity), EVEN_KEEP * (capacity + 1), pairs)
    return mask


def _blocks(size: int) -> list[slice]:
    return [slice(start, min(size, start + PRICING_BLOCK)) for start in range(0, size, PRICING_BLOCK)]


def _best_per_request(
    request: npt.NDArray[np.integer], value: npt.NDArray[np.integer], k: int
) -> npt.NDArray[np.int64]:
    """Positions of each request's k largest values (ties may add a few more), without sorting.

    Candidate generation keeps each request's pairs side by side, so a request is a run of equal
    values in ``request`` and reductions per run (``reduceat``) do the work. Were a request split
    over two runs, it would only get up to k per run — more pairs, never a wrong answer.
    """
    left = np.arange(len(request), dtype=np.int64)
    taken = []
    for _ in range(k):
        if len(left) == 0:
            break
        owner = request[left]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        best = np.maximum.reduceat(value[left], starts)
        top = value[left] == np.repeat(best, np.diff(np.r_[starts, len(left)]))
        taken.append(left[top])
        left = left[~top]
    return np.concatenate(taken) if taken else np.zeros(0, np.int64)


class _Pricing:
    """Checks every pair against a dual solution, block by block, in buffers reused every round."""

    def __init__(self, pairs: Candidates) -> None:
        self.pairs = pairs
        size, dtype = min(len(pairs), PRICING_BLOCK), pairs.weight_int.dtype
        self.reduced, self.bound = np.empty(size, dtype), np.empty(size, dtype)
        self.mask = np.empty(size, dtype=bool)

    def violations(self, dual: npt.NDArray[np.int64], price: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Per request its ADD_PER_REQUEST most violated pairs: where wᵣₒ − vₒ > uᵣ (none: optimal)."""
        pairs, dtype = self.pairs, self.reduced.dtype
        dual, price = dual.astype(dtype), price.astype(dtype)
        found, values = [], []
        for block in _blocks(len(pairs)):
            size = block.stop - block.start
            reduced, bound, mask = self.reduced[:size], self.bound[:size], self.mask[:size]
            np.take(price, pairs.offer[block], out=reduced)
            np.subtract(pairs.weight_int[block], reduced, out=reduced)
            np.take(dual, pairs.request[block], out=bound)
            np.greater(reduced, bound, out=mask)
            bad = np.flatnonzero(mask)
            found.append(bad + block.start)
            values.append(reduced[bad])
        if not found:
            return np.zeros(0, np.int64)
        violated = np.concatenate(found)
        best = _best_per_request(pairs.request[violated], np.concatenate(values), ADD_PER_REQUEST)
        return violated[best]


def _near_tight(pairs: Candidates, dual: npt.NDArray[np.int64], price: npt.NDArray[np.int64], margin: int,
                mask: npt.NDArray[np.bool_]) -> bool:  # fmt: skip
    """Mark in ``mask`` every pair with wᵣₒ − vₒ − uᵣ > −margin; return whether any is violated (> 0)."""
    dtype = np.int64
    violated = False
    for block in _blocks(len(pairs)):
        reduced = (
            pairs.weight_int[block].astype(dtype) - price[pairs.offer[block]] - dual[pairs.request[block]]
        )
        violated = violated or bool((reduced > 0).any())
        mask[block] |= reduced > -margin
    return violated


def _present(index: npt.NDArray[np.integer], size: int) -> npt.NDArray[np.bool_]:
    """Which of 0..size−1 occur in ``index`` (in blocks: no full-length int64 copy)."""
    seen = np.zeros(size, dtype=bool)
    for block in _blocks(len(index)):
        seen[index[block]] = True
    return seen


def _places_are_scarce(capacity: npt.NDArray[np.int64], pairs: Candidates, n: int) -> bool:
    """True when the offers that have pairs hold at most half as many places as there are requests with pairs.

    Then few pairs per offer decide the optimum and pricing closes in a few rounds; where places
    and requests are about even (one-to-one volunteer matching), long exchange chains make pricing
    take many rounds and one solve over all pairs is faster (measured, docs/matching.md).
    """
    places = int(capacity[_present(pairs.offer, len(capacity))].sum())
    return 2 * places <= int(np.count_nonzero(_present(pairs.request, n)))


def solve(
    instance: Instance, candidates: Candidates | None = None, *, pricing: bool | str | None = None
) -> Solution:
    """Return the optimal solution (candidates are built when not given).

    With up to DIRECT_PAIRS feasible pairs the solver gets all pairs at once. Above that it prices
    (see the module text): where places are scarce it starts from each offer's best pairs and adds
    the most violated ones; where they are about even (``"even"``) it starts from both sides' best
    pairs and adds every pair near violation. ``pricing`` forces a way (tests): False all pairs at
    once, True the scarce way, ``"even"`` the even way.
    """
    pairs = candidates if candidates is not None else candidates_build(instance)
    n, capacity = len(instance.requests), instance.offers.capacity.astype(np.int64)
    if pricing is None:
        pricing = len(pairs) > DIRECT_PAIRS and (True if _places_are_scarce(capacity, pairs, n) else "even")
    if pricing == "even" and len(pairs) > 0:
        return _solve_even(instance, pairs, n, capacity)
    pricing = bool(pricing) and len(pairs) > 0
    working = _initial_pairs(capacity, pairs) if pricing else np.arange(len(pairs), dtype=np.int64)
    pricer = _Pricing(pairs) if pricing else None
    rounds = 0
    while True:
        rounds += 1
        request, offer, weight = pairs.request[working], pairs.offer[working], pairs.weight_int[working]
        used, objective = _min_cost_flow(n, capacity, request, offer, weight)
        if pricer is None or len(working) == len(pairs):
            dual = price = None  # over all pairs the optimum needs no proof; dual_solution() has it
            break
        dual, price = _duals(n, capacity, request, offer, weight, used, objective)
        missing = pricer.violations(dual, price)
        if len(missing) == 0:
            break
        if rounds >= MAX_ROUNDS:  # never expected; the solve over all pairs needs no certificate
            working = np.arange(len(pairs), dtype=np.int64)
            continue
        if rounds < DROP_ROUNDS:
            # Keep only working pairs near tight (the pairs in use are tight), so the next solve stays small.
            slack = dual[request] + price[offer] - weight
            working = working[slack <= DROP_SLACK]
        in_working = np.zeros(len(pairs), dtype=bool)
        in_working[working] = True
        in_working[missing] = True
        working = np.flatnonzero(in_working)
    return _solution(instance, pairs, working, used, objective, dual, price, rounds)


def _solution(
    instance: Instance, pairs: Candidates, working: npt.NDArray[np.int64], used: npt.NDArray[np.bool_], objective: int,
    dual: npt.NDArray[np.int64] | None, price: npt.NDArray[np.int64] | None, rounds: int, **extra: Any,
) -> Solution:  # fmt: skip
    n, m = len(instance.requests), len(instance.offers)
    chosen = np.full(n, -1, dtype=np.int64)
    chosen[pairs.request[working[used]]] = working[used]
    load = np.bincount(pairs.offer[working[used]], minlength=m).astype(np.int64)
    return Solution(
        instance=instance, candidates=pairs, chosen=chosen, load=load, objective_int=objective,
        request_dual=dual, offer_price=price, extra={"rounds": rounds, "working_pairs": len(working), **extra},
        working=working,
    )  # fmt: skip


def _solve_even(instance: Instance, pairs: Candidates, n: int, capacity: npt.NDArray[np.int64]) -> Solution:
    """Pricing where places and requests are about even: both sides' best pairs first, then every pair
    within EVEN_MARGIN of violating the dual, until none violates it (the same certificate as above)."""
    in_working = _initial_pairs_both_sides(capacity, pairs, n)
    rounds = 0
    while True:
        rounds += 1
        working = np.flatnonzero(in_working)
        request, offer, weight = pairs.request[working], pairs.offer[working], pairs.weight_int[working]
        used, objective = _min_cost_flow(n, capacity, request, offer, weight)
        if len(working) == len(pairs):
            return _solution(instance, pairs, working, used, objective, None, None, rounds)
        dual, price = _duals(n, capacity, request, offer, weight, used, objective)
        if not _near_tight(pairs, dual, price, EVEN_MARGIN, in_working):
            # The working pairs only grew from the start, which held each request's EVEN_KEEP best.
            return _solution(
                instance, pairs, working, used, objective, dual, price, rounds, each_request_best=EVEN_KEEP
            )
        if rounds >= MAX_ROUNDS:  # never expected; the solve over all pairs needs no certificate
            in_working[:] = True


def best_pairs_per_request(
    pairs: Candidates, n: int, k: int, solution: Solution | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each request's k heaviest pairs, heaviest first (equal weights in candidate order), for the
    alternatives shown beside a proposal: (positions, first, last), request r's pairs being
    ``positions[first[r]:last[r]]``. A histogram per request finds them, so only they are sorted; a
    solution whose working pairs hold each request's k best already (the even pricing) gives them."""
    if len(pairs) == 0:
        empty = np.zeros(n, dtype=np.int64)
        return np.zeros(0, dtype=np.int64), empty, empty
    if (
        solution is not None
        and solution.working is not None
        and solution.extra.get("each_request_best", 0) >= k
    ):
        subset = solution.working
    else:
        subset = np.flatnonzero(_heaviest_per(pairs.request, n, np.full(n, k, dtype=np.int64), pairs))
    order = subset[np.lexsort((-pairs.weight_int[subset].astype(np.int64), pairs.request[subset]))]
    grouped = pairs.request[order]
    first = np.searchsorted(grouped, np.arange(n), side="left")
    last = np.minimum(np.searchsorted(grouped, np.arange(n), side="right"), first + k)
    return order.astype(np.int64), first.astype(np.int64), last.astype(np.int64)


def unmatched_reasons(solution: Solution) -> list[dict[str, str]]:
    """Each unmatched request with why: no feasible offer at all, or outranked by others."""
    has_candidate = np.zeros(len(solution.instance.requests), dtype=bool)
    has_candidate[solution.candidates.request] = True
    ids, candidate = solution.instance.requests.ids, has_candidate.tolist()
    return [
        {"request": ids[i], "reason": "outranked" if candidate[i] else "no_feasible_offer"}
        for i in np.nonzero(solution.chosen < 0)[0].tolist()
    ]


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def fairness_report(solution: Solution) -> dict[str, Any]:
    """Matched count, the share of high-need requests matched, waiting times per wijk, unmatched reasons."""
    requests = solution.instance.requests
    matched = solution.chosen >= 0
    high = requests.need == HIGH_NEED
    per_wijk: dict[str, dict[str, Any]] = {}
    # Plain lists: indexing NumPy arrays item by item cost more than the rest of the report.
    matched_list, waiting = matched.tolist(), requests.waiting_days.tolist()
    for index, wijk in enumerate(requests.wijk or [None] * len(requests)):
        group = per_wijk.setdefault(wijk or "unknown", {"matched": [], "unmatched": []})
        group["matched" if matched_list[index] else "unmatched"].append(float(waiting[index]))
    unmatched = unmatched_reasons(solution)
    return {
        "requests": len(requests),
        "matched": int(matched.sum()),
        "high_need_requests": int(high.sum()),
        "high_need_matched": int((high & matched).sum()),
        "high_need_share_matched": float((high & matched).sum() / high.sum()) if high.any() else None,
        "waiting_days_median_by_wijk": {
            wijk: {
                "matched": _median(group["matched"]), "unmatched": _median(group["unmatched"]),
                "requests": len(group["matched"]) + len(group["unmatched"]),
            }
            for wijk, group in sorted(per_wijk.items())
        },
        "unmatched_by_reason": {
            reason: sum(1 for u in unmatched if u["reason"] == reason) for reason in ("no_feasible_offer", "outranked")
        },
    }  # fmt: skip


def result_document(solution: Solution, *, with_candidates: bool = False) -> dict[str, Any]:
    """The RESULT format of ``omzien match`` (docs/matching.md)."""
    pairs, ids_r, ids_o = solution.candidates, solution.instance.requests.ids, solution.instance.offers.ids
    used = solution.chosen[solution.chosen >= 0]
    parts, km = pairs.parts_of(used), pairs.km_of(used)
    weight = parts["distance"] + parts["interests"] + parts["language"]
    columns = zip(pairs.request[used].tolist(), pairs.offer[used].tolist(), weight.tolist(), km.tolist(),
                  *(values.tolist() for values in parts.values()), strict=True)  # fmt: skip
    names = list(parts)
    assignments = [
        {"request": ids_r[r], "offer": ids_o[o], "weight": w, "km": round(k, 3), "parts": dict(zip(names, p, strict=True))}
        for r, o, w, k, *p in columns
    ]  # fmt: skip
    document: dict[str, Any] = {
        "objective": solution.objective,
        "assignments": assignments,
        "unmatched": unmatched_reasons(solution),
        "fairness": fairness_report(solution),
        "settings": solution.instance.weights.__dict__
        | {"need_factors": list(solution.instance.weights.need_factors)},
        "weight_scale": SCALE,
    }
    if with_candidates:
        document["candidates"] = [
            {"request": ids_r[i], "offer": ids_o[j], "weight": w}
            for i, j, w in zip(
                pairs.request.tolist(), pairs.offer.tolist(), pairs.weight.tolist(), strict=True
            )
        ]
    return document
