# SPDX-License-Identifier: EUPL-1.2
"""``omzien hsds export -o FILE.json`` and ``omzien hsds import FILE.json``: the directory as Open Referral HSDS."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.hsds.exchange import directory_export, directory_import


class Command(BaseCommand):
    help = "Export the directory as an HSDS 3.0 JSON document, or import one (all or nothing, with a report)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the whole directory as one HSDS JSON document")
        export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
        load = sub.add_parser("import", help="load an HSDS JSON document into the directory")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            text = json.dumps(directory_export(), ensure_ascii=False, indent=1)
            if options.get("output"):
                options["output"].write_text(text, encoding="utf-8")
                self.stdout.write(f"Wrote {options['output']}")
            else:
                sys.stdout.write(text + "\n")
            return
        try:
            document = json.loads(options["file"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{options['file']} could not be read as JSON: {error}") from error
        report = directory_import(document)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(report.problems)} problem(s).")
        self.stdout.write(f"Imported {report.organisations} organisations, {report.locations} locations, "
                          f"{report.services} services.")  # fmt: skip
