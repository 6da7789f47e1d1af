# SPDX-License-Identifier: EUPL-1.2
"""Distances on the earth and the box around a circle: the one home for both (issue #14).

Pure Python (a pure core: no Django), so the matching engine, the directory search, the HSDS API
and the vacancy search all measure alike. The distance is the great circle on a sphere of the
earth's mean radius, computed from the chord between unit vectors, as the matching engine does for
millions of pairs at once: the same kilometres whether a page or the engine asks.
"""

from __future__ import annotations

import math

# The IUGG mean earth radius (km).
EARTH_KM = 6371.0088


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two WGS84 points."""
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    dx = math.cos(p1) * math.cos(l1) - math.cos(p2) * math.cos(l2)
    dy = math.cos(p1) * math.sin(l1) - math.cos(p2) * math.sin(l2)
    dz = math.sin(p1) - math.sin(p2)
    return 2 * EARTH_KM * math.asin(min(math.sqrt(dx * dx + dy * dy + dz * dz) / 2, 1.0))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """Return (lat_min, lat_max, lon_min, lon_max) of a box holding every point within ``km`` of the point.

    A cheap index-friendly pre-filter; the exact cut is ``km_between``. The longitude span is the
    circle's true widest (``asin(sin(d) / cos(lat))``), so nothing inside the circle falls outside.
    """
    angle = km / EARTH_KM
    dlat = math.degrees(angle)
    ratio = math.sin(angle) / max(math.cos(math.radians(lat)), 1e-12)
    dlon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
