# SPDX-License-Identifier: EUPL-1.2
"""Health checks behind ``/healthz``: is the database reachable, are all migrations applied?"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def database_reachable() -> bool:
    """Return True when a trivial query succeeds on the default database."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def unapplied_migrations() -> list[str]:
    """Return the names of migrations not yet applied (empty when the schema is current)."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
