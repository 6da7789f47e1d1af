# SPDX-License-Identifier: EUPL-1.2
"""Reads: which buurt a postcode or a point lies in."""

from __future__ import annotations

import re
from typing import Any

from omzien.geo.models import Neighbourhood, Postcode

POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})?\s*$")


def normalize_postcode(text: str) -> str | None:
    """Return '3511AB' or '3511' for any spelling ('3511 ab', ' 3511AB '), or None if not a postcode."""
    match = POSTCODE.match(text or "")
    if not match:
        return None
    digits, letters = match.groups()
    return digits + (letters.upper() if letters else "")


def postcode_get(text: str) -> Postcode | None:
    """Return the most precise known postcode for ``text``: the PC6 if known, else its PC4."""
    code = normalize_postcode(text)
    if code is None:
        return None
    candidates = [code] if len(code) == 4 else [code, code[:4]]
    found = {
        p.code: p
        for p in Postcode.objects.select_related("neighbourhood__district").filter(code__in=candidates)
    }
    return next((found[c] for c in candidates if c in found), None)


def neighbourhood_for_postcode(text: str) -> Neighbourhood | None:
    """Return the buurt of a postcode (PC6 preferred, PC4 as fallback), or None."""
    postcode = postcode_get(text)
    return postcode.neighbourhood if postcode else None


class NeighbourhoodLocator:
    """Finds the buurt that contains a point, for many points at once (an STR-tree over the boundaries).

    Build one per batch (an import, a benchmark); it is not cached across requests, so it can never
    answer from boundaries that have since been re-imported.
    """

    def __init__(self, boundaries: list[tuple[int, dict[str, Any]]]) -> None:
        from shapely import STRtree
        from shapely.geometry import shape

        self._pks = [pk for pk, _boundary in boundaries]
        self._tree = STRtree([shape(boundary) for _pk, boundary in boundaries])

    @classmethod
    def from_database(cls) -> NeighbourhoodLocator:
        """Return a locator over every buurt with a boundary, as stored now."""
        rows = Neighbourhood.objects.exclude(boundary=None).values_list("pk", "boundary")
        return cls([(pk, boundary) for pk, boundary in rows if boundary is not None])

    def pk_for(self, lat: float, lon: float) -> int | None:
        """Return the primary key of the buurt containing (lat, lon), or None."""
        from shapely.geometry import Point

        hits = self._tree.query(Point(lon, lat), predicate="within")
        return self._pks[int(hits[0])] if len(hits) else None

    def pks_for(self, lats: list[float], lons: list[float]) -> list[int | None]:
        """Return the buurt primary key for every point at once (vectorised; for imports)."""
        import shapely

        found: list[int | None] = [None] * len(lats)
        point_indexes, tree_indexes = self._tree.query(shapely.points(lons, lats), predicate="within")
        for point_index, tree_index in zip(point_indexes.tolist(), tree_indexes.tolist(), strict=True):
            found[point_index] = self._pks[tree_index]
        return found


def neighbourhood_for_point(lat: float, lon: float) -> Neighbourhood | None:
    """Return the buurt whose boundary contains the point (WGS84), or None outside every buurt."""
    pk = NeighbourhoodLocator.from_database().pk_for(lat, lon)
    return Neighbourhood.objects.select_related("district").get(pk=pk) if pk is not None else None
