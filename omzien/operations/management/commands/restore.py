# SPDX-License-Identifier: EUPL-1.2
"""``omzien restore FILE``: restore a backup into the configured, empty database and media folder,
then erase again every resident in the erasure journal (docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.operations.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'omzien backup' into an empty database (DATABASE_URL) and media folder, "
        "then erase again everyone in the erasure journal: no erased resident comes back."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "-i", "--identity", help="age key file to decrypt with (default OMZIEN_BACKUP_IDENTITY_FILE)."
        )
        parser.add_argument(
            "--erasures", action="append", type=Path, default=[],
            help="Another erasure journal to apply (repeatable), besides OMZIEN_ERASURE_JOURNAL.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                Path(options["file"]), identity=options["identity"], journals=options["erasures"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"Restored {report.tables} tables and {report.rows} rows; erased again after the backup: "
            f"{report.erased_again} resident(s). {report.audit}"
        )
        if report.problems:
            raise CommandError("The restored database differs from the backup's manifest (see above).")
