# SPDX-License-Identifier: EUPL-1.2
"""Health checks behind ``/healthz``: is the database reachable, are all migrations applied?"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

# The last full check's answer, by the migration records it saw: (count, highest id) -> pending names.
_checked: dict[tuple[int, int], list[str]] = {}
_checking = threading.Lock()


def database_reachable() -> bool:
    """Return True when a trivial query succeeds on the default database."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def unapplied_migrations() -> list[str]:
    """Return the names of migrations not yet applied (empty when the schema is current).

    The full check builds the migration graph from every app's migration modules (about 60 ms); its answer
    is kept for as long as the database's migration records stay the same (their number and highest id, one
    cheap query), so a load balancer's check every few seconds costs two small queries. Applying a
    migration (a new record) or unapplying one (a record removed) makes the next call check again.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - Django's own table
            count, highest = cursor.fetchone()
    except DatabaseError:
        if connection.in_atomic_block or not connection.is_usable():
            raise
        return _full_check(connection)  # an empty database: no records table yet, everything pending
    seen = (int(count), int(highest))
    with _checking:
        if seen not in _checked:
            _checked.clear()
            _checked[seen] = _full_check(connection)
        return list(_checked[seen])


def _full_check(connection: Any) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
