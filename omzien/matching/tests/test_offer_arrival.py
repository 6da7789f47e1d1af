# SPDX-License-Identifier: EUPL-1.2
"""The exact update when one volunteer (an offer) arrives: after every arrival the total weight equals
a full re-solve, on random small instances (hypothesis) and on a city-like one, mixed with requests."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.matching.engine import instance_from_dict, solve
from omzien.matching.engine.incremental import IncrementalMatcher
from omzien.matching.engine.instance import side_take
from omzien.matching.tests.test_engine import instances

# SciPy warns when a reduced cost is negative: the potentials would be wrong, so that is a failure.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")


def _with(full, requests: int, offers: int):  # type: ignore[no-untyped-def]
    part = copy.copy(full)
    part.requests = side_take(full.requests, np.arange(requests))
    part.offers = side_take(full.offers, np.arange(offers))
    return part


@settings(max_examples=80, deadline=None)
@given(instances(max_requests=14, max_offers=7), st.data())
def test_each_arriving_offer_leaves_the_optimum_of_a_full_re_solve(data: dict, draw: st.DataObject) -> None:
    full = instance_from_dict(data)
    n, m = len(full.requests), len(full.offers)
    first = draw.draw(st.integers(0, m - 1))
    matcher = IncrementalMatcher(solve(_with(full, n, first)))
    for k in range(first, m):
        arrival = matcher.add_offer(side_take(full.offers, np.array([k])))
        assert matcher.objective_int == solve(_with(full, n, k + 1)).objective_int, k
        assert len(arrival.taken) <= int(full.offers.capacity[k])
    # The kept assignment is a real one: each request at most once, no offer over capacity.
    assert np.all(matcher.load <= matcher.capacity)
    assert int(matcher.load.sum()) == int((matcher.chosen >= 0).sum())


@settings(max_examples=40, deadline=None)
@given(instances(max_requests=14, max_offers=7), st.data())
def test_requests_and_offers_arriving_in_any_order_stay_optimal(data: dict, draw: st.DataObject) -> None:
    full = instance_from_dict(data)
    n, m = len(full.requests), len(full.offers)
    r, o = draw.draw(st.integers(0, n - 1)), draw.draw(st.integers(0, m - 1))
    # The engine's candidates index the offers in order: offers keep arriving after the requests'
    # first part, and requests after them, alternately.
    matcher = IncrementalMatcher(solve(_with(full, r, o)))
    order = draw.draw(st.permutations(["r"] * (n - r) + ["o"] * (m - o)))
    for step in order:
        if step == "r":
            matcher.add_request(side_take(full.requests, np.array([r])))
            r += 1
        else:
            matcher.add_offer(side_take(full.offers, np.array([o])))
            o += 1
        assert matcher.objective_int == solve(_with(full, r, o)).objective_int, (r, o)


def test_arriving_volunteers_in_a_city_take_requests_and_move_others() -> None:
    from benchmarks.matching_instances import volunteers

    full = volunteers(600, 600, seed=5)
    n, m = len(full.requests), len(full.offers)
    matcher = IncrementalMatcher(solve(_with(full, n, m - 15)))
    took = moved = 0
    for k in range(m - 15, m):
        arrival = matcher.add_offer(side_take(full.offers, np.array([k])))
        took += len(arrival.taken)
        moved += len(arrival.moved)
        assert matcher.objective_int == solve(_with(full, n, k + 1)).objective_int, k
    assert took >= 5  # real augmenting paths, not only "nothing changes"
