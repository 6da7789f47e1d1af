# SPDX-License-Identifier: EUPL-1.2
"""Build the demo city's geography files in omzien/geo/demo/ (run once; the output is committed).

Real: the 10 wijk names and codes and their 2024 populations (CBS Kerncijfers wijken en buurten
2024, table 85984NED; "Bron: CBS", CC BY 4.0), and the 111 buurt names, codes and centroids of the
2013 municipal indeling. Synthetic, and labelled so: every boundary (Voronoi cells around the
buurt centroids, wijken as the union of their buurten), buurt populations and all postcodes.

    python scripts/build_demo_geo.py ../shared/data/geo
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, mapping
from shapely.ops import unary_union

# Plausible PC4 ranges per wijk (synthetic assignment; real PC4 areas do not follow wijk lines).
PC4_BY_WIJK = {
    "01": [3531, 3532, 3533],
    "02": [3551, 3552, 3553, 3554, 3555],
    "03": [3561, 3562, 3563, 3564],
    "04": [3571, 3572, 3581, 3582],
    "05": [3583, 3584, 3585],
    "06": [3511, 3512],
    "07": [3521, 3522, 3523],
    "08": [3524, 3525, 3526, 3527],
    "09": [3541, 3542, 3543, 3544, 3545],
    "10": [3451, 3452, 3453, 3454, 3455],
}
SOURCE_WIJK = (
    "Name and population: CBS Kerncijfers 2024. Boundary: synthetic (Voronoi of 2013 buurt centroids)."
)
SOURCE_BUURT = "Name and centroid: Gemeente Utrecht 2013 indeling. Boundary and population: synthetic."


def rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], float):
                return [round(value[0], 5), round(value[1], 5)]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def main(shared_geo: Path, out: Path) -> None:
    rng = random.Random(344)
    rows = list(csv.DictReader((shared_geo / "utrecht_centroids_2013.csv").open(encoding="utf-8")))
    figures = {
        r["code"]: r
        for r in csv.DictReader((shared_geo / "utrecht_wijken_kerncijfers_2024.csv").open(encoding="utf-8"))
    }
    buurten = [r for r in rows if r["level"] == "buurt"]
    points = [Point(float(r["lon"]), float(r["lat"])) for r in buurten]
    envelope = MultiPoint(points).convex_hull.buffer(0.012)
    cells = voronoi_polygons(MultiPoint(points), extend_to=envelope)
    by_point = {}
    for cell in cells.geoms:
        for index, point in enumerate(points):
            if cell.contains(point):
                by_point[index] = cell.intersection(envelope)
    buurt_features: list[dict[str, Any]] = []
    cells_by_wijk: dict[str, list[tuple[dict[str, str], Any]]] = {}
    for index, row in enumerate(buurten):
        cells_by_wijk.setdefault(row["wijk_code"], []).append((row, by_point[index]))
    for wijk_code, members in cells_by_wijk.items():
        total_area = sum(cell.area for _row, cell in members)
        population = int(figures[wijk_code]["aantal_inwoners"])
        for row, cell in members:
            share = cell.area / total_area * rng.uniform(0.8, 1.2)
            buurt_features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "code": row["cbs_code_assumed"],
                        "name": row["naam"],
                        "population": int(population * share),
                        "synthetic": True,
                        "source": SOURCE_BUURT,
                    },
                    "geometry": rounded(mapping(cell)),
                }
            )
    wijk_features: list[dict[str, Any]] = []
    for wijk_code, members in sorted(cells_by_wijk.items()):
        union = unary_union([cell for _row, cell in members])
        wijk_features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": wijk_code,
                    "name": figures[wijk_code]["naam"],
                    "synthetic": True,
                    "source": SOURCE_WIJK,
                },
                "geometry": rounded(mapping(union)),
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, features in (("wijken", wijk_features), ("buurten", buurt_features)):
        (out / f"{name}.geojson").write_text(
            json.dumps(
                {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
            ),
            encoding="utf-8",
        )
    with (out / "populations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "naam", "aantal_inwoners"])
        for code, row in figures.items():
            writer.writerow([code, row["naam"], row["aantal_inwoners"]])
    letters = "ABCDEGHJKLMNPRTVWXZ"
    with (out / "postcodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "buurt_code", "lat", "lon", "synthetic"])
        pc4_buurten: dict[int, list[str]] = {}
        used: set[str] = set()
        for feature in buurt_features:
            code = feature["properties"]["code"]
            cell = by_point[[r["cbs_code_assumed"] for r in buurten].index(code)]
            pc4_choices = PC4_BY_WIJK[code[6:8]]
            # 30 m inside the cell, so rounding the boundary to 5 decimals never moves a point across it.
            inner = cell.buffer(-0.0003)
            minx, miny, maxx, maxy = inner.bounds
            made = 0
            while made < 4:
                point = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
                if not inner.contains(point):
                    continue
                pc4 = rng.choice(pc4_choices)
                pc6 = f"{pc4}{rng.choice(letters)}{rng.choice(letters)}"
                if pc6 in used:
                    continue
                used.add(pc6)
                pc4_buurten.setdefault(pc4, []).append(code)
                writer.writerow([pc6, code, f"{point.y:.6f}", f"{point.x:.6f}", "true"])
                made += 1
        for pc4, codes in sorted(pc4_buurten.items()):
            main_buurt = max(sorted(set(codes)), key=codes.count)  # sorted: ties break the same way every run
            centre = next(r for r in buurten if r["cbs_code_assumed"] == main_buurt)
            writer.writerow([str(pc4), main_buurt, centre["lat"], centre["lon"], "true"])
    print(f"wrote {len(wijk_features)} wijken, {len(buurt_features)} buurten to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent.parent / "omzien" / "geo" / "demo")
