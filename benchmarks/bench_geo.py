# SPDX-License-Identifier: EUPL-1.2
"""Point → buurt look-ups over the demo city's 111 buurten (the STR-tree in geo.selectors).

Scale 1.0: 100,000 random points in the city's bounding box, looked up one by one (a form) and all
at once (an import). Correctness: every answer equals a brute-force ``contains`` over all buurten.
"""

from __future__ import annotations

import json
import random
from typing import Any

from benchmarks.harness import summary, timed_runs
from omzien.geo.selectors import NeighbourhoodLocator
from omzien.geo.services import DEMO_DIR


def run(scale: float = 1.0) -> dict[str, Any]:
    from shapely.geometry import Point, shape

    features = json.loads((DEMO_DIR / "buurten.geojson").read_text(encoding="utf-8"))["features"]
    boundaries = [(index, feature["geometry"]) for index, feature in enumerate(features)]
    shapes = [shape(geometry) for _index, geometry in boundaries]
    rng = random.Random(2026)
    count = max(100, int(100_000 * scale))
    points = [(rng.uniform(52.03, 52.14), rng.uniform(4.97, 5.20)) for _ in range(count)]

    build_times, locator = timed_runs(lambda: NeighbourhoodLocator(boundaries), repeat=3)
    lookup_times, answers = timed_runs(lambda: [locator.pk_for(lat, lon) for lat, lon in points], repeat=3)

    lats, lons = [lat for lat, _lon in points], [lon for _lat, lon in points]
    batch_times, batch_answers = timed_runs(lambda: locator.pks_for(lats, lons), repeat=3)
    assert batch_answers == answers, "the vectorised look-up must agree with the one-by-one look-up"

    sample = points[: min(count, 2_000)]
    for (lat, lon), answer in zip(sample, answers, strict=False):
        expected = next((i for i, s in enumerate(shapes) if s.contains(Point(lon, lat))), None)
        assert answer == expected, f"({lat}, {lon}): locator said {answer}, brute force {expected}"
    inside = sum(answer is not None for answer in answers)
    assert inside > count * 0.3, "most random points in the box should fall in some buurt"
    lookup = summary(lookup_times)
    return {
        "points": count,
        "buurten": len(boundaries),
        "build": summary(build_times),
        "lookup_all": lookup,
        "per_lookup_us": lookup["median_s"] / count * 1e6,
        "lookup_all_vectorised": summary(batch_times),
        "inside_share": inside / count,
    }
