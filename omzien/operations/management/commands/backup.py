# SPDX-License-Identifier: EUPL-1.2
"""``omzien backup -o FILE``: an encrypted backup; ``omzien backup verify FILE``: restore it into a
scratch database and check it (docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.operations.services import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database, uploaded files, manifest with checksums) with -o FILE, or "
        "'verify FILE': restore it into a scratch database and compare rows, chain head and the access log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["verify"], help="verify: check an existing backup.")
        parser.add_argument("file", nargs="?", help="The backup to verify.")
        parser.add_argument("-o", "--output", help="The backup file to write (must not exist).")
        parser.add_argument(
            "-r", "--recipient", action="append", default=None,
            help="age public key to encrypt for (repeatable; default OMZIEN_BACKUP_RECIPIENTS).",
        )  # fmt: skip
        parser.add_argument(
            "-i", "--identity", help="age key file to decrypt with (default OMZIEN_BACKUP_IDENTITY_FILE)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "verify":
                if not options["file"]:
                    raise CommandError("Name the backup: omzien backup verify FILE")
                self._verify(Path(options["file"]), options["identity"])
                return
            if not options["output"]:
                raise CommandError("Name the file to write: omzien backup -o FILE")
            manifest = backup_create(Path(options["output"]), recipients=options["recipient"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        head = manifest["audit_chain_head"] or {}
        self.stdout.write(
            f"Backup written to {options['output']} in {manifest['seconds']} s: "
            f"{len(manifest['counts'])} tables, {sum(manifest['counts'].values())} rows, "
            f"{manifest['media_files']} uploaded files, access log up to #{head.get('last_sequence', 0)}."
        )

    def _verify(self, path: Path, identity: str | None) -> None:
        report = backup_verify(path, identity=identity)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path}: the backup does not restore as it was made.")
        self.stdout.write(
            f"{path}: restored into a scratch database: {report.tables} tables and {report.rows} rows as in "
            f"the manifest. {report.audit}"
        )
