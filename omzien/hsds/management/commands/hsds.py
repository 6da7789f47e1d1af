# SPDX-License-Identifier: EUPL-1.2
"""``omzien hsds export -o FILE.json`` and ``omzien hsds import FILE.json``: the directory as Open Referral HSDS."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from omzien.hsds.exchange import directory_export, directory_import, package_import
from omzien.hsds.tabular import TabularError, document_to_tables, tables_to_zip


class Command(BaseCommand):
    help = "Export the directory as an HSDS 3.0 JSON document, or import one (all or nothing, with a report)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the whole directory as one HSDS JSON document")
        export.add_argument(
            "-o",
            "--output",
            type=Path,
            help="file to write: .json, or .zip for the tabular CSV datapackage (default: JSON on standard output)",
        )
        load = sub.add_parser(
            "import", help="load an HSDS JSON document or tabular CSV datapackage (.zip) into the directory"
        )
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            output = options.get("output")
            if output is not None and output.suffix.lower() == ".zip":
                output.write_bytes(tables_to_zip(document_to_tables(directory_export())))
                self.stdout.write(f"Wrote {output} (tabular CSV datapackage)")
                return
            text = json.dumps(directory_export(), ensure_ascii=False, indent=1)
            if options.get("output"):
                options["output"].write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {options['output']}")
            else:
                sys.stdout.write(text + "\n")
            return
        path: Path = options["file"]
        try:
            content = path.read_bytes()
            document = None if path.suffix.lower() == ".zip" else json.loads(content.decode("utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{path} could not be read as HSDS JSON: {error}") from error
        bars: list[Any] = []

        def progress(stage: str, total: int) -> Any:
            """A progress bar on a terminal (tqdm shows nothing when standard error is not one)."""
            for bar in bars:
                bar.close()
            bars[:] = [tqdm(total=total, desc=stage, unit=" records", disable=None, file=sys.stderr, leave=False)]
            return bars[0].update

        try:
            report = directory_import(document, progress=progress) if document is not None else package_import(content, progress=progress)
        except TabularError as error:
            raise CommandError(f"{path} could not be read as an HSDS CSV datapackage: {error}") from error
        for bar in bars:
            bar.close()
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(report.problems)} problem(s).")
        self.stdout.write(f"Imported {report.organisations} organisations, {report.locations} locations, "
                          f"{report.services} services ({report.created} new, {report.changed} changed, "
                          f"{report.unchanged} unchanged).")  # fmt: skip
