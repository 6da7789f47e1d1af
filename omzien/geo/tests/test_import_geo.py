# SPDX-License-Identifier: EUPL-1.2
"""Importing wijken, buurten, populations and postcodes: real Utrecht files and small made-up ones."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from omzien.geo.models import District, Municipality, Neighbourhood, Postcode
from omzien.geo.selectors import neighbourhood_for_point, neighbourhood_for_postcode
from omzien.geo.services import GeoImportError, demo_geography_load, geo_import


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def small_city(tmp_path: Path) -> dict[str, Path]:
    wijken = write_geojson(
        tmp_path / "wijken.geojson",
        [
            {
                "type": "Feature",
                "properties": {"statcode": "WK099901", "statnaam": "Noord"},
                "geometry": square(5.0, 52.0, 0.02),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "WK099902", "statnaam": "Zuid"},
                "geometry": square(5.0, 51.98, 0.02),
            },
        ],
    )
    buurten = write_geojson(
        tmp_path / "buurten.geojson",
        [
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990101", "statnaam": "Noord-west", "aantal_inwoners": 1200},
                "geometry": square(5.0, 52.0),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990102", "statnaam": "Noord-oost"},
                "geometry": square(5.01, 52.0),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990201", "statnaam": "Zuid"},
                "geometry": square(5.0, 51.98, 0.02),
            },
        ],
    )
    populations = write_csv(
        tmp_path / "kerncijfers.csv",
        [
            ["code", "naam", "aantal_inwoners"],
            ["GM0999", "Teststad", "5000"],
            ["WK099901", "Noord", "3000"],
            ["WK099902", "Zuid", "2000"],
        ],
    )
    postcodes = write_csv(
        tmp_path / "postcodes.csv",
        [
            ["postcode", "buurt_code", "lat", "lon"],
            ["1234 ab", "BU09990101", "52.005", "5.005"],
            ["1234", "BU09990102", "", ""],
            ["1235", "bu09990201", "51.99", "5.01"],
        ],
    )
    return {"wijken": wijken, "buurten": buurten, "populations": populations, "postcodes": postcodes}


@pytest.mark.django_db
def test_it_imports_a_small_city_and_finds_buurten_by_postcode_and_point(small_city: dict[str, Path]) -> None:
    result = geo_import(
        gemeente_code="GM0999",
        gemeente_name="Teststad",
        districts_file=small_city["wijken"],
        neighbourhoods_file=small_city["buurten"],
        populations_file=small_city["populations"],
        population_year=2024,
        postcodes_file=small_city["postcodes"],
    )
    assert (result.districts, result.neighbourhoods, result.postcodes, result.populations) == (2, 3, 3, 3)
    assert Municipality.objects.get(code="GM0999").population == 5000
    noord = District.objects.get(code="WK099901")
    assert (noord.name, noord.population, noord.population_year) == ("Noord", 3000, 2024)
    assert noord.centroid_lat == pytest.approx(52.01) and noord.centroid_lon == pytest.approx(5.01)
    assert Neighbourhood.objects.get(code="BU09990101").population == 1200
    assert neighbourhood_for_postcode("1234AB").code == "BU09990101"
    assert neighbourhood_for_postcode("1234 XY").code == "BU09990102"  # unknown PC6 falls back to its PC4
    assert neighbourhood_for_postcode("9999ZZ") is None
    assert neighbourhood_for_postcode("not a postcode") is None
    assert neighbourhood_for_point(52.005, 5.015).code == "BU09990102"
    assert neighbourhood_for_point(51.99, 5.01).code == "BU09990201"
    assert neighbourhood_for_point(53.0, 6.0) is None


@pytest.mark.django_db
def test_a_repeated_import_updates_instead_of_duplicating(small_city: dict[str, Path]) -> None:
    for _ in range(2):
        geo_import(
            gemeente_code="0999",
            gemeente_name="Teststad",
            districts_file=small_city["wijken"],
            neighbourhoods_file=small_city["buurten"],
            postcodes_file=small_city["postcodes"],
        )
    assert District.objects.count() == 2
    assert Neighbourhood.objects.count() == 3
    assert Postcode.objects.count() == 3


@pytest.mark.django_db
def test_bad_records_stop_the_whole_import_and_are_all_reported(
    tmp_path: Path, small_city: dict[str, Path]
) -> None:
    buurten = write_geojson(
        tmp_path / "bad-buurten.geojson",
        [
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990101", "statnaam": "Goed"},
                "geometry": square(5.0, 52.0),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "XX1", "statnaam": "Fout"},
                "geometry": square(5.0, 52.0),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990301", "statnaam": "Geen wijk"},
                "geometry": square(5.0, 52.0),
            },
            {
                "type": "Feature",
                "properties": {"statcode": "BU09990102", "statnaam": "RD"},
                "geometry": square(155000.0, 463000.0, 10),
            },
        ],
    )
    postcodes = write_csv(
        tmp_path / "bad-postcodes.csv",
        [
            ["postcode", "buurt_code", "lat", "lon"],
            ["0123AB", "BU09990101", "", ""],
            ["1234AB", "BU09990101", "north", "5"],
        ],
    )
    with pytest.raises(GeoImportError) as raised:
        geo_import(
            gemeente_code="GM0999",
            gemeente_name="Teststad",
            districts_file=small_city["wijken"],
            neighbourhoods_file=buurten,
            postcodes_file=postcodes,
        )
    report = str(raised.value)
    assert "feature 2: code" in report
    assert "BU09990301: district: wijk WK099903 is unknown" in report
    assert "not WGS84" in report
    assert "row 2: postcode: not a Dutch postcode: '0123AB'" in report
    assert "row 3: lat: not a number: 'north'" in report
    assert len(raised.value.problems) == 5
    assert District.objects.count() == Neighbourhood.objects.count() == Postcode.objects.count() == 0


@pytest.mark.django_db
def test_the_command_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command(
            "import_geo", "--gemeente", "GM0344", "--gemeente-name", "Utrecht", "--wijken", str(broken)
        )
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "import_geo",
            "--gemeente",
            "GM0344",
            "--gemeente-name",
            "Utrecht",
            "--wijken",
            str(tmp_path / "none"),
        )
    assert Municipality.objects.count() == 0


@pytest.mark.needs_shared
@pytest.mark.django_db
def test_it_imports_the_real_utrecht_files(shared_geo: Path) -> None:
    call_command(
        "import_geo",
        "--gemeente",
        "GM0344",
        "--gemeente-name",
        "Utrecht",
        "--wijken",
        str(shared_geo / "utrecht_wijken_2013_gemeente.geojson"),
        "--buurten",
        str(shared_geo / "utrecht_buurten_2013_gemeente.geojson"),
        "--populations",
        str(shared_geo / "utrecht_wijken_kerncijfers_2024.csv"),
        "--population-year",
        "2024",
    )
    assert District.objects.count() == 10
    assert Neighbourhood.objects.count() == 111
    figures = {
        r["code"]: int(r["aantal_inwoners"])
        for r in csv.DictReader((shared_geo / "utrecht_wijken_kerncijfers_2024.csv").open())
    }
    assert dict(District.objects.values_list("code", "population")) == {
        c: n for c, n in figures.items() if c.startswith("WK")
    }
    assert sum(District.objects.values_list("population", flat=True)) == 374_215
    assert Municipality.objects.get(code="GM0344").population == 374_238
    assert District.objects.get(code="WK034403").name == "OVERVECHT"
    # Every buurt's own area-weighted centroid (computed independently in the shared CSV) lies in
    # that buurt, unless the buurt is so concave that its centroid falls outside it.
    from shapely.geometry import Point, shape

    rows = [
        r for r in csv.DictReader((shared_geo / "utrecht_centroids_2013.csv").open()) if r["level"] == "buurt"
    ]
    boundaries = dict(Neighbourhood.objects.values_list("code", "boundary"))
    inside = [
        r
        for r in rows
        if shape(boundaries[r["cbs_code_assumed"]]).contains(Point(float(r["lon"]), float(r["lat"])))
    ]
    assert len(inside) >= 100
    for row in inside:
        assert neighbourhood_for_point(float(row["lat"]), float(row["lon"])).code == row["cbs_code_assumed"]


@pytest.mark.django_db
def test_the_demo_city_has_utrechts_ten_wijken_and_consistent_synthetic_postcodes() -> None:
    demo_geography_load()
    assert District.objects.count() == 10
    assert sum(District.objects.values_list("population", flat=True)) == 374_215
    assert District.objects.get(code="WK034410").name == "Vleuten-De Meern"
    assert not District.objects.filter(boundary=None).exists()
    assert Postcode.objects.filter(is_synthetic=False).count() == 0
    # Every PC6 point lies inside the buurt it is mapped to.
    for postcode in Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$").select_related("neighbourhood")[
        :200
    ]:
        assert neighbourhood_for_point(postcode.lat, postcode.lon) == postcode.neighbourhood, postcode.code


@pytest.mark.django_db
def test_the_demo_buurten_have_their_full_names() -> None:
    # The 2013 shapefile cut names at 20 characters ("Poldergebied Overvec"); the demo stores them whole.
    demo_geography_load()
    assert Neighbourhood.objects.get(code="BU03440343").name == "Poldergebied Overvecht"
    assert Neighbourhood.objects.get(code="BU03440131").name == "Nieuw Engeland, Th. à Kempisplantsoen e.o."
    cut = [name for name in Neighbourhood.objects.values_list("name", flat=True) if len(name) == 20]
    assert cut == ["Nieuw Hoograven-zuid"]  # exactly 20 characters, and whole
