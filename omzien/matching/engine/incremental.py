# SPDX-License-Identifier: EUPL-1.2
"""The exact update when one request arrives: one shortest augmenting path from the newcomer.

Why one path suffices: the previous assignment is an optimal min-cost flow, so its residual graph
has no negative cycle. A new request adds a node that is reached only from the source; any negative
cycle in the new residual graph therefore passes through the newcomer, and cancelling the most
negative one — the shortest path from the newcomer back to the sink/source side — restores
optimality (successive shortest paths: Ahuja, Magnanti & Orlin, *Network Flows*, 1993, §9.7; the
same argument as the Hungarian method's one-row update, Kuhn 1955 / Munkres 1957). Reduced costs
with node potentials keep every residual arc non-negative, so the path is found with Dijkstra
(``scipy.sparse.csgraph.dijkstra``); afterwards the potentials are moved by the distances
(π′ = π + min(d, d_sink)), which keeps them valid for the next arrival.

Only part of the residual graph can lie on such a path: the newcomer's own pairs, the other pairs of
*matched* requests (a path reaches a request only by taking its place away), their backward arcs,
offers with room, and "drop out". Z stands for the source and sink together (at an optimum the
path between them costs nothing). That active graph — a few hundred thousand arcs at city size,
not millions — is rebuilt as a CSR matrix for each arrival; requests that are not matched keep
their pairs in the store but stay out of it. Potentials are found once, by Bellman–Ford on the
active graph, and moved after each augmentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.candidates import candidates_build
from omzien.matching.engine.instance import Instance, Side, side_append
from omzien.matching.engine.solve import Solution

UNUSABLE = 1e18
FORWARD, BACKWARD, OFFER_OUT, REQUEST_OUT = 0, 1, 2, 3


@dataclass
class Arrival:
    """What one new request changed: its own offer (or None) and the requests moved or dropped."""

    request: str
    offer: str | None
    gain: float
    moved: list[tuple[str, str]] = field(default_factory=list)  # (request, new offer)
    dropped: list[str] = field(default_factory=list)


class _Store:
    """Growable arrays (capacity doubles), so an arrival appends without copying everything."""

    def __init__(self, **arrays: npt.NDArray[Any]) -> None:
        self.size = len(next(iter(arrays.values())))
        self.arrays = {name: np.array(value) for name, value in arrays.items()}

    def __getattr__(self, name: str) -> npt.NDArray[Any]:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name][: self.size]
        raise AttributeError(name)

    def append(self, **values: npt.NDArray[Any]) -> None:
        extra = len(next(iter(values.values())))
        needed = self.size + extra
        for name, array in self.arrays.items():
            if needed > len(array):
                grown = np.empty(max(needed, 2 * len(array), 16), dtype=array.dtype)
                grown[: self.size] = array[: self.size]
                self.arrays[name] = array = grown
            array[self.size : needed] = values[name]
        self.size = needed

    def set(self, name: str, index: Any, value: Any) -> None:
        self.arrays[name][index] = value


class IncrementalMatcher:
    """Holds an optimal assignment and keeps it optimal as requests arrive, one at a time."""

    def __init__(self, solution: Solution) -> None:
        instance, pairs = solution.instance, solution.candidates
        self.instance = instance
        self.m = len(instance.offers)
        self.zero = self.m
        order = np.argsort(pairs.request, kind="stable")  # each request's pairs side by side
        n = len(instance.requests)
        self.edges = _Store(request=pairs.request[order], offer=pairs.offer[order],
                            weight=pairs.weight[order], cost=-pairs.weight_int[order])  # fmt: skip
        counts = np.bincount(pairs.request, minlength=n)
        ends = np.cumsum(counts)
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        chosen = np.where(solution.chosen >= 0, position[np.maximum(solution.chosen, 0)], -1)
        self.requests = _Store(start=ends - counts, end=ends, chosen=chosen)
        self.load = solution.load.copy()
        self.capacity = instance.offers.capacity.copy()
        self.objective_int = int(solution.objective_int)
        self.potential = np.zeros(self.m + 1 + n, dtype=np.int64)
        self.potential = self._bellman_ford()

    def _node(self, request: Any) -> Any:
        return self.m + 1 + np.asarray(request)

    @property
    def node_count(self) -> int:
        return self.m + 1 + self.requests.size

    def _active_graph(self, newcomer: int | None = None) -> dict[str, npt.NDArray[Any]]:
        """The arcs a shortest augmenting path can use, in CSR order (by tail node)."""
        chosen, start, end = self.requests.chosen, self.requests.start, self.requests.end
        matched = np.flatnonzero(chosen >= 0)
        rows = matched if newcomer is None else np.append(matched, newcomer)
        # Request rows: every pair of the request (the used one is unusable), then 'drop out'.
        lengths = end[rows] - start[rows] + 1
        row_of = np.repeat(np.arange(len(rows)), lengths)
        offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        is_out = offset == lengths[row_of] - 1
        edge = np.where(is_out, -1, start[rows][row_of] + offset)
        safe_edge = np.maximum(edge, 0)
        request_tail = self._node(rows[row_of])
        request_head = np.where(is_out, self.zero, self.edges.offer[safe_edge])
        request_cost = np.where(is_out, 0, self.edges.cost[safe_edge])
        request_usable = np.where(is_out, chosen[rows[row_of]] >= 0, edge != chosen[rows[row_of]])
        request_kind = np.where(is_out, REQUEST_OUT, FORWARD)
        # Offer rows: the backward arc of each used pair, grouped by offer, then 'passes to sink'.
        used = chosen[matched]
        used_offer = self.edges.offer[used]
        by_offer = np.argsort(used_offer, kind="stable")
        used, used_offer, used_request = used[by_offer], used_offer[by_offer], matched[by_offer]
        offer_tail = np.concatenate([used_offer, np.arange(self.m)])
        offer_order = np.argsort(offer_tail, kind="stable")
        offer_tail = offer_tail[offer_order]
        offer_head = np.concatenate([self._node(used_request), np.full(self.m, self.zero)])[offer_order]
        offer_cost = np.concatenate([-self.edges.cost[used], np.zeros(self.m, np.int64)])[offer_order]
        offer_usable = np.concatenate([np.ones(len(used), bool), self.load < self.capacity])[offer_order]
        offer_edge = np.concatenate([used, np.full(self.m, -1)])[offer_order]
        offer_kind = np.concatenate([np.full(len(used), BACKWARD), np.full(self.m, OFFER_OUT)])[offer_order]
        tail = np.concatenate([offer_tail, request_tail])
        counts = np.bincount(tail, minlength=self.node_count)
        return {
            "tail": tail, "head": np.concatenate([offer_head, request_head]),
            "cost": np.concatenate([offer_cost, request_cost]), "usable": np.concatenate([offer_usable, request_usable]),
            "edge": np.concatenate([offer_edge, edge]), "kind": np.concatenate([offer_kind, request_kind]),
            "indptr": np.concatenate([[0], np.cumsum(counts)]),
        }  # fmt: skip

    def _bellman_ford(self) -> npt.NDArray[np.int64]:
        """Potentials: shortest distances from a virtual root joined to every node at cost 0."""
        graph = self._active_graph()
        usable = graph["usable"]
        tail, head, cost = graph["tail"][usable], graph["head"][usable], graph["cost"][usable]
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        distance = np.zeros(self.node_count, dtype=np.int64)
        if len(head) == 0:
            return distance
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        targets = head[starts]
        for _ in range(self.node_count + 1):
            best = np.minimum.reduceat(distance[tail] + cost, starts)
            improved = best < distance[targets]
            if not improved.any():
                return distance
            distance[targets[improved]] = best[improved]
        raise RuntimeError("negative cycle: the starting assignment was not optimal")

    def add_request(self, request: Side) -> Arrival:
        """Add one request (a Side of length 1) and update the assignment exactly; return what changed."""
        instance = self.instance
        index = self.requests.size
        instance.requests = side_append(instance.requests, request)
        pairs = candidates_build(instance, np.array([index]))
        first = self.edges.size
        self.edges.append(
            request=pairs.request, offer=pairs.offer, weight=pairs.weight, cost=-pairs.weight_int
        )
        self.requests.append(start=np.array([first]), end=np.array([self.edges.size]), chosen=np.array([-1]))
        # Its potential makes every arc out of it non-negative; nothing enters it yet.
        new_potential = int(np.max(self.potential[pairs.offer] + pairs.weight_int)) if len(pairs) else 0
        self.potential = np.append(self.potential, new_potential)
        ident = instance.requests.ids[index]
        if len(pairs) == 0:
            return Arrival(request=ident, offer=None, gain=0.0)
        return self._augment(index, ident)

    def _augment(self, index: int, ident: str) -> Arrival:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        graph = self._active_graph(newcomer=index)
        node = int(self._node(index))
        reduced = graph["cost"] + self.potential[graph["tail"]] - self.potential[graph["head"]]
        data = np.where(graph["usable"], reduced, UNUSABLE).astype(np.float64)
        matrix = csr_matrix((data, graph["head"], graph["indptr"]), shape=(self.node_count, self.node_count))
        distance, predecessor = dijkstra(
            matrix, directed=True, indices=node, return_predecessors=True, limit=UNUSABLE / 2
        )
        to_zero = distance[self.zero]
        gain = -(to_zero - self.potential[node] + self.potential[self.zero]) if np.isfinite(to_zero) else 0
        arrival = Arrival(request=ident, offer=None, gain=0.0)
        if gain <= 0:
            return arrival
        ids_r, ids_o = self.instance.requests.ids, self.instance.offers.ids
        path = [self.zero]
        while path[-1] != node:
            path.append(int(predecessor[path[-1]]))
        path.reverse()
        indptr, usable = graph["indptr"], graph["usable"]
        for tail, head in zip(path[:-1], path[1:], strict=True):
            row = slice(indptr[tail], indptr[tail + 1])
            arc = indptr[tail] + int(np.flatnonzero((graph["head"][row] == head) & usable[row])[0])
            kind, edge = graph["kind"][arc], int(graph["edge"][arc])
            if kind == FORWARD:
                request, offer = int(self.edges.request[edge]), int(self.edges.offer[edge])
                self.requests.set("chosen", request, edge)
                self.load[offer] += 1
                if request == index:
                    arrival.offer = ids_o[offer]
                else:
                    arrival.moved.append((ids_r[request], ids_o[offer]))
            elif kind == BACKWARD:
                request, offer = int(self.edges.request[edge]), int(self.edges.offer[edge])
                self.requests.set("chosen", request, -1)
                self.load[offer] -= 1
            elif kind == REQUEST_OUT:
                arrival.dropped.append(ids_r[tail - self.m - 1])
        self.objective_int += int(gain)
        arrival.gain = float(gain) / 1_000_000
        reach = np.where(np.isfinite(distance), np.minimum(distance, to_zero), to_zero)
        self.potential = self.potential + reach.astype(np.int64)
        return arrival

    @property
    def objective(self) -> float:
        chosen = self.requests.chosen
        return float(self.edges.weight[chosen[chosen >= 0]].sum())

    @property
    def chosen(self) -> npt.NDArray[np.int64]:
        return self.requests.chosen


def arrival_apply(
    matcher: IncrementalMatcher | None, instance: Instance, request: Side
) -> tuple[IncrementalMatcher, Arrival | None]:
    """Add one request: the exact incremental update, or — when the state is lost — a full solve.

    Returns the matcher to keep for the next arrival and what the arrival changed (None after a
    full solve, whose result is the matcher's whole assignment).
    """
    if matcher is not None:
        return matcher, matcher.add_request(request)
    from omzien.matching.engine.solve import solve

    instance.requests = side_append(instance.requests, request)
    return IncrementalMatcher(solve(instance)), None
