# SPDX-License-Identifier: EUPL-1.2
"""Registry of periodic jobs run by ``omzien tick`` (from cron or a systemd timer).

An app registers a job in its ``jobs.py`` with ``@periodic_job``. Each job must be idempotent:
running ``tick`` twice in a minute, or after a missed hour, must do the right thing once. This is
deliberately not a scheduler: the operating system's timer decides *when*, the jobs decide *what
is due* by looking at the data (e.g. "offers whose expiry has passed").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

JobFunction = Callable[[], int]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function: JobFunction
    description: str


_JOBS: dict[str, PeriodicJob] = {}


def periodic_job(name: str, description: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``function`` (returning how many things it handled) under ``name``."""

    def register(function: JobFunction) -> JobFunction:
        _JOBS[name] = PeriodicJob(name=name, function=function, description=description)
        return function

    return register


def periodic_jobs() -> list[PeriodicJob]:
    """Return every registered job, after importing each installed app's ``jobs`` module."""
    autodiscover_modules("jobs")
    return sorted(_JOBS.values(), key=lambda job: job.name)
