# SPDX-License-Identifier: EUPL-1.2
"""``omzien score --instrument {djg11,djg6,ucla3} INPUT -o OUTPUT``: score a whole file at once."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.wellbeing.answers import DEFAULT_MISSING, AnswerError, normalise, parse_codes
from omzien.wellbeing.bulk import BulkInputError, frame_read, frame_score, frame_write
from omzien.wellbeing.instruments import INSTRUMENTS
from omzien.wellbeing.scoring import rules_applied
from omzien.wellbeing.services import scoring_rules


class Command(BaseCommand):
    help = (
        "Score loneliness scales in a CSV or XLSX file. Item columns are item_1 … item_11 (11-item "
        "numbering); other columns pass through. Writes the input plus score, social, emotional, "
        "category and valid. Any answer that is neither valid nor a missing code stops the run and "
        "writes nothing."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--instrument", choices=sorted(INSTRUMENTS), required=True)
        parser.add_argument(
            "--map", action="append", default=[], metavar="OLD=NEW", help="Rename a column (repeatable)."
        )
        parser.add_argument("--codes", default="", help="Numeric codes, e.g. '1=nee,2=min of meer,3=ja'.")
        parser.add_argument(
            "--max-missing",
            type=int,
            help="Items that may be unanswered for a valid total (default: setting).",
        )
        parser.add_argument(
            "--max-missing-subscale", type=int, help="Items per subscale that may be unanswered."
        )
        parser.add_argument(
            "--subscale-lonely-from", type=int, help="A subscale counts as lonely from this many items."
        )
        parser.add_argument(
            "--missing", default=",".join(DEFAULT_MISSING),
            help="Values that mean 'no answer' (comma-separated; default: blank,9,99,-1,weet niet,…).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = INSTRUMENTS[options["instrument"]]
        try:
            rename = dict(part.split("=", 1) for part in options["map"])
        except ValueError:
            raise CommandError("--map takes OLD=NEW") from None
        try:
            codes = parse_codes(options["codes"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        missing = tuple(normalise(value) for value in options["missing"].split(","))
        rules = scoring_rules(instrument.code)
        for option, key in (("max_missing", "max_missing_total"), ("max_missing_subscale", "max_missing_subscale"),
                            ("subscale_lonely_from", "subscale_lonely_from")):  # fmt: skip
            if options[option] is not None:
                rules[key] = options[option]
        started = time.perf_counter()
        if not options["input"].is_file():
            raise CommandError(f"No such file: {options['input']}")
        from tqdm import tqdm

        # Shown on a terminal only (disable=None); steps: read, each item column, write.
        with tqdm(total=len(instrument.items) + 2, unit="step", disable=None, file=sys.stderr) as bar:
            try:
                bar.set_description("reading")
                frame = frame_read(options["input"])
                bar.update()
                bar.set_description(f"scoring {frame.height} rows")
                result = frame_score(instrument, frame, rename=rename, codes=codes, missing=missing,
                                     on_column=lambda _name: bar.update(), rules=rules)  # fmt: skip
                bar.set_description("writing")
                frame_write(result, options["output"])
                bar.update()
            except (BulkInputError, AnswerError, ValueError) as error:
                raise CommandError(f"Nothing was written: {error}") from None
        valid = int(result.get_column("valid").sum())
        applied = rules_applied(instrument, rules)
        max_total, max_sub = applied["max_missing_total"], applied["max_missing_subscale"]
        subscale_rule = (
            f", a subscale with at most {max_sub} of its items missing" if max_sub is not None else ""
        )
        self.stdout.write(
            f"Scored {result.height} rows with {instrument.name} in {time.perf_counter() - started:.2f}s: "
            f"{valid} valid, {result.height - valid} not valid. Wrote {options['output']}.\n"
            f"Missing answers: a total is valid with at most {max_total} items missing"
            f"{subscale_rule}; a valid score counts the answered items (no imputation); an invalid score is empty."
        )
