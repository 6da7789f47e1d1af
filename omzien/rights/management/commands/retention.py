# SPDX-License-Identifier: EUPL-1.2
"""``omzien retention [--dry-run]``: apply every room's retention rules now, or show what would go."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from omzien.audit.events import audit_scope
from omzien.rights import services


class Command(BaseCommand):
    help = "Apply every room's retention rules now (with --dry-run: only show what would be removed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        with audit_scope():
            lines = services.retention_apply(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for line in lines:
            self.stdout.write(
                f"{line.room}.{line.key}: {verb} {line.count}  ({line.description}; {line.basis or '-'})"
            )
        total = sum(line.count for line in lines)
        self.stdout.write(f"total: {verb} {total}" + (" (dry run: nothing changed)" if dry_run else ""))
