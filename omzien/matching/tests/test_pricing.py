# SPDX-License-Identifier: EUPL-1.2
"""Candidate generation in blocks and the solve by pricing: checked against brute force and the direct solve."""

from __future__ import annotations

import copy
import importlib

import numpy as np
import pytest
from hypothesis import given, settings

from omzien.matching.engine import candidates as candidates_module
from omzien.matching.engine import candidates_build, instance_from_dict, solve
from omzien.matching.engine.candidates import SCALE
from omzien.matching.engine.incremental import IncrementalMatcher
from omzien.matching.engine.instance import Instance, side_take
from omzien.matching.engine.solve import NotOptimalError, Solution, _duals, _places_are_scarce
from omzien.matching.tests.test_engine import independent_optimum, instances

EARTH = 6371.0088
# The module (the package's name ``solve`` is the function), for its tuning constants.
solve_module = importlib.import_module("omzien.matching.engine.solve")


def brute_force_pairs(instance: Instance) -> tuple[set[tuple[int, int]], np.ndarray]:
    """Every request × offer pair, by haversine and the rules written out once more; and all distances."""
    r, o, w = instance.requests, instance.offers, instance.weights
    lat1, lon1 = np.radians(r.lat)[:, None], np.radians(r.lon)[:, None]
    lat2, lon2 = np.radians(o.lat)[None, :], np.radians(o.lon)[None, :]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    km = 2 * EARTH * np.arcsin(np.sqrt(h))
    r_limit = np.where(np.isnan(r.max_km), np.inf, r.max_km)[:, None]
    o_limit = np.where(np.isnan(o.max_km), np.inf, o.max_km)[None, :]
    limit = np.minimum(r_limit, o_limit)
    ok = km <= np.where(np.isinf(limit), w.default_max_km, limit)
    ok &= (r.languages[:, None] & o.languages[None, :]) != 0
    ok &= (r.wants_gender[:, None] == 0) | (r.wants_gender[:, None] == o.gender[None, :])
    ok &= (o.wants_gender[None, :] == 0) | (o.wants_gender[None, :] == r.gender[:, None])
    ok &= (r.days[:, None] == 0) | (o.days[None, :] == 0) | ((r.days[:, None] & o.days[None, :]) != 0)
    ok &= ~o.diets_given[None, :] | ((r.diets[:, None] & ~o.diets[None, :]) == 0)
    ok &= (o.vog_valid[None, :] != 0) & (o.capacity[None, :] > 0)
    rows, cols = np.nonzero(ok)
    return set(zip(rows.tolist(), cols.tolist(), strict=True)), km


@pytest.mark.parametrize(("block", "cells"), [(256, 200_000), (7, 30)])
def test_blocked_candidates_equal_brute_force_on_a_wide_spread(
    monkeypatch: pytest.MonkeyPatch, block: int, cells: int
) -> None:
    from benchmarks.matching_instances import activities, volunteers

    # Small blocks and a tiny dense limit force many blocks and the halving of spread-out ones.
    monkeypatch.setattr(candidates_module, "BLOCK_REQUESTS", block)
    monkeypatch.setattr(candidates_module, "DENSE_CELLS", cells)
    for instance in (activities(2500, 60, 600, tiles=4, seed=11), volunteers(1500, 400, seed=12)):
        pairs = candidates_build(instance)
        expected, km = brute_force_pairs(instance)
        found = list(zip(pairs.request.tolist(), pairs.offer.tolist(), strict=True))
        assert len(found) == len(set(found)), "a pair was generated twice"
        assert set(found) == expected
        assert np.allclose(pairs.km_of(slice(None)), km[pairs.request, pairs.offer], rtol=0, atol=1e-9)
        # The kept integer weight is the weight computed again from its parts, rounded.
        again = np.rint(pairs.weight_of(slice(None)) * SCALE)
        assert np.abs(again - pairs.weight_int).max() <= 1
        assert (again == pairs.weight_int).mean() > 0.999


def test_candidates_for_some_requests_are_those_requests_pairs() -> None:
    from benchmarks.matching_instances import activities

    instance = activities(800, 30, 200, seed=13)
    everyone = candidates_build(instance)
    some = np.array([5, 17, 400, 799])
    chosen = candidates_build(instance, some)
    mask = np.isin(everyone.request, some)
    assert sorted(zip(chosen.request.tolist(), chosen.offer.tolist(), chosen.weight_int.tolist(), strict=True)) == sorted(
        zip(everyone.request[mask].tolist(), everyone.offer[mask].tolist(), everyone.weight_int[mask].tolist(), strict=True)
    )  # fmt: skip


@settings(max_examples=60)
@given(instances(max_requests=14, max_offers=5))
def test_pricing_finds_the_same_optimum_as_an_independent_method(data: dict) -> None:
    instance = instance_from_dict(data)
    priced = solve(instance, pricing=True)
    assert priced.objective_int == independent_optimum(instance)
    assert priced.objective_int == solve(instance, pricing=False).objective_int


@settings(max_examples=60)
@given(instances(max_requests=14, max_offers=12))
def test_even_pricing_finds_the_same_optimum_as_an_independent_method(data: dict) -> None:
    instance = instance_from_dict(data)
    priced = solve(instance, pricing="even")
    assert priced.objective_int == independent_optimum(instance)
    assert priced.objective_int == solve(instance, pricing=False).objective_int


def _assert_certificate(solution: Solution) -> None:
    """The dual proves optimality over every feasible pair: feasible, tight on used pairs, equal objective."""
    pairs, (u, v) = solution.candidates, solution.dual_solution()
    w = pairs.weight_int.astype(np.int64)
    assert (u >= 0).all() and (v >= 0).all()
    assert (u[pairs.request] + v[pairs.offer] >= w).all()
    used = solution.chosen[solution.chosen >= 0]
    assert (u[pairs.request[used]] + v[pairs.offer[used]] == w[used]).all()
    assert (v[solution.load < solution.instance.offers.capacity] == 0).all()
    assert int(u.sum() + (solution.instance.offers.capacity * v).sum()) == solution.objective_int
    assert solution.objective_int == int(w[used].sum())


def test_pricing_on_city_like_instances_proves_its_optimum_and_matches_the_direct_solve() -> None:
    from benchmarks.matching_instances import activities, volunteers

    for instance in (activities(3000, 60, 600, seed=21), activities(3000, 60, 600, tiles=3, seed=22),
                     volunteers(800, 700, seed=23)):  # fmt: skip
        pairs = candidates_build(instance)
        priced = solve(instance, pairs, pricing=True)
        direct = solve(instance, pairs, pricing=False)
        assert priced.objective_int == direct.objective_int
        assert priced.extra["working_pairs"] < len(pairs)  # it really solved a smaller problem
        _assert_certificate(priced)
        _assert_certificate(direct)


@pytest.mark.parametrize(("keep", "margin"), [(10, 200_000), (1, 0), (2, 50_000)])
def test_even_pricing_on_one_to_one_instances_proves_its_optimum_and_matches_the_direct_solve(
    monkeypatch: pytest.MonkeyPatch, keep: int, margin: int
) -> None:
    """The fast path of the proposal round (issue #21): the same objective as a solve over all pairs,
    with a certificate; a start of one pair per side and no margin force many rounds."""
    from benchmarks.matching_instances import volunteers

    monkeypatch.setattr(solve_module, "EVEN_KEEP", keep)
    monkeypatch.setattr(solve_module, "EVEN_MARGIN", margin)
    for instance in (
        volunteers(800, 700, seed=23),
        volunteers(1200, 1300, seed=24),
        volunteers(600, 300, seed=25),
    ):
        pairs = candidates_build(instance)
        priced = solve(instance, pairs, pricing="even")
        direct = solve(instance, pairs, pricing=False)
        assert priced.objective_int == direct.objective_int
        assert priced.extra["working_pairs"] < len(pairs)  # it really solved a smaller problem
        if keep == 1:
            assert priced.extra["rounds"] > 1
        _assert_certificate(priced)
        # The fairness figures follow from the same objective: each request at most once, offers within places.
        assert (priced.load <= instance.offers.capacity).all()
        assert len(set(priced.chosen[priced.chosen >= 0].tolist())) == priced.matched
        # The alternatives beside a proposal: the same best pairs from the working pairs as from all pairs.
        n = len(instance.requests)
        for k in (1, 4, keep):
            (a, first_a, last_a), (b, first_b, last_b) = (
                solve_module.best_pairs_per_request(pairs, n, k, priced),
                solve_module.best_pairs_per_request(pairs, n, k),
            )
            for r in range(n):
                assert a[first_a[r] : last_a[r]].tolist() == b[first_b[r] : last_b[r]].tolist(), (k, r)


def test_large_even_instances_take_the_even_pricing(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.matching_instances import volunteers

    monkeypatch.setattr(solve_module, "DIRECT_PAIRS", 1000)
    instance = volunteers(800, 700, seed=23)
    chosen = solve(instance)
    assert "rounds" in chosen.extra and chosen.extra["working_pairs"] < len(chosen.candidates)
    assert chosen.request_dual is not None  # a priced solve keeps its proof
    assert chosen.objective_int == solve(instance, pricing=False).objective_int


def test_scarce_places_choose_pricing_and_even_ones_the_direct_solve() -> None:
    from benchmarks.matching_instances import activities, volunteers

    scarce = activities(3000, 60, 600, seed=21)
    even = volunteers(800, 700, seed=23)
    capacity = scarce.offers.capacity.astype(np.int64)
    assert _places_are_scarce(capacity, candidates_build(scarce), len(scarce.requests))
    capacity = even.offers.capacity.astype(np.int64)
    assert not _places_are_scarce(capacity, candidates_build(even), len(even.requests))


def test_an_assignment_that_is_not_optimal_fails_the_certificate() -> None:
    # Two requests, one place: giving it to the lighter pair leaves an improving exchange.
    base = {"languages": ["nl"], "max_km": 5.0}
    instance = instance_from_dict({
        "requests": [{"id": "a", "lat": 52.09, "lon": 5.11, "need": 1, **base},
                     {"id": "b", "lat": 52.09, "lon": 5.11, "need": 3, **base}],
        "offers": [{"id": "o", "lat": 52.09, "lon": 5.11, "capacity": 1, **base}],
    })  # fmt: skip
    pairs = candidates_build(instance)
    capacity = instance.offers.capacity.astype(np.int64)
    lighter = np.argmin(pairs.weight_int)
    used = np.zeros(len(pairs), bool)
    used[lighter] = True
    with pytest.raises(NotOptimalError):
        _duals(
            2, capacity, pairs.request, pairs.offer, pairs.weight_int, used, int(pairs.weight_int[lighter])
        )


def test_arrivals_after_a_priced_solve_equal_a_full_re_solve() -> None:
    from benchmarks.matching_instances import activities

    full = activities(3000, 60, 600, seed=31)
    n = len(full.requests)
    start = copy.copy(full)
    start.requests = side_take(full.requests, np.arange(n - 10))
    first = solve(start, pricing=True)
    assert first.extra["rounds"] >= 1
    matcher = IncrementalMatcher(first)
    for k in range(n - 10, n):
        matcher.add_request(side_take(full.requests, np.array([k])))
        reference = copy.copy(full)
        reference.requests = side_take(full.requests, np.arange(k + 1))
        assert matcher.objective_int == solve(reference, pricing=False).objective_int, k


def test_arrivals_beyond_the_reserved_request_nodes_lay_the_graph_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks.matching_instances import activities
    from omzien.matching.engine import incremental

    monkeypatch.setattr(incremental, "SPARE_REQUESTS", 2)  # the graph must be laid out again
    full = activities(400, 20, 150, seed=8)
    n = len(full.requests)
    start = copy.copy(full)
    start.requests = side_take(full.requests, np.arange(n - 12))
    matcher = IncrementalMatcher(solve(start))
    for k in range(n - 12, n):
        matcher.add_request(side_take(full.requests, np.array([k])))
    assert matcher.cap >= n
    assert matcher.objective_int == solve(full).objective_int
    taken = matcher.chosen[matcher.chosen >= 0]
    assert len(set(taken.tolist())) == len(taken)
    assert (matcher.load <= matcher.capacity).all()


def test_the_dual_prices_are_the_least_longest_paths_or_a_cycle_is_found() -> None:
    """``_longest_paths`` (relaxing only moves out of offers whose price rose) against plain Bellman–Ford."""

    def plain(price: list[int], moves: list[tuple[int, int, int]]) -> list[int] | None:
        for _ in range(len(price) + 1):
            changed = False
            before = list(price)
            for tail, head, gain in moves:
                if before[tail] + gain > price[head]:
                    price[head], changed = before[tail] + gain, True
            if not changed:
                return price
        return None

    rng = np.random.default_rng(7)
    found = {"prices": 0, "cycles": 0}
    for _ in range(300):
        m, k = int(rng.integers(1, 25)), int(rng.integers(1, 120))
        tail, head = rng.integers(0, m, k), rng.integers(0, m, k)
        gain, start = rng.integers(-100, 15, k), rng.integers(0, 50, m)
        expected = plain(start.tolist(), list(zip(tail.tolist(), head.tolist(), gain.tolist(), strict=True)))
        price = start.astype(np.int64)
        if expected is None:
            with pytest.raises(NotOptimalError):
                solve_module._longest_paths(
                    price, tail.astype(np.int64), head.astype(np.int64), gain.astype(np.int64)
                )
            found["cycles"] += 1
        else:
            solve_module._longest_paths(
                price, tail.astype(np.int64), head.astype(np.int64), gain.astype(np.int64)
            )
            assert price.tolist() == expected
            found["prices"] += 1
    assert found["prices"] > 30 and found["cycles"] > 30
