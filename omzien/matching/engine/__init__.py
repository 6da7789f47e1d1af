# SPDX-License-Identifier: EUPL-1.2
"""The matching engine: pure functions over plain data (NumPy arrays), no Django inside.

- ``instance``: requests and offers, parsed and validated from plain dicts (or built from arrays);
- ``candidates``: the feasible pairs, found block by block (a k-d split of the requests), and their explainable weights;
- ``solve``: the optimal assignment (OR-Tools min-cost flow) and the fairness report;
- ``incremental``: the exact update when one request arrives (shortest augmenting path);
- ``baselines``: greedy and first-come-first-served, for comparison only.
"""

from omzien.matching.engine.candidates import Candidates, candidates_build
from omzien.matching.engine.instance import Instance, InstanceError, Weights, instance_from_dict
from omzien.matching.engine.solve import Solution, solve

__all__ = [
    "Candidates", "Instance", "InstanceError", "Solution", "Weights", "candidates_build", "instance_from_dict", "solve",
]  # fmt: skip
