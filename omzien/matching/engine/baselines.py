# SPDX-License-Identifier: EUPL-1.2
"""Greedy and first-come-first-served assignment: what hand matching approximates. For comparison only."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.candidates import Candidates
from omzien.matching.engine.instance import Instance


def _assign(instance: Instance, pairs: Candidates, order: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    chosen = np.full(len(instance.requests), -1, dtype=np.int64)
    room = instance.offers.capacity.copy()
    requests, offers = pairs.request.tolist(), pairs.offer.tolist()
    for index in order.tolist():
        request, offer = requests[index], offers[index]
        if chosen[request] < 0 and room[offer] > 0:
            chosen[request] = index
            room[offer] -= 1
    return chosen


def greedy(instance: Instance, pairs: Candidates) -> npt.NDArray[np.int64]:
    """Take pairs from the heaviest down while both sides are free."""
    return _assign(instance, pairs, np.argsort(-pairs.weight_int, kind="stable"))


def first_come_first_served(
    instance: Instance, pairs: Candidates, arrival: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Requests in arrival order; each takes its heaviest offer that still has room."""
    rank = np.empty(len(arrival), dtype=np.int64)
    rank[arrival] = np.arange(len(arrival))
    order = np.lexsort((-pairs.weight_int, rank[pairs.request]))
    return _assign(instance, pairs, order)
