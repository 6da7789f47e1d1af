# SPDX-License-Identifier: EUPL-1.2
"""The reach map: each wijk's boundary as an SVG path, shaded by a count (the table next to it says the same).

WGS84 is projected equirectangularly, scaled by cos(latitude): at a city's size the error is far below
a pixel. Four shades in equal steps up to the highest count; a wijk without any is light grey.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from omzien.geo.models import District

WIDTH = 480
SHADES = ("#e8f1fa", "#b3d1ee", "#6ea6dc", "#2f6fb5", "#143d6b")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    fill: str
    value: int


@dataclass(frozen=True)
class Map:
    areas: list[Area]
    height: int
    legend: list[tuple[str, str]]


def _rings(geometry: Any) -> list[list[list[float]]]:
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def district_map(values: dict[str, int]) -> Map | None:
    """The wijken with a boundary, shaded by ``values`` (district code -> count); None without boundaries."""
    districts = [d for d in District.objects.order_by("name") if d.boundary]
    points = [p for d in districts for ring in _rings(d.boundary) for p in ring]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
    factor = WIDTH / max((max(lons) - min(lons)) * scale_x, 1e-9)
    west, north = min(lons), max(lats)
    top = max(values.values(), default=0)
    step = max(1, math.ceil(top / 4))

    def shade(value: int) -> str:
        return SHADES[0] if value <= 0 else SHADES[min(4, 1 + (value - 1) // step)]

    areas = []
    for district in districts:
        path = "".join(
            "M" + "L".join(f"{(lon - west) * scale_x * factor:.1f},{(north - lat) * factor:.1f}" for lon, lat, *_r in ring) + "Z"
            for ring in _rings(district.boundary)
        )
        value = values.get(district.code, 0)
        areas.append(Area(district.code, district.name, path, shade(value), value))
    return Map(areas, max(1, round((max(lats) - min(lats)) * factor)), legend_for(top))


def legend_for(top: int) -> list[tuple[str, str]]:
    """The legend's classes up to the highest count: "0", then at most four classes of equal width, a
    class of one value named by that value ("1", "2") and the last one ending at the highest count
    ("7–9", "10"), so no class reads "1–1" or reaches beyond what the map shows."""
    step = max(1, math.ceil(top / 4))
    legend = [(SHADES[0], "0")]
    for i in range(1, 5):
        low, high = (i - 1) * step + 1, min(i * step, top)
        if low > top:
            break
        legend.append((SHADES[i], str(low) if low == high else f"{low}–{high}"))
    return legend
