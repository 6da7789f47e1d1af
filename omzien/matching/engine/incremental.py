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

The residual graph is kept between arrivals as one CSR matrix in preallocated arrays. Its nodes are
the requests (with room for newcomers), then the offers, then Z — the source and sink together (at
an optimum the path between them costs nothing). Each request's row holds an arc to every offer of
its pairs and a "drop out" arc to Z; the arc of the pair in use and the drop-out arc of an unmatched
request are blocked (an unreachable cost). A request that is not matched has no arc into it, so its
row is never explored; it stays in place, and an arrival only appends the newcomer's row. The
offers' rows — the backward arc of each pair in use and "has room" to Z — are small and written
anew for each arrival, behind the requests' rows. What changes with the potentials is the data
(reduced costs), recomputed in place. The first potentials are the full solve's optimal dual
(solve.py): request r gets uᵣ, offer o gets −vₒ, Z gets 0 — every arc's reduced cost is then ≥ 0
by dual feasibility and complementary slackness.

One new offer (a volunteer or host with capacity c) is the same argument the other way round: the
previous flow is optimal, the newcomer adds a node o with arcs r → o from its feasible requests and
a "has room" arc o → Z. Every negative cycle in the new residual graph uses o → Z, and raising that
arc's capacity by one unit improves the optimum by exactly the most negative cycle through it (the
difference of the two optima decomposes into cycles, of which only one can use a unit arc; the
others are not negative). So up to c times: Dijkstra from Z over the whole residual graph — with Z's
own arcs now written: Z → each unmatched request (the source's arc) and Z → each offer with a place
taken (the sink's backward arc) — gives the shortest path Z ⇝ o; when that path plus o → Z costs
less than nothing, it is augmented (an unmatched request comes in, or a chain of requests moves up
until one takes o). o's potential starts at the largest value that leaves every arc r → o
non-negative, and the final potentials are moved by min(d, D) with D chosen so that o → Z is
non-negative too, so the next arrival of either kind starts from valid potentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.matching.engine.candidates import SCALE, _chord, candidates_build, reach_km, unit_vectors
from omzien.matching.engine.instance import Instance, Side, side_append
from omzien.matching.engine.solve import Solution

UNUSABLE = 1e18
FORWARD, BACKWARD, OFFER_OUT, REQUEST_OUT = 0, 1, 2, 3
# Request nodes kept free for newcomers before the graph is laid out again.
SPARE_REQUESTS = 1024


@dataclass
class Arrival:
    """What one new request changed: its own offer (or None) and the requests moved or dropped."""

    request: str
    offer: str | None
    gain: float
    moved: list[tuple[str, str]] = field(default_factory=list)  # (request, new offer)
    dropped: list[str] = field(default_factory=list)


@dataclass
class OfferArrival:
    """What one new offer changed: the requests it took and the requests that moved to make room."""

    offer: str
    gain: float
    taken: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (request, new offer)


def _grown(array: npt.NDArray[Any], needed: int) -> npt.NDArray[Any]:
    """``array`` with room for at least ``needed`` items (capacity doubles; contents kept)."""
    if needed <= len(array):
        return array
    grown = np.zeros(max(needed, 2 * len(array), 16), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class IncrementalMatcher:
    """Holds an optimal assignment and keeps it optimal as requests arrive, one at a time."""

    def __init__(self, solution: Solution) -> None:
        instance, pairs = solution.instance, solution.candidates
        self.instance = instance
        self._request_points: npt.NDArray[np.float64] | None = None
        self._request_limit: npt.NDArray[np.float64] = np.zeros(0)
        self.n, self.m = len(instance.requests), len(instance.offers)
        self.capacity = instance.offers.capacity.astype(np.int64)
        self.load = solution.load.astype(np.int64)
        self.objective_int = int(solution.objective_int)
        # Request rows in request order: the request's pairs, then its drop-out arc.
        counts = np.bincount(pairs.request, minlength=self.n).astype(np.int64)
        row_start = np.cumsum(counts + 1) - (counts + 1)
        order = np.argsort(pairs.request, kind="stable")
        rank = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
        position = np.empty(len(order), dtype=np.int64)
        position[order] = row_start[pairs.request[order]] + rank
        size = int(counts.sum()) + self.n
        self.rows = int(size)  # arcs in the requests' rows
        self._layout(self.n + SPARE_REQUESTS, size)
        self.row_start[: self.n] = row_start
        self.row_end[: self.n] = row_start + counts + 1
        dropout = row_start + counts
        self.tail[position] = pairs.request
        self.head[position] = self.cap + pairs.offer
        self.cost[position] = -pairs.weight_int.astype(np.int64)
        self.tail[dropout] = np.arange(self.n)
        self.head[dropout] = self.zero
        self.cost[dropout] = 0
        self.chosen = np.full(self.n, -1, dtype=np.int64)
        used = solution.chosen >= 0
        self.chosen[used] = position[solution.chosen[used]]
        self.blocked[self.chosen[used]] = True
        self.blocked[dropout[~used]] = True
        request_dual, offer_price = solution.dual_solution()
        self.potential[: self.n] = request_dual
        self.potential[self.cap : self.cap + self.m] = -offer_price

    def _layout(self, cap: int, arcs: int) -> None:
        """Allocate (or grow) the arrays for ``cap`` request nodes and ``arcs`` arcs in their rows."""
        old = getattr(self, "cap", None)
        extra = int(self.capacity.sum()) + self.m  # the offers' rows: backward arcs + "has room"
        self.cap = cap
        self.zero = cap + self.m
        self.node_count = cap + self.m + 1
        if old is None:
            length = arcs + extra + arcs // 8 + 4096  # room for newcomers' rows
            # int64 node ids for the gathers (int32 ones would be converted, into a fresh array, on
            # every arrival); ``indices`` is their int32 copy that SciPy's CSR wants.
            self.tail, self.head = np.zeros(length, np.int64), np.zeros(length, np.int64)
            self.indices = np.zeros(length, np.int32)
            self.cost, self.blocked = np.zeros(length, np.int64), np.zeros(length, bool)
            self.data, self.scratch = np.zeros(length, np.float64), np.zeros(length, np.float64)
            buffers: list[npt.NDArray[Any]] = [self.tail, self.head, self.indices, self.cost, self.blocked, self.data,
                                               self.scratch]  # fmt: skip
            for buffer in buffers:
                buffer.fill(0)  # touch the pages now, not during the first arrival
            self.row_start, self.row_end = np.zeros(cap, np.int64), np.zeros(cap, np.int64)
            self.potential = np.zeros(self.node_count, np.int64)
            return
        # More request nodes: the offers and Z move up by (cap − old).
        shift = cap - old
        moved = self.head[: self.rows] >= old
        self.head[: self.rows][moved] += shift
        potential = np.zeros(self.node_count, np.int64)
        potential[:old] = self.potential[:old]
        potential[cap:] = self.potential[old:]
        self.potential = potential
        self.row_start, self.row_end = _grown(self.row_start, cap), _grown(self.row_end, cap)

    def _reserve(self, arcs: int) -> None:
        # Behind the requests' rows: the offers' rows, then (for an offer's arrival) Z's row.
        needed = arcs + int(self.capacity.sum()) + 2 * self.m + self.n + 1
        self.tail, self.head = _grown(self.tail, needed), _grown(self.head, needed)
        self.indices = _grown(self.indices, needed)
        self.cost, self.blocked = _grown(self.cost, needed), _grown(self.blocked, needed)
        self.data, self.scratch = _grown(self.data, needed), _grown(self.scratch, needed)

    def _offer_rows(self) -> int:
        """Write the offers' rows behind the requests' rows; return the arcs in the whole graph."""
        matched = np.flatnonzero(self.chosen >= 0)
        used = self.chosen[matched]
        offer = self.head[used] - self.cap
        order = np.argsort(offer, kind="stable")
        matched, used, offer = matched[order], used[order], offer[order]
        counts = np.bincount(offer, minlength=self.m) + 1
        starts = self.rows + np.cumsum(counts) - counts
        # Backward arcs first in each offer's row, then its arc to Z.
        backward = starts[offer] + (np.arange(len(offer)) - (np.cumsum(counts - 1) - (counts - 1))[offer])
        to_zero = starts + counts - 1
        self.tail[backward], self.head[backward] = self.cap + offer, matched
        self.cost[backward], self.blocked[backward] = -self.cost[used], False
        self.tail[to_zero], self.head[to_zero] = self.cap + np.arange(self.m), self.zero
        self.cost[to_zero], self.blocked[to_zero] = 0, self.load >= self.capacity
        self.offer_starts = starts
        return int(self.rows + counts.sum())

    def _zero_row(self, start: int, without_offer: int) -> int:
        """Write Z's arcs from ``start`` (unmatched requests, offers with a place taken); return the end."""
        unmatched = np.flatnonzero(self.chosen < 0)
        loaded = np.flatnonzero(self.load > 0)
        loaded = loaded[loaded != without_offer]
        heads = np.concatenate([unmatched, self.cap + loaded])
        end = start + len(heads)
        self.tail[start:end], self.head[start:end] = self.zero, heads
        self.cost[start:end], self.blocked[start:end] = 0, False
        return end

    def _matrix(self, *, zero_row_without: int | None = None) -> Any:
        from scipy.sparse import csr_matrix

        rows_end = self._offer_rows()
        total = rows_end if zero_row_without is None else self._zero_row(rows_end, zero_row_without)
        indptr = np.empty(self.node_count + 1, dtype=np.int32)
        indptr[: self.n] = self.row_start[: self.n]
        indptr[self.n : self.cap] = self.rows  # room for newcomers: empty rows
        indptr[self.cap : self.cap + self.m] = self.offer_starts
        indptr[self.zero] = rows_end  # Z's arcs only when an offer arrives (a request's path ends at Z)
        indptr[self.zero + 1] = total
        tail, head, data = self.tail[:total], self.head[:total], self.data[:total]
        indices = self.indices[:total]
        np.copyto(indices, head, casting="unsafe")
        # Reduced costs c + π(tail) − π(head), in place; blocked arcs get an unreachable cost.
        # Preallocated buffers throughout: fresh arrays of this size cost more in page faults than in work.
        potential, scratch = self.potential.astype(np.float64), self.scratch[:total]  # exact: far below 2⁵³
        np.take(potential, tail, out=data, mode="clip")  # "clip": no bounds-checked copy (ids are valid)
        np.take(potential, head, out=scratch, mode="clip")
        np.subtract(data, scratch, out=data)
        np.copyto(scratch, self.cost[:total], casting="unsafe")
        np.add(data, scratch, out=data)
        np.copyto(data, UNUSABLE, where=self.blocked[:total])
        self.indptr = indptr
        return csr_matrix((data, indices, indptr), shape=(self.node_count, self.node_count), copy=False)

    def add_request(self, request: Side) -> Arrival:
        """Add one request (a Side of length 1) and update the assignment exactly; return what changed."""
        instance = self.instance
        index = self.n
        instance.requests = side_append(instance.requests, request)
        pairs = candidates_build(instance, np.array([index]))
        if index >= self.cap:
            self._layout(2 * self.cap, self.rows)
        start, count = self.rows, len(pairs)
        self._reserve(start + count + 1)
        arcs = slice(start, start + count)
        self.tail[arcs], self.head[arcs] = index, self.cap + pairs.offer
        self.cost[arcs], self.blocked[arcs] = -pairs.weight_int.astype(np.int64), False
        dropout = start + count
        self.tail[dropout], self.head[dropout], self.cost[dropout], self.blocked[dropout] = (
            index,
            self.zero,
            0,
            True,
        )
        self.rows = start + count + 1
        self.row_start[index], self.row_end[index] = start, self.rows
        self.chosen = np.append(self.chosen, -1)
        self.n += 1
        # Its potential makes every arc out of it non-negative; nothing enters it yet.
        offers = self.cap + pairs.offer.astype(np.int64)
        weights = pairs.weight_int.astype(np.int64)
        # (Without pairs it stays unmatched: level with Z, so that Z's arc to it is tight.)
        self.potential[index] = int(np.max(self.potential[offers] + weights)) if count else self.potential[self.zero]
        ident = instance.requests.ids[index]
        if count == 0:
            return Arrival(request=ident, offer=None, gain=0.0)
        return self._augment(index, ident)

    def _arc(self, tail: int, head: int) -> int:
        """The open arc from ``tail`` to ``head`` (rows are short: a request's pairs, an offer's places)."""
        row = slice(int(self.indptr[tail]), int(self.indptr[tail + 1]))
        return row.start + int(np.flatnonzero((self.head[row] == head) & ~self.blocked[row])[0])

    def _augment(self, index: int, ident: str) -> Arrival:
        from scipy.sparse.csgraph import dijkstra

        distance, predecessor = dijkstra(
            self._matrix(), directed=True, indices=index, return_predecessors=True, limit=UNUSABLE / 2
        )
        to_zero = distance[self.zero]
        gain = -(to_zero - self.potential[index] + self.potential[self.zero]) if np.isfinite(to_zero) else 0
        arrival = Arrival(request=ident, offer=None, gain=0.0)
        if gain <= 0:
            # Nothing to gain: the newcomer stays unmatched. Its potential still moves with Z's, so
            # that Z's arc to it (the source's, used when an offer arrives) stays non-negative.
            if np.isfinite(to_zero):
                self.potential += np.minimum(distance, to_zero).astype(np.int64)
            return arrival
        ids_r, ids_o = self.instance.requests.ids, self.instance.offers.ids
        path = [self.zero]
        while path[-1] != index:
            path.append(int(predecessor[path[-1]]))
        path.reverse()
        arcs = [self._arc(tail, head) for tail, head in zip(path[:-1], path[1:], strict=True)]
        touched = []
        for arc in arcs:
            tail, head = int(self.tail[arc]), int(self.head[arc])
            if tail < self.cap and head != self.zero:  # a request takes an offer's place
                offer = head - self.cap
                self.chosen[tail] = arc
                self.blocked[arc] = True
                self.load[offer] += 1
                touched.append(tail)
                if tail == index:
                    arrival.offer = ids_o[offer]
                else:
                    arrival.moved.append((ids_r[tail], ids_o[offer]))
            elif tail < self.cap:  # a request drops out (it lost its place on the previous arc)
                arrival.dropped.append(ids_r[tail])
            elif head != self.zero:  # an offer gives up the place of request `head`
                self.blocked[self.chosen[head]] = False
                self.chosen[head] = -1
                self.load[tail - self.cap] -= 1
                touched.append(head)
        for request in touched:  # drop out is open exactly to matched requests
            self.blocked[self.row_end[request] - 1] = self.chosen[request] < 0
        self.objective_int += int(gain)
        arrival.gain = float(gain) / SCALE
        reach = np.where(np.isfinite(distance), np.minimum(distance, to_zero), to_zero)
        self.potential += reach.astype(np.int64)
        return arrival

    def _insert_into_rows(self, requests: npt.NDArray[np.int64], offer_node: int, costs: npt.NDArray[np.int64]) -> None:
        """Put arcs request → ``offer_node`` into the requests' rows (before each row's drop-out arc).

        The rows stay in request order, so every arc behind an insertion moves up by the number of
        arcs inserted before it (one gather per array, from the first insertion on).
        """
        order = np.argsort(requests, kind="stable")
        requests, costs = requests[order], costs[order]
        count, old = len(requests), self.rows
        self._reserve(old + count)
        positions = self.row_end[requests] - 1  # sorted: rows are laid out in request order
        # Segment j (from insertion j to the next) moves up by j + 1; from the last segment back,
        # so nothing is overwritten before it has moved (plain slice copies: memmove speed).
        bounds = positions.tolist() + [old]
        arrays = (self.tail, self.head, self.cost, self.blocked)
        for j in range(count - 1, -1, -1):
            low, high = bounds[j], bounds[j + 1]
            if high > low:
                for array in arrays:
                    array[low + j + 1 : high + j + 1] = array[low:high]
        inserted = positions + np.arange(count)
        self.tail[inserted], self.head[inserted] = requests, offer_node
        self.cost[inserted], self.blocked[inserted] = costs, False
        n = self.n
        self.row_start[:n] += np.searchsorted(positions, self.row_start[:n], side="left")
        self.row_end[:n] += np.searchsorted(positions, self.row_end[:n], side="left")
        matched = self.chosen >= 0
        self.chosen[matched] += np.searchsorted(positions, self.chosen[matched], side="right")
        self.rows = old + count

    def _requests_within_reach(self, offer: Side) -> npt.NDArray[np.int64]:
        """The requests near enough to the offer to be one of its pairs (the pair rules do the rest).

        The distance rule as the candidates apply it: within both sides' limits, or within the default
        where neither gives one (chords, monotone in km), against every request at once.
        """
        requests = self.instance.requests
        if self._request_points is None or len(self._request_points) != len(requests):
            self._request_points = unit_vectors(requests.lat, requests.lon)
            self._request_limit = _chord(reach_km(requests))
        limit = np.minimum(self._request_limit, _chord(reach_km(offer))[0])
        limit = np.where(np.isinf(limit), float(_chord(self.instance.weights.default_max_km)), limit) * (1 + 1e-9)
        difference = self._request_points - unit_vectors(offer.lat, offer.lon)[0]
        squared = np.einsum("ij,ij->i", difference, difference)
        return np.flatnonzero(squared <= limit * limit).astype(np.int64)

    def add_offer(self, offer: Side) -> OfferArrival:
        """Add one offer (a Side of length 1) and update the assignment exactly; return what changed."""
        from scipy.sparse.csgraph import dijkstra

        instance = self.instance
        own = Instance(requests=instance.requests, offers=offer, weights=instance.weights, vocabulary=instance.vocabulary)
        pairs = candidates_build(own, self._requests_within_reach(offer))
        instance.offers = side_append(instance.offers, offer)
        index, node = self.m, self.cap + self.m
        # The offers gain a node before Z: arcs into Z and Z's potential move up by one.
        old_zero = self.zero
        self.head[: self.rows][self.head[: self.rows] == old_zero] += 1
        self.potential = np.insert(self.potential, node, 0)
        self.m += 1
        self.zero, self.node_count = self.zero + 1, self.node_count + 1
        self.capacity = np.append(self.capacity, int(offer.capacity[0]))
        self.load = np.append(self.load, 0)
        self._reserve(self.rows)
        arrival = OfferArrival(offer=offer.ids[0], gain=0.0)
        requests = pairs.request.astype(np.int64)
        weights = pairs.weight_int.astype(np.int64)
        # The largest potential that leaves every arc r → o non-negative (o has no other arc yet).
        self.potential[node] = int(np.min(self.potential[requests] - weights)) if len(requests) else self.potential[self.zero]
        if len(requests):
            self._insert_into_rows(requests, node, -weights)
        ids_r, ids_o = instance.requests.ids, instance.offers.ids
        for _unit in range(int(self.capacity[index])):
            if len(requests) == 0:
                break
            self.load[index] += self.capacity[index]  # o → Z is the cycle's closing arc: keep it out
            matrix = self._matrix(zero_row_without=index)
            self.load[index] -= self.capacity[index]
            distance, predecessor = dijkstra(
                matrix, directed=True, indices=self.zero, return_predecessors=True, limit=UNUSABLE / 2
            )
            to_offer = distance[node]
            cycle = to_offer - self.potential[self.zero] + self.potential[node] if np.isfinite(to_offer) else np.inf
            if not cycle < 0:
                self._settle(distance, node)
                if self.load[index] > 0:
                    self._tie_to_zero(node, index)
                break
            path = [node]
            while path[-1] != self.zero:
                path.append(int(predecessor[path[-1]]))
            path.reverse()
            arcs = [self._arc(tail, head) for tail, head in zip(path[:-1], path[1:], strict=True)]
            touched = []
            for arc in arcs:
                tail, head = int(self.tail[arc]), int(self.head[arc])
                if tail == self.zero:  # an unmatched request comes in, or an offer frees a place
                    continue
                if tail < self.cap:  # a request takes an offer's place
                    taken = head - self.cap
                    self.chosen[tail] = arc
                    self.blocked[arc] = True
                    self.load[taken] += 1
                    touched.append(tail)
                    if taken == index:
                        arrival.taken.append(ids_r[tail])
                    else:
                        arrival.moved.append((ids_r[tail], ids_o[taken]))
                else:  # an offer gives up the place of request `head`
                    self.blocked[self.chosen[head]] = False
                    self.chosen[head] = -1
                    self.load[tail - self.cap] -= 1
                    touched.append(head)
            for request in touched:
                self.blocked[self.row_end[request] - 1] = self.chosen[request] < 0
            gain = -int(cycle)
            self.objective_int += gain
            arrival.gain += gain / SCALE
            reach = np.where(np.isfinite(distance), np.minimum(distance, to_offer), to_offer)
            self.potential += reach.astype(np.int64)
        # A request that moved by a path is reported where it ended.
        final = {request: offer_id for request, offer_id in arrival.moved}
        arrival.moved = [(request, offer_id) for request, offer_id in final.items() if request not in arrival.taken]
        return arrival

    def _tie_to_zero(self, node: int, index: int) -> None:
        """Make o → Z and Z → o both tight when o has places taken and free (complementary slackness).

        After ``_settle`` every arc but Z → o is non-negative and o → Z costs c ≥ 0 reduced. The
        shortest path from o to Z is exactly c (a shorter one would be a negative cycle through
        Z → o: giving up one of o's places would gain, against the optimality just reached), so
        moving the potentials by the capped distances from o leaves both arcs at 0.
        """
        from scipy.sparse.csgraph import dijkstra

        distance = dijkstra(self._matrix(zero_row_without=index), directed=True, indices=node, limit=UNUSABLE / 2)
        reach = np.minimum(distance, distance[self.zero])
        self.potential += reach.astype(np.int64)

    def _settle(self, distance: npt.NDArray[np.float64], node: int) -> None:
        """Move the potentials by min(d, D) so that every arc, o → Z included, stays non-negative.

        Any D ≥ 0 keeps the other arcs non-negative; D ≥ π(Z) − π(o) (o unreachable) or D = d(o) (no
        negative cycle) makes o → Z non-negative as well."""
        needed = float(self.potential[self.zero] - self.potential[node])
        to_offer = float(distance[node]) if np.isfinite(distance[node]) else 0.0
        cap = max(to_offer, needed, 0.0)
        reach = np.minimum(distance, cap)
        self.potential += reach.astype(np.int64)

    @property
    def objective(self) -> float:
        """The total weight of the assignment, as the solver counts it (integer weights / SCALE)."""
        return self.objective_int / SCALE


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
