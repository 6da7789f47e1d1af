# SPDX-License-Identifier: EUPL-1.2
"""Deterministic synthetic instances in a city box around Utrecht (after research/matching-perf.md).

Residents cluster around ten invented district centres in a 15 × 15 km box; need 1/2/3 with shares
50/30/20 % (more need in some districts); 20 interests with Zipf-like popularity; Dutch for most,
plus Arabic, Turkish, English, Polish. ``tiles`` places several such boxes 20 km apart.
"""

from __future__ import annotations

import numpy as np

from omzien.matching.engine.instance import Instance, Side, Vocabulary, Weights

CENTRE = (52.09, 5.12)
KM_LAT, KM_LON = 1 / 111.2, 1 / (111.2 * np.cos(np.radians(52.09)))
LANGUAGES = ["nl", "ar", "tr", "en", "pl"]


def _points(
    rng: np.random.Generator, count: int, tiles: int, spread_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    district_centres = rng.uniform(-5.5, 5.5, size=(10, 2))
    district = rng.integers(0, 10, count)
    tile = rng.integers(0, tiles, count)
    xy = district_centres[district] + rng.normal(0, spread_km, size=(count, 2))
    lat = CENTRE[0] + xy[:, 1] * KM_LAT
    lon = CENTRE[1] + (xy[:, 0] + tile * 20.0) * KM_LON
    return lat, lon, district


def _languages(rng: np.random.Generator, count: int, dutch_share: float, second_share: float) -> np.ndarray:
    masks = np.where(rng.random(count) < dutch_share, 1, 0).astype(np.uint64)
    other = rng.integers(1, len(LANGUAGES), count)
    extra = (rng.random(count) < second_share) | (masks == 0)
    masks |= np.where(extra, np.left_shift(np.uint64(1), other.astype(np.uint64)), np.uint64(0))
    return masks


def _interests(rng: np.random.Generator, count: int, low: int, high: int) -> np.ndarray:
    popularity = 1 / np.arange(1, 21) ** 0.8
    popularity /= popularity.sum()
    masks = np.zeros((count, 1), np.uint64)
    how_many = rng.integers(low, high + 1, count)
    for k in range(high):
        tags = rng.choice(20, size=count, p=popularity)
        masks[:, 0] |= np.where(
            how_many > k, np.left_shift(np.uint64(1), tags.astype(np.uint64)), np.uint64(0)
        )
    return masks


def _side(count: int, lat: np.ndarray, lon: np.ndarray, **values: object) -> Side:
    base = dict(ids=[str(i) for i in range(count)], lat=lat, lon=lon, days=np.zeros(count, np.uint8),
                gender=np.zeros(count, np.int8), wants_gender=np.zeros(count, np.int8), max_km=np.full(count, np.nan),
                diets=np.zeros(count, np.uint64), diets_given=np.zeros(count, bool))  # fmt: skip
    base.update(values)
    return Side(**base)  # type: ignore[arg-type]


def activities(
    requests: int, activities_count: int, places: int, *, tiles: int = 1, seed: int = 1
) -> Instance:
    """Many-to-one: residents × activities with places, pairs within 3 km."""
    rng = np.random.default_rng(seed)
    lat, lon, district = _points(rng, requests, tiles, 2.2)
    skew = rng.uniform(0, 0.15, 10)[district]
    draw = rng.random(requests)
    need = np.where(draw < 0.2 + skew, 3, np.where(draw < 0.5 + skew, 2, 1)).astype(np.int8)
    request_side = _side(
        requests, lat, lon, languages=_languages(rng, requests, 0.86, 0.15), interests=_interests(rng, requests, 1, 3),
        need=need, waiting_days=rng.integers(0, 365, requests).astype(float), max_km=np.full(requests, 3.0),
        wijk=[f"WK0344{d + 1:02d}" for d in district],
    )  # fmt: skip
    a_lat, a_lon, _ = _points(rng, activities_count, tiles, 2.2)
    capacity = np.maximum(2, rng.lognormal(np.log(places / activities_count), 0.5, activities_count)).astype(
        np.int64
    )
    capacity = np.maximum(2, np.floor(capacity * places / capacity.sum())).astype(np.int64)
    capacity[: places - int(capacity.sum())] += 1 if places > capacity.sum() else 0
    offer_side = _side(
        activities_count, a_lat, a_lon, languages=np.where(rng.random(activities_count) < 0.8, 1, 0b11).astype(np.uint64),
        interests=_interests(rng, activities_count, 1, 2), capacity=capacity, vog_valid=np.full(activities_count, -1, np.int8),
    )  # fmt: skip
    return Instance(request_side, offer_side, Weights(), Vocabulary())


def volunteers(requests: int, volunteers_count: int, *, tiles: int = 1, seed: int = 2) -> Instance:
    """One-to-one: residents × volunteers, pairs within 2 km, gender wishes and shared weekdays."""
    rng = np.random.default_rng(seed)
    lat, lon, district = _points(rng, requests, tiles, 2.2)
    draw = rng.random(requests)
    need = np.where(draw < 0.2, 3, np.where(draw < 0.5, 2, 1)).astype(np.int8)
    gender = rng.integers(1, 3, requests).astype(np.int8)
    wish = rng.random(requests)
    wants = np.where(wish < 0.7, 0, np.where(wish < 0.95, gender, 3 - gender)).astype(np.int8)

    def days(count: int, low: int, high: int) -> np.ndarray:
        mask = np.zeros(count, np.uint8)
        how_many = rng.integers(low, high + 1, count)
        for k in range(high):
            mask |= np.where(
                how_many > k,
                np.left_shift(np.uint8(1), rng.integers(0, 7, count).astype(np.uint8)),
                np.uint8(0),
            ).astype(np.uint8)
        return mask

    request_side = _side(
        requests, lat, lon, languages=_languages(rng, requests, 0.86, 0.15), interests=_interests(rng, requests, 1, 3),
        need=need, waiting_days=rng.integers(0, 365, requests).astype(float), max_km=np.full(requests, 2.0),
        gender=gender, wants_gender=wants, days=days(requests, 2, 4), wijk=[f"WK0344{d + 1:02d}" for d in district],
    )  # fmt: skip
    v_lat, v_lon, _ = _points(rng, volunteers_count, tiles, 2.2)
    v_gender = rng.integers(1, 3, volunteers_count).astype(np.int8)
    v_wants = np.where(rng.random(volunteers_count) < 0.9, 0, v_gender).astype(np.int8)
    offer_side = _side(
        volunteers_count, v_lat, v_lon, languages=_languages(rng, volunteers_count, 0.92, 0.1),
        interests=_interests(rng, volunteers_count, 1, 3), capacity=np.ones(volunteers_count, np.int64),
        vog_valid=np.ones(volunteers_count, np.int8), gender=v_gender, wants_gender=v_wants, days=days(volunteers_count, 1, 2),
    )  # fmt: skip
    return Instance(request_side, offer_side, Weights(), Vocabulary())
