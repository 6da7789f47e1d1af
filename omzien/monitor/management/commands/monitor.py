# SPDX-License-Identifier: EUPL-1.2
"""``omzien monitor estimate --survey FILE --margins FILE --area-level {wijk,buurt} -o OUT.csv``.

Loneliness figures per area and for the city from survey microdata (DJG-11), with honest
uncertainty; see ``omzien.monitor.survey`` for the methods and docs/monitor.md for the columns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omzien import policy
from omzien.lib.csv_safe import frame_neutralise
from omzien.monitor.files import table_read
from omzien.monitor.survey import (
    OUTPUT_COLUMNS,
    SurveyError,
    monitor_estimates,
    references_read,
    survey_prepare,
)
from omzien.wellbeing.answers import DEFAULT_MISSING, normalise, parse_codes
from omzien.wellbeing.bulk import BulkInputError, columns_rename
from omzien.wellbeing.services import scoring_rules


def _read(path: Path) -> Any:
    try:
        return table_read(path)
    except BulkInputError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Loneliness monitor: estimates per wijk or buurt and for the city from a survey file."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        estimate = sub.add_parser(
            "estimate", help="weighted prevalences with SEs and CIs, model estimates, trends"
        )
        estimate.add_argument(
            "--survey", type=Path, required=True, help="CSV, XLSX or SPSS .sav with item_1 … item_11"
        )
        estimate.add_argument(
            "--margins", type=Path, required=True, help="CSV: area, age_group, sex, population"
        )
        estimate.add_argument("--area-level", choices=["wijk", "buurt"], required=True)
        estimate.add_argument("-o", "--output", type=Path, required=True, help=".csv or .xlsx")
        estimate.add_argument(
            "--reference",
            type=Path,
            help="CSV of reference values: indicator, value, source, year, instrument",
        )
        estimate.add_argument(
            "--map", action="append", default=[], metavar="OLD=NEW", help="Rename a survey column."
        )
        estimate.add_argument(
            "--codes", default="", help="Numeric answer codes, e.g. '1=nee,2=min of meer,3=ja'."
        )
        estimate.add_argument(
            "--missing", default=",".join(DEFAULT_MISSING), help="Values meaning 'no answer'."
        )
        estimate.add_argument(
            "--min-cell",
            type=int,
            default=None,
            help="Fewer respondents than this: nothing direct is shown (default: policy publication.min_cell_size).",
        )
        estimate.add_argument("--direct-min", type=int, default=settings.OMZIEN_MONITOR_DIRECT_MIN_RESPONDENTS,
                              help="Fewer respondents than this: a model estimate is added (default: setting).")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        import polars as pl
        from tqdm import tqdm

        started = time.perf_counter()
        try:
            rename = dict(part.split("=", 1) for part in options["map"])
            codes = parse_codes(options["codes"])
        except ValueError as error:
            raise CommandError(f"--map takes OLD=NEW, --codes CODE=ANSWER: {error}") from None
        missing = tuple(normalise(value) for value in options["missing"].split(","))
        min_cell = options["min_cell"] if options["min_cell"] is not None else policy.get("publication.min_cell_size")
        output: Path = options["output"]
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("The output must be a .csv or .xlsx file.")
        # On a terminal only (disable=None): read, check, score, rake and estimate per wave, write.
        with tqdm(total=7, unit="step", disable=None, file=sys.stderr) as bar:

            def step(name: str) -> None:
                bar.set_description(name)
                bar.update()

            try:
                survey_frame = columns_rename(_read(options["survey"]), rename)
            except BulkInputError as error:
                raise CommandError(str(error)) from None
            margins = _read(options["margins"])
            step("read")
            try:
                survey = survey_prepare(
                    survey_frame, margins, area_level=options["area_level"], codes=codes, missing=missing
                )
                step("checked")
                references = (
                    references_read(_read(options["reference"]), "djg11") if options.get("reference") else []
                )
                rows = monitor_estimates(survey, area_level=options["area_level"], min_cell=min_cell,
                                         direct_min_respondents=options["direct_min"], rules=scoring_rules("djg11"),
                                         references=references, progress=step)  # fmt: skip
            except SurveyError as error:
                raise CommandError("Nothing was written:\n" + "\n".join(error.problems)) from None
            table = pl.DataFrame(rows, schema={name: (pl.Float64 if name in ("estimate", "se", "ci_low", "ci_high", "mse")
                                                      else pl.Int64 if name == "respondents" else pl.String)
                                               for name in OUTPUT_COLUMNS}, orient="row")  # fmt: skip
            if output.suffix.lower() == ".csv":
                frame_neutralise(table).write_csv(output)  # safe to open in a spreadsheet
            else:
                table.write_excel(output)
        kinds = table.group_by("kind").len().sort("kind").iter_rows()
        self.stdout.write(
            f"{len(survey.answers)} respondents in {len(survey.area_codes)} {options['area_level']}en, "
            f"{len(survey.waves)} wave(s): {', '.join(f'{n} {k}' for k, n in kinds)} rows, "
            f"in {time.perf_counter() - started:.2f}s. Wrote {output}."
        )
