# SPDX-License-Identifier: EUPL-1.2
"""The matching engine at the sizes of issue #5 (scale 1.0), next to greedy and first-come-first-served.

- activities: 30,000 requests × 500 activities with 6,250 places, pairs within 3 km (target: full
  solve ≤ 1 s, candidates included; one new request ≤ 50 ms median, ≤ 100 ms max);
- volunteers: 10,000 × 10,000 one-to-one, pairs within 2 km (target ≤ 4 s; new request ≤ 300 ms median);
- national: 300,000 requests × 5,000 activities with 60,000 places in 10 city boxes (≤ 10 s, ≤ 2 GB).

Correctness checked on every run: the optimum is never below greedy or FCFS, and after the arrivals
the incremental objective equals a full re-solve.
"""

from __future__ import annotations

import copy
import resource
import time
from typing import Any

import numpy as np

from benchmarks.harness import summary, timed_runs
from benchmarks.matching_instances import activities, volunteers
from omzien.matching.engine import candidates_build, solve
from omzien.matching.engine.baselines import first_come_first_served, greedy
from omzien.matching.engine.incremental import IncrementalMatcher
from omzien.matching.engine.instance import Instance, side_take

ARRIVALS = 20


def _quality(
    instance: Instance, chosen: np.ndarray, weights: np.ndarray, pairs_request: np.ndarray
) -> dict[str, Any]:
    taken = chosen[chosen >= 0]
    high = instance.requests.need == 3
    matched = np.zeros(len(instance.requests), bool)
    matched[pairs_request[taken]] = True
    return {"objective": round(float(weights[taken].sum()), 3), "matched": int(matched.sum()),
            "high_need_share": round(float((matched & high).sum() / max(1, high.sum())), 4)}  # fmt: skip


def _one(name: str, instance: Instance, repeat: int, arrivals: bool) -> dict[str, Any]:
    def full() -> Any:
        pairs = candidates_build(instance)
        return solve(instance, pairs)

    times, solution = timed_runs(full, repeat)
    pairs = solution.candidates
    greedy_choice = greedy(instance, pairs)
    fcfs_choice = first_come_first_served(
        instance, pairs, np.random.default_rng(0).permutation(len(instance.requests))
    )
    result: dict[str, Any] = {
        "instance": name, "requests": len(instance.requests), "offers": len(instance.offers),
        "places": int(instance.offers.capacity.sum()), "pairs": len(pairs), "full_solve": summary(times),
        "optimum": _quality(instance, solution.chosen, pairs.weight, pairs.request),
        "greedy": _quality(instance, greedy_choice, pairs.weight, pairs.request),
        "first_come_first_served": _quality(instance, fcfs_choice, pairs.weight, pairs.request),
    }  # fmt: skip
    assert result["optimum"]["objective"] >= result["greedy"]["objective"] - 1e-6
    assert result["optimum"]["objective"] >= result["first_come_first_served"]["objective"] - 1e-6
    if arrivals:
        n = len(instance.requests)
        start = copy.copy(instance)
        start.requests = side_take(instance.requests, np.arange(n - ARRIVALS))
        init_times, matcher = timed_runs(lambda: IncrementalMatcher(solve(start)), 1)
        arrival_times: list[float] = []
        for k in range(n - ARRIVALS, n):
            newcomer = side_take(instance.requests, np.array([k]))
            started = time.perf_counter()
            matcher.add_request(newcomer)
            arrival_times.append(time.perf_counter() - started)
        assert matcher.objective_int == solution.objective_int, (
            "incremental objective differs from a full solve"
        )
        result["one_new_request"] = summary(arrival_times) | {
            "arrivals": ARRIVALS,
            "state_setup_s": init_times[0],
        }
    return result


def run(scale: float = 1.0) -> dict[str, Any]:
    # Import the heavy libraries first, so that no timing includes them.
    import ortools.graph.python.min_cost_flow  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401
    import scipy.spatial  # noqa: F401

    def size(value: int) -> int:
        return max(2, int(value * scale))

    results = [
        _one("activities", activities(size(30_000), size(500), size(6_250)), 3, arrivals=True),
        _one("volunteers", volunteers(size(10_000), size(10_000)), 3, arrivals=True),
        _one(
            "national",
            activities(size(300_000), size(5_000), size(60_000), tiles=10, seed=5),
            2,
            arrivals=False,
        ),
    ]
    return {"runs": results, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
