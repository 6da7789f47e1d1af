# SPDX-License-Identifier: EUPL-1.2
"""The optimal assignment: maximum total weight, each request at most once, each offer within capacity.

Formulated as a min-cost flow (research/matching-perf.md: the fastest exact method at every size):
source → request (capacity 1) → offer (cost −weight) → sink (capacity = places), plus a
source → sink bypass so that a request may stay unmatched. Solved by OR-Tools SimpleMinCostFlow on
integer costs (weights × 10⁶, rounded).
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


@dataclass
class Solution:
    """Which candidate pair each request got (−1: none), the offers' loads and the objective."""

    instance: Instance
    candidates: Candidates
    chosen: npt.NDArray[np.int64]  # per request: index into candidates, or -1
    load: npt.NDArray[np.int64]  # per offer
    objective_int: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def objective(self) -> float:
        return float(self.candidates.weight[self.chosen[self.chosen >= 0]].sum())

    @property
    def matched(self) -> int:
        return int((self.chosen >= 0).sum())


def solve(instance: Instance, candidates: Candidates | None = None) -> Solution:
    """Return the optimal solution (candidates are built when not given)."""
    from ortools.graph.python import min_cost_flow

    pairs = candidates if candidates is not None else candidates_build(instance)
    n, m = len(instance.requests), len(instance.offers)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    capacity = instance.offers.capacity
    tails = np.concatenate([np.full(n, source), pairs.request, n + np.arange(m), [source]]).astype(np.int64)
    heads = np.concatenate([np.arange(n), n + pairs.offer, np.full(m, sink), [sink]]).astype(np.int64)
    caps = np.concatenate([np.ones(n), np.ones(len(pairs)), capacity, [n]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), -pairs.weight_int, np.zeros(m), [0]]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not find the optimum (status {status})")
    pair_arcs = np.arange(n, n + len(pairs), dtype=np.int64)
    used = flow.flows(pair_arcs) > 0
    chosen = np.full(n, -1, dtype=np.int64)
    chosen[pairs.request[used]] = np.nonzero(used)[0]
    load = np.bincount(pairs.offer[used], minlength=m).astype(np.int64)
    return Solution(
        instance=instance, candidates=pairs, chosen=chosen, load=load, objective_int=-int(flow.optimal_cost())
    )


def unmatched_reasons(solution: Solution) -> list[dict[str, str]]:
    """Each unmatched request with why: no feasible offer at all, or outranked by others."""
    has_candidate = np.zeros(len(solution.instance.requests), dtype=bool)
    has_candidate[solution.candidates.request] = True
    ids = solution.instance.requests.ids
    return [
        {"request": ids[i], "reason": "outranked" if has_candidate[i] else "no_feasible_offer"}
        for i in np.nonzero(solution.chosen < 0)[0]
    ]


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def fairness_report(solution: Solution) -> dict[str, Any]:
    """Matched count, the share of high-need requests matched, waiting times per wijk, unmatched reasons."""
    requests = solution.instance.requests
    matched = solution.chosen >= 0
    high = requests.need == HIGH_NEED
    per_wijk: dict[str, dict[str, Any]] = {}
    for index, wijk in enumerate(requests.wijk or [None] * len(requests)):
        group = per_wijk.setdefault(wijk or "unknown", {"matched": [], "unmatched": []})
        group["matched" if matched[index] else "unmatched"].append(float(requests.waiting_days[index]))
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
    assignments = [
        {"request": ids_r[int(pairs.request[c])], "offer": ids_o[int(pairs.offer[c])], "weight": float(pairs.weight[c]),
         "km": round(float(pairs.km[c]), 3), "parts": pairs.parts(int(c))}
        for c in solution.chosen[solution.chosen >= 0]
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
            {"request": ids_r[int(i)], "offer": ids_o[int(j)], "weight": float(w)}
            for i, j, w in zip(pairs.request, pairs.offer, pairs.weight, strict=True)
        ]
    return document
