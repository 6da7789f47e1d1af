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

The residual graph is kept as one CSR matrix over nodes [offers…, Z, requests…], where Z stands for
the source and sink together (a request may drop out to the source, an offer with room passes to
the sink; at an optimum the path between them costs nothing). Arcs of both directions exist for
every pair; which are usable follows from the flow. Potentials are found once, by Bellman–Ford.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.candidates import Candidates, candidates_build
from omzien.matching.engine.instance import Instance, Side, side_append
from omzien.matching.engine.solve import Solution

FORWARD, BACKWARD, OFFER_OUT, REQUEST_OUT = 0, 1, 2, 3
UNUSABLE = 1e18


@dataclass
class Arrival:
    """What one new request changed: its own offer (or None) and the requests moved or dropped."""

    request: str
    offer: str | None
    gain: float
    moved: list[tuple[str, str]] = field(default_factory=list)  # (request, new offer)
    dropped: list[str] = field(default_factory=list)


class IncrementalMatcher:
    """Holds an optimal assignment and keeps it optimal as requests arrive, one at a time."""

    def __init__(self, solution: Solution) -> None:
        instance, pairs = solution.instance, solution.candidates
        self.instance = instance
        self.m = len(instance.offers)
        self.zero = self.m  # node id of Z
        self.edge_request = pairs.request.copy()
        self.edge_offer = pairs.offer.copy()
        self.edge_weight = pairs.weight.copy()
        self.edge_cost = -pairs.weight_int
        self.edge_used = np.zeros(len(pairs), dtype=bool)
        self.edge_used[solution.chosen[solution.chosen >= 0]] = True
        self.chosen = solution.chosen.copy()
        self.load = solution.load.copy()
        self.capacity = instance.offers.capacity.copy()
        self.objective_int = int(solution.objective_int)
        self._extra_pairs: list[Candidates] = []
        self._build_graph()
        self.potential = self._bellman_ford()

    # -- nodes ---------------------------------------------------------------------------------
    def _request_node(self, request: npt.NDArray[np.int64] | int) -> Any:
        return self.m + 1 + np.asarray(request)

    @property
    def node_count(self) -> int:
        return self.m + 1 + len(self.chosen)

    # -- the residual graph ----------------------------------------------------------------------
    def _build_graph(self) -> None:
        edges = np.arange(len(self.edge_request))
        n = len(self.chosen)
        request_nodes = self._request_node(self.edge_request)
        offer_nodes = self.edge_offer
        tail = np.concatenate(
            [request_nodes, offer_nodes, np.arange(self.m), self._request_node(np.arange(n))]
        )
        head = np.concatenate([offer_nodes, request_nodes, np.full(self.m, self.zero), np.full(n, self.zero)])
        kind = np.concatenate([np.full(len(edges), FORWARD), np.full(len(edges), BACKWARD),
                               np.full(self.m, OFFER_OUT), np.full(n, REQUEST_OUT)]).astype(np.int8)  # fmt: skip
        edge = np.concatenate(
            [edges, edges, np.arange(self.m), np.arange(n)]
        )  # offer/request index for *_OUT
        cost = np.concatenate([self.edge_cost, -self.edge_cost, np.zeros(self.m + n, np.int64)])
        order = np.argsort(tail, kind="stable")
        self.arc_tail, self.arc_head = tail[order], head[order]
        self.arc_kind, self.arc_edge, self.arc_cost = kind[order], edge[order], cost[order]
        self.indptr = np.zeros(self.node_count + 1, dtype=np.int64)
        np.add.at(self.indptr, self.arc_tail + 1, 1)
        self.indptr = np.cumsum(self.indptr)

    def _usable(self) -> npt.NDArray[np.bool_]:
        kind, edge = self.arc_kind, self.arc_edge
        usable = np.empty(len(kind), dtype=bool)
        forward, backward = kind == FORWARD, kind == BACKWARD
        usable[forward] = ~self.edge_used[edge[forward]]
        usable[backward] = self.edge_used[edge[backward]]
        offer_out, request_out = kind == OFFER_OUT, kind == REQUEST_OUT
        usable[offer_out] = self.load[edge[offer_out]] < self.capacity[edge[offer_out]]
        usable[request_out] = self.chosen[edge[request_out]] >= 0
        return usable

    def _bellman_ford(self) -> npt.NDArray[np.int64]:
        """Potentials: shortest distances from a virtual root joined to every node at cost 0."""
        usable = self._usable()
        tail, head, cost = self.arc_tail[usable], self.arc_head[usable], self.arc_cost[usable]
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]]) if len(head) else np.zeros(0, np.int64)
        targets = head[starts]
        distance = np.zeros(self.node_count, dtype=np.int64)
        for _ in range(self.node_count + 1):
            best = np.minimum.reduceat(distance[tail] + cost, starts) if len(head) else np.zeros(0, np.int64)
            improved = best < distance[targets]
            if not improved.any():
                return distance
            distance[targets[improved]] = best[improved]
        raise RuntimeError("negative cycle: the starting assignment was not optimal")

    # -- one arrival ---------------------------------------------------------------------------
    def add_request(self, request: Side) -> Arrival:
        """Add one request (a Side of length 1) and update the assignment exactly; return what changed."""
        instance = self.instance
        index = len(self.chosen)
        instance.requests = side_append(instance.requests, request)
        pairs = candidates_build(instance, np.array([index]))
        self._extra_pairs.append(pairs)
        k = len(pairs)
        first_edge = len(self.edge_request)
        new_edges = first_edge + np.arange(k)
        self.edge_request = np.concatenate([self.edge_request, pairs.request])
        self.edge_offer = np.concatenate([self.edge_offer, pairs.offer])
        self.edge_weight = np.concatenate([self.edge_weight, pairs.weight])
        self.edge_cost = np.concatenate([self.edge_cost, -pairs.weight_int])
        self.edge_used = np.concatenate([self.edge_used, np.zeros(k, dtype=bool)])
        self.chosen = np.append(self.chosen, -1)
        node = self.node_count - 1
        # Its potential makes every arc out of it non-negative; nothing enters it yet.
        new_potential = int(np.max(self.potential[pairs.offer] + pairs.weight_int)) if k else 0
        self.potential = np.append(self.potential, new_potential)
        self._insert_arcs(node, pairs, new_edges, index)
        ident = instance.requests.ids[index]
        if k == 0:
            return Arrival(request=ident, offer=None, gain=0.0)
        return self._augment(node, ident)

    def _insert_arcs(
        self, node: int, pairs: Candidates, new_edges: npt.NDArray[np.int64], index: int
    ) -> None:
        k = len(pairs)
        # Backward arcs go at the end of each offer's row; the request's own row is appended.
        positions = self.indptr[pairs.offer + 1]
        self.arc_tail = np.insert(self.arc_tail, positions, pairs.offer)
        self.arc_head = np.insert(self.arc_head, positions, node)
        self.arc_kind = np.insert(self.arc_kind, positions, BACKWARD)
        self.arc_edge = np.insert(self.arc_edge, positions, new_edges)
        self.arc_cost = np.insert(self.arc_cost, positions, pairs.weight_int)
        shift = np.zeros(len(self.indptr), dtype=np.int64)
        np.add.at(shift, pairs.offer + 1, 1)
        self.indptr = self.indptr + np.cumsum(shift)
        self.arc_tail = np.concatenate([self.arc_tail, np.full(k + 1, node)])
        self.arc_head = np.concatenate([self.arc_head, pairs.offer, [self.zero]])
        self.arc_kind = np.concatenate([self.arc_kind, np.full(k, FORWARD, np.int8), [REQUEST_OUT]]).astype(
            np.int8
        )
        self.arc_edge = np.concatenate([self.arc_edge, new_edges, [index]])
        self.arc_cost = np.concatenate([self.arc_cost, -pairs.weight_int, [0]])
        self.indptr = np.append(self.indptr, self.indptr[-1] + k + 1)

    def _augment(self, node: int, ident: str) -> Arrival:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        usable = self._usable()
        reduced = self.arc_cost + self.potential[self.arc_tail] - self.potential[self.arc_head]
        data = np.where(usable, reduced, UNUSABLE).astype(np.float64)
        graph = csr_matrix((data, self.arc_head, self.indptr), shape=(self.node_count, self.node_count))
        distance, predecessor = dijkstra(
            graph, directed=True, indices=node, return_predecessors=True, limit=UNUSABLE / 2
        )
        to_zero = distance[self.zero]
        gain = -(to_zero - self.potential[node] + self.potential[self.zero]) if np.isfinite(to_zero) else 0
        ids_r, ids_o = self.instance.requests.ids, self.instance.offers.ids
        arrival = Arrival(request=ident, offer=None, gain=0.0)
        if gain <= 0:
            return arrival
        path = [self.zero]
        while path[-1] != node:
            path.append(int(predecessor[path[-1]]))
        path.reverse()
        for tail, head in zip(path[:-1], path[1:], strict=True):
            row = slice(self.indptr[tail], self.indptr[tail + 1])
            arc = self.indptr[tail] + int(np.flatnonzero((self.arc_head[row] == head) & usable[row])[0])
            kind, edge = self.arc_kind[arc], int(self.arc_edge[arc])
            if kind == FORWARD:
                request, offer = int(self.edge_request[edge]), int(self.edge_offer[edge])
                self.edge_used[edge] = True
                self.chosen[request] = edge
                self.load[offer] += 1
                if request != len(self.chosen) - 1:
                    arrival.moved.append((ids_r[request], ids_o[offer]))
                else:
                    arrival.offer = ids_o[offer]
            elif kind == BACKWARD:
                request, offer = int(self.edge_request[edge]), int(self.edge_offer[edge])
                self.edge_used[edge] = False
                self.chosen[request] = -1
                self.load[offer] -= 1
            elif kind == REQUEST_OUT:
                arrival.dropped.append(ids_r[edge])
        self.objective_int += int(gain)
        arrival.gain = float(gain) / 1_000_000
        reach = np.where(np.isfinite(distance), np.minimum(distance, to_zero), to_zero)
        self.potential = self.potential + reach.astype(np.int64)
        return arrival

    @property
    def objective(self) -> float:
        return float(self.edge_weight[self.chosen[self.chosen >= 0]].sum())


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
