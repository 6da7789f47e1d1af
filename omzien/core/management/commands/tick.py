# SPDX-License-Identifier: EUPL-1.2
"""``omzien tick``: run every periodic job once. Cron or a systemd timer calls it each minute."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand

from omzien.lib.tick import periodic_jobs, tick_lock

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run every periodic job once (idempotent; schedule it every minute)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")
        parser.add_argument(
            "--only", action="append", default=[], help="Run only the named job (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = periodic_jobs()
        if options["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name}: {job.description}")
            return
        unknown = set(options["only"]) - {job.name for job in jobs}
        if unknown:
            raise SystemExit(f"Unknown job(s): {', '.join(sorted(unknown))}. Use --list.")
        with tick_lock() as acquired:
            if not acquired:
                # Two machines (or a slow tick and the next one) started at once: the other one does
                # the work; this is not a failure, the timer simply tries again next minute.
                self.stderr.write(
                    "omzien tick: another tick is running (this or another machine); nothing done."
                )
                return
            self._run(jobs, options["only"])

    def _run(self, jobs: list[Any], only: list[str]) -> None:
        failures = 0
        for job in jobs:
            if only and job.name not in only:
                continue
            started = time.monotonic()
            try:
                handled = job.function()
            except Exception:
                # One failing job must not stop the others; the next tick tries again.
                failures += 1
                logger.exception("periodic job %s failed", job.name)
                continue
            self.stdout.write(f"{job.name}: {handled} handled in {time.monotonic() - started:.2f}s")
        if failures:
            raise SystemExit(1)
