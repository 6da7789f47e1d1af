# SPDX-License-Identifier: EUPL-1.2
"""``omzien import_geo``: load wijken, buurten, population figures and postcodes (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.geo.services import GeoImportError, geo_import


class Command(BaseCommand):
    help = (
        "Load CBS or municipal GeoJSON for wijken and buurten, a CBS kerncijfers CSV with population "
        "figures and a postcode CSV (postcode,buurt_code,lat,lon). Nothing is written when any record "
        "is wrong; every problem is listed. See docs/geo.md for the formats."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--gemeente", required=True, help="CBS municipality code, e.g. GM0344.")
        parser.add_argument("--gemeente-name", required=True, help="Municipality name, e.g. Utrecht.")
        parser.add_argument("--wijken", type=Path, help="GeoJSON FeatureCollection of wijken.")
        parser.add_argument("--buurten", type=Path, help="GeoJSON FeatureCollection of buurten.")
        parser.add_argument("--populations", type=Path, help="CSV with columns code,aantal_inwoners.")
        parser.add_argument("--population-year", type=int, help="Year of the population figures.")
        parser.add_argument(
            "--postcodes", type=Path, help="CSV with columns postcode,buurt_code[,lat,lon,synthetic]."
        )
        parser.add_argument(
            "--replace-postcodes", action="store_true", help="Remove this municipality's postcodes first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for key in ("wijken", "buurten", "populations", "postcodes"):
            path = options[key]
            if path is not None and not path.is_file():
                raise CommandError(f"--{key}: no such file: {path}")
        try:
            result = geo_import(
                gemeente_code=options["gemeente"],
                gemeente_name=options["gemeente_name"],
                districts_file=options["wijken"],
                neighbourhoods_file=options["buurten"],
                populations_file=options["populations"],
                population_year=options["population_year"],
                postcodes_file=options["postcodes"],
                replace_postcodes=options["replace_postcodes"],
            )
        except GeoImportError as error:
            lines = [f"Nothing was imported: {len(error.problems)} problem(s)."]
            lines += [f"  - {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"Imported {result.districts} wijken, {result.neighbourhoods} buurten, "
            f"{result.populations} population figures, {result.postcodes} postcodes."
        )
