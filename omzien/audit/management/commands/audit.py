# SPDX-License-Identifier: EUPL-1.2
"""``omzien audit verify``: check the access log's hash chain; exit 1 on any break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from omzien.audit.integrity import chain_verify


class Command(BaseCommand):
    help = "Access-log tools. 'verify' checks the hash chain and exits 1 when it is broken."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if report.intact:
            self.stdout.write(f"Access log intact: {report.checked} entries checked.")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        self.stderr.write(
            f"Access log BROKEN: {len(report.problems)} problem(s) in {report.checked} entries."
        )
        raise SystemExit(1)
