# SPDX-License-Identifier: EUPL-1.2
"""Gunicorn's settings for the load test: Omzien's own, plus a warm start.

With ``--preload`` the master imports Omzien once and forks the workers from it; loading the URL configuration
(every room's views) and the migration graph (``/healthz`` reads it) there too spares each worker those seconds
on its first request, which on a busy machine ran past gunicorn's timeout. docs/deployment.md recommends the same
for production.
"""

from typing import Any

from omzien.conf.gunicorn import access_log_format, accesslog

__all__ = ["access_log_format", "accesslog", "when_ready"]


def when_ready(server: Any) -> None:
    from django.db.migrations.loader import MigrationLoader
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every room's views
    MigrationLoader(None, ignore_no_migrations=True)
