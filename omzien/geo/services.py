# SPDX-License-Identifier: EUPL-1.2
"""Writes: loading areas and postcodes from CBS/municipal GeoJSON and a postcode CSV.

An import is all-or-nothing: every record is checked first, and when any record is wrong nothing is
written and the error lists every problem with its record and field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from omzien.geo.models import District, Municipality, Neighbourhood, Postcode
from omzien.geo.selectors import normalize_postcode

# Property names used by CBS (wijk- en buurtkaart, cartomap), by municipal shapefiles and by Omzien.
CODE_KEYS = ("statcode", "code", "wijkcode", "buurtcode", "KODE", "WK_CODE", "BU_CODE")
NAME_KEYS = ("statnaam", "name", "naam", "wijknaam", "buurtnaam", "NAAM", "WK_NAAM", "BU_NAAM")
POPULATION_KEYS = ("population", "aantal_inwoners", "AANT_INW", "bevolking_aantal_inwoners")


@dataclass
class ImportProblem:
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.field}: {self.message}"


class GeoImportError(Exception):
    """Nothing was imported; ``problems`` lists every record that could not be taken, and why."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class AreaRecord:
    code: str
    name: str
    population: int | None = None
    centroid: tuple[float, float] | None = None  # (lat, lon)
    boundary: dict[str, Any] | None = None
    is_synthetic: bool = False
    source: str = ""


@dataclass
class GeoImportResult:
    districts: int = 0
    neighbourhoods: int = 0
    postcodes: int = 0
    populations: int = 0
    warnings: list[str] = field(default_factory=list)


def _first(properties: dict[str, Any], keys: Iterable[str]) -> Any:
    return next((properties[k] for k in keys if properties.get(k) not in (None, "")), None)


def _cbs_code(raw: Any, prefix: str, gemeente_digits: str, local_length: int) -> str | None:
    """Turn '0111' (municipal KODE) or 'BU03440111' (CBS) into the CBS code, or None if neither."""
    text = str(raw).strip().upper()
    if text.startswith(prefix) and len(text) == 2 + 4 + local_length and text[2:].isdigit():
        return text
    if text.isdigit() and len(text) == local_length:
        return f"{prefix}{gemeente_digits}{text}"
    return None


def _area_records(
    path: Path, *, prefix: str, gemeente_digits: str, local_length: int, problems: list[ImportProblem]
) -> list[AreaRecord]:
    from shapely.geometry import shape

    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(ImportProblem(path.name, "file", f"not readable as GeoJSON ({error})"))
        return []
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        problems.append(ImportProblem(path.name, "type", "expected a GeoJSON FeatureCollection"))
        return []
    records: list[AreaRecord] = []
    seen: set[str] = set()
    for number, feature in enumerate(collection.get("features") or [], start=1):
        label = f"{path.name} feature {number}"
        properties = feature.get("properties") or {}
        if (
            gemeente_digits
            and str(properties.get("gemeentecode", "GM" + gemeente_digits)) != "GM" + gemeente_digits
        ):
            continue  # a national file: keep only this municipality's areas
        raw_code = _first(properties, CODE_KEYS)
        code = _cbs_code(raw_code, prefix, gemeente_digits, local_length) if raw_code is not None else None
        if code is None:
            problems.append(ImportProblem(label, "code", f"missing or not a {prefix} code: {raw_code!r}"))
            continue
        label = f"{path.name} {code}"
        if code in seen:
            problems.append(ImportProblem(label, "code", "appears twice"))
            continue
        seen.add(code)
        name = _first(properties, NAME_KEYS)
        if not name:
            problems.append(ImportProblem(label, "name", "missing"))
            continue
        population = _first(properties, POPULATION_KEYS)
        if population is not None:
            try:
                population = int(population)
                if population < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(ImportProblem(label, "population", f"not a whole number ≥ 0: {population!r}"))
                continue
        geometry = feature.get("geometry")
        centroid = None
        if geometry is not None:
            try:
                polygon = shape(geometry)
            except (ValueError, TypeError, AttributeError, KeyError) as error:
                problems.append(ImportProblem(label, "geometry", f"not a valid geometry ({error})"))
                continue
            if polygon.geom_type not in {"Polygon", "MultiPolygon"} or polygon.is_empty:
                problems.append(
                    ImportProblem(label, "geometry", f"expected a polygon, got {polygon.geom_type}")
                )
                continue
            minx, miny, maxx, maxy = polygon.bounds
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                problems.append(
                    ImportProblem(label, "geometry", "coordinates are not WGS84 longitude/latitude")
                )
                continue
            point = polygon.centroid if polygon.centroid.within(polygon) else polygon.representative_point()
            centroid = (round(point.y, 6), round(point.x, 6))
        records.append(
            AreaRecord(
                code=code,
                name=str(name).strip(),
                population=population,
                centroid=centroid,
                boundary=geometry,
                is_synthetic=bool(properties.get("synthetic", False)),
                source=str(properties.get("source", "")),
            )
        )
    return records


def _read_csv(
    path: Path, required: set[str], problems: list[ImportProblem]
) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ImportProblem(path.name, "file", f"not readable as UTF-8 CSV ({error})"))
        return []
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = required - set(reader.fieldnames or [])
    if missing:
        problems.append(
            ImportProblem(path.name, "header", f"missing column(s): {', '.join(sorted(missing))}")
        )
        return []
    return [(number, row) for number, row in enumerate(reader, start=2)]


def _float_or_problem(
    value: str, label: str, name: str, low: float, high: float, problems: list[ImportProblem]
) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        problems.append(ImportProblem(label, name, f"not a number: {value!r}"))
        return None
    if not low <= number <= high:
        problems.append(ImportProblem(label, name, f"{number} is outside {low}..{high}"))
    return number


def geo_import(
    *,
    gemeente_code: str,
    gemeente_name: str,
    districts_file: Path | None = None,
    neighbourhoods_file: Path | None = None,
    populations_file: Path | None = None,
    postcodes_file: Path | None = None,
    population_year: int | None = None,
    replace_postcodes: bool = False,
) -> GeoImportResult:
    """Load wijken, buurten, population figures and postcodes; all of it, or nothing.

    ``gemeente_code`` is 'GM0344' or '0344'. Existing areas with the same code are updated, so the
    import can be repeated with newer figures.
    """
    digits = gemeente_code.upper().removeprefix("GM")
    problems: list[ImportProblem] = []
    if not (len(digits) == 4 and digits.isdigit()):
        raise GeoImportError(
            [ImportProblem("arguments", "gemeente", f"not a CBS municipality code: {gemeente_code!r}")]
        )

    district_records = (
        _area_records(districts_file, prefix="WK", gemeente_digits=digits, local_length=2, problems=problems)
        if districts_file
        else []
    )
    neighbourhood_records = (
        _area_records(
            neighbourhoods_file, prefix="BU", gemeente_digits=digits, local_length=4, problems=problems
        )
        if neighbourhoods_file
        else []
    )
    known_districts = {r.code for r in district_records} | set(
        District.objects.filter(municipality__code="GM" + digits).values_list("code", flat=True)
    )
    for record in neighbourhood_records:
        district_code = "WK" + record.code[2:8]
        if district_code not in known_districts:
            problems.append(
                ImportProblem(f"buurt {record.code}", "district", f"wijk {district_code} is unknown")
            )

    populations: dict[str, int] = {}
    if populations_file:
        for number, row in _read_csv(populations_file, {"code", "aantal_inwoners"}, problems):
            label = f"{populations_file.name} row {number}"
            code = (row.get("code") or "").strip().upper()
            try:
                count = int((row.get("aantal_inwoners") or "").strip())
                if count < 0:
                    raise ValueError
            except ValueError:
                problems.append(
                    ImportProblem(
                        label, "aantal_inwoners", f"not a whole number ≥ 0: {row.get('aantal_inwoners')!r}"
                    )
                )
                continue
            populations[code] = count

    postcode_rows: list[tuple[str, str, float | None, float | None, bool]] = []
    known_neighbourhoods = {r.code for r in neighbourhood_records} | set(
        Neighbourhood.objects.filter(district__municipality__code="GM" + digits).values_list(
            "code", flat=True
        )
    )
    if postcodes_file:
        seen_postcodes: set[str] = set()
        for number, row in _read_csv(postcodes_file, {"postcode", "buurt_code"}, problems):
            label = f"{postcodes_file.name} row {number}"
            postcode = normalize_postcode(row.get("postcode") or "")
            if postcode is None:
                problems.append(
                    ImportProblem(label, "postcode", f"not a Dutch postcode: {row.get('postcode')!r}")
                )
                continue
            if postcode in seen_postcodes:
                problems.append(ImportProblem(label, "postcode", f"{postcode} appears twice"))
                continue
            seen_postcodes.add(postcode)
            buurt = (row.get("buurt_code") or "").strip().upper()
            if buurt not in known_neighbourhoods:
                problems.append(ImportProblem(label, "buurt_code", f"unknown buurt: {buurt!r}"))
                continue
            lat = _float_or_problem(row.get("lat", ""), label, "lat", -90, 90, problems)
            lon = _float_or_problem(row.get("lon", ""), label, "lon", -180, 180, problems)
            synthetic = (row.get("synthetic") or "").strip().lower() in {"1", "true", "ja", "yes"}
            postcode_rows.append((postcode, buurt, lat, lon, synthetic))

    if problems:
        raise GeoImportError(problems)

    result = GeoImportResult()
    with transaction.atomic():
        municipality, _created = Municipality.objects.update_or_create(
            code="GM" + digits, defaults={"name": gemeente_name}
        )
        for record in district_records:
            District.objects.update_or_create(
                code=record.code, defaults=_area_defaults(record) | {"municipality": municipality}
            )
            result.districts += 1
        districts = {d.code: d for d in District.objects.filter(municipality=municipality)}
        for record in neighbourhood_records:
            Neighbourhood.objects.update_or_create(
                code=record.code,
                defaults=_area_defaults(record) | {"district": districts["WK" + record.code[2:8]]},
            )
            result.neighbourhoods += 1
        for code, count in populations.items():
            model = {"GM": Municipality, "WK": District, "BU": Neighbourhood}.get(code[:2])
            updated = (
                model.objects.filter(code=code).update(  # type: ignore[attr-defined]
                    population=count, population_year=population_year
                )
                if model
                else 0
            )
            if updated:
                result.populations += 1
            else:
                result.warnings.append(f"population for {code} skipped: no such area")
        if postcode_rows:
            if replace_postcodes:
                Postcode.objects.filter(neighbourhood__district__municipality=municipality).delete()
            neighbourhood_ids = dict(
                Neighbourhood.objects.filter(district__municipality=municipality).values_list("code", "pk")
            )
            existing = set(
                Postcode.objects.filter(code__in=[r[0] for r in postcode_rows]).values_list("code", flat=True)
            )
            Postcode.objects.bulk_create(
                [
                    Postcode(
                        code=code,
                        neighbourhood_id=neighbourhood_ids[buurt],
                        lat=lat,
                        lon=lon,
                        is_synthetic=synthetic,
                    )
                    for code, buurt, lat, lon, synthetic in postcode_rows
                    if code not in existing
                ],
                batch_size=1000,
            )
            for code, buurt, lat, lon, synthetic in postcode_rows:
                if code in existing:
                    Postcode.objects.filter(code=code).update(
                        neighbourhood_id=neighbourhood_ids[buurt], lat=lat, lon=lon, is_synthetic=synthetic
                    )
            result.postcodes = len(postcode_rows)
    return result


def _area_defaults(record: AreaRecord) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "name": record.name,
        "boundary": record.boundary,
        "is_synthetic": record.is_synthetic,
        "source": record.source,
    }
    if record.centroid:
        defaults["centroid_lat"], defaults["centroid_lon"] = record.centroid
    if record.population is not None:
        defaults["population"] = record.population
    return defaults


DEMO_DIR = Path(__file__).resolve().parent / "demo"


def demo_geography_load() -> GeoImportResult:
    """Load the demo city: Utrecht's 10 wijken (real 2024 populations) and synthetic buurten/postcodes."""
    return geo_import(
        gemeente_code="GM0344",
        gemeente_name="Utrecht",
        districts_file=DEMO_DIR / "wijken.geojson",
        neighbourhoods_file=DEMO_DIR / "buurten.geojson",
        populations_file=DEMO_DIR / "populations.csv",
        population_year=2024,
        postcodes_file=DEMO_DIR / "postcodes.csv",
    )
