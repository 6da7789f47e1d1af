# SPDX-License-Identifier: EUPL-1.2
"""``omzien audit verify``: check the access log's hash chain; exit 1 on any break.

``omzien audit expire [--dry-run]``: let entries older than the retention period (NEN 7513, at least five
years: ``OMZIEN_AUDIT_RETENTION_YEARS``) leave the chain, so that ``verify`` still proves nothing else was
removed or altered (``audit.integrity.chain_expire``). Run it as the maintenance database role: the
application's own role may not delete from the access log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from omzien.audit.integrity import ChainBrokenError, chain_expire, chain_verify

# NEN 7513 (2018) asks for at least five years; a shorter period is refused.
MINIMUM_YEARS = 5


class Command(BaseCommand):
    help = (
        "Access-log tools. 'verify' checks the hash chain and exits 1 when it is broken; 'expire' lets entries "
        "past the retention period leave the chain (run as the maintenance database role)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify", "expire"])
        parser.add_argument(
            "--dry-run", action="store_true", help="expire: count what would go, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire":
            self._expire(dry_run=options["dry_run"])
            return
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

    def _expire(self, *, dry_run: bool) -> None:
        years = settings.OMZIEN_AUDIT_RETENTION_YEARS
        if years < MINIMUM_YEARS:
            raise CommandError(
                f"OMZIEN_AUDIT_RETENTION_YEARS is {years}: NEN 7513 asks for at least {MINIMUM_YEARS}."
            )
        before = timezone.now() - timedelta(days=round(365.25 * years))
        try:
            report = chain_expire(before=before, dry_run=dry_run)
        except ChainBrokenError as error:
            raise CommandError(f"The access log does not verify; nothing was removed. {error}") from None
        except DatabaseError as error:
            raise CommandError(
                f"The database refused the removal ({error}). Run this as the maintenance role, which may remove entries "
                "of the access log; the application's own role may not."
            ) from None
        verb = "would leave" if dry_run else "left"
        self.stdout.write(f"{report.removed} entries older than {before:%Y-%m-%d} {verb} the access log.")
