# SPDX-License-Identifier: EUPL-1.2
"""Registry of periodic jobs run by ``omzien tick`` (from cron or a systemd timer).

An app registers a job in its ``jobs.py`` with ``@periodic_job``. Each job must be idempotent:
running ``tick`` twice in a minute, or after a missed hour, must do the right thing once. This is
deliberately not a scheduler: the operating system's timer decides *when*, the jobs decide *what
is due* by looking at the data (e.g. "offers whose expiry has passed").
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
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


# One fixed key for PostgreSQL's advisory lock: "omzien.tick" as a signed 64-bit number. Advisory
# locks are per database, so two Omzien installations on one server do not block each other.
TICK_LOCK_KEY = int.from_bytes(hashlib.sha256(b"omzien.tick").digest()[:8], "big", signed=True)


@contextmanager
def tick_lock(alias: str = "default") -> Iterator[bool]:
    """Hold the one tick lock while the block runs; yield whether this process got it.

    PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection of its own, so a
    job that closes or resets the default connection cannot drop it, and a machine that dies drops
    it with its connection. SQLite serves one machine: an exclusive ``flock`` on a file beside the
    database file, released by the kernel when the process ends (holding SQLite's own write lock
    would stop every web request from writing for as long as the tick runs).
    """
    wrapper = connections[alias]
    if wrapper.vendor == "postgresql":
        own = connections.create_connection(alias)
        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [TICK_LOCK_KEY])
                (acquired,) = cursor.fetchone()
            try:
                yield bool(acquired)
            finally:
                if acquired:
                    with own.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [TICK_LOCK_KEY])
        finally:
            own.close()
        return
    import fcntl  # POSIX only, like the rest of the deployment (systemd, gunicorn)

    with _sqlite_lock_path(wrapper.settings_dict["NAME"]).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sqlite_lock_path(name: object) -> Path:
    text = str(name)
    if text and ":memory:" not in text and "mode=memory" not in text:
        return Path(f"{text}.tick-lock")
    # An in-memory database (the tests): one lock file per database name and user.
    digest = hashlib.sha256(f"{text}:{os.getpid()}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"omzien-tick-{digest}.lock"
