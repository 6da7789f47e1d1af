# SPDX-License-Identifier: EUPL-1.2
"""The test database: migrated once, then copied for each pytest-xdist worker.

Django renders the whole model state again for most migration operations; our migrations take about
half a minute on these machines, and pytest-django runs them in every worker of every phase.
Django's own parallel test runner migrates once and clones the result (PostgreSQL: ``CREATE
DATABASE … TEMPLATE``; SQLite: the online backup API into each worker's in-memory database). This
does the same for pytest-xdist: the first worker to take a file lock migrates the run's template,
and every worker clones it under the same lock. ``scripts/test`` goes one step further: it prepares
both templates (``python -m omzien.lib.testing.databases``) while ruff and mypy run, so no worker
waits for a migration. Without xdist (``-n 0``) it is Django's own ``setup_databases``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Django's teardown_databases takes (connection, old name, destroy) triples.
OldConfig = list[tuple[Any, str, bool]]

# A run prepared by scripts/test before pytest starts: its templates outlive pytest (the script
# removes them); otherwise the run is pytest-xdist's and the last worker's teardown removes them.
PREPARED_RUN = "OMZIEN_TEST_DB_RUN"


def setup_test_databases(verbosity: int) -> OldConfig:
    """Create the test database of every connection; migrations run once per run, not per worker."""
    from django.db import connections
    from django.test.utils import setup_databases

    run = _run()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not run or not worker:
        return list(setup_databases(verbosity=verbosity, interactive=False))
    old_config: OldConfig = []
    for alias in connections:
        connection = connections[alias]
        old_name = connection.settings_dict["NAME"]
        with _lock(connection):
            _ensure_template(connection, run, verbosity)
            if connection.vendor == "sqlite":
                _sqlite_from_template(connection, run)
            else:
                _postgres_from_template(connection, worker, verbosity)
        old_config.append((connection, old_name, True))
    return old_config


def teardown_test_databases(old_config: OldConfig, verbosity: int) -> None:
    """Drop each worker's database, and the run's template once (a worker that still needs it makes it again)."""
    from django.test.utils import teardown_databases

    teardown_databases(old_config, verbosity=verbosity)
    run = _run()
    if not run or os.environ.get(PREPARED_RUN):
        return
    for connection, _old_name, _destroy in old_config:
        with _lock(connection):
            _drop_template(connection, run)


def prepare_templates(run: str) -> None:
    """Migrate the templates of a run before pytest starts (scripts/test, beside ruff and mypy)."""
    from django.db import connections

    for alias in connections:
        with _lock(connections[alias]):
            _ensure_template(connections[alias], run, verbosity=0)
        connections[alias].close()
    if os.environ.get("OMZIEN_TEST_PREPARE_CITIES") == "1":
        from omzien.lib.testing.demo import city_files_prepare, postgres_city_prepare

        city_files_prepare(run)
        postgres_city_prepare(run)


def remove_templates(run: str) -> None:
    from django.db import connections

    for alias in connections:
        with _lock(connections[alias]):
            _drop_template(connections[alias], run)


@contextmanager
def migrated_postgres_database() -> Iterator[str | None]:
    """The name of a new PostgreSQL database copied from this run's migrated template, dropped
    afterwards; None when there is no template (not PostgreSQL, or not under pytest-xdist). For a
    test that starts a program of its own on a database (the page benchmark's smoke run)."""
    from django.db import connection

    run = _run()
    if connection.vendor != "postgresql" or not run or not _marker(run, connection).exists():
        yield None
        return
    template = connection.ops.quote_name(_template_settings(connection)["NAME"])
    name = f"omzien_scratch_{uuid.uuid4().hex[:12]}"
    with _lock(connection), connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield name
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run() -> str | None:
    return os.environ.get(PREPARED_RUN) or os.environ.get("PYTEST_XDIST_TESTRUNUID")


def _folder() -> Path:
    return Path(tempfile.gettempdir())


@contextmanager
def _lock(connection: Any) -> Iterator[None]:
    # One lock file per database engine, whatever the run (a second run at the same time only waits
    # a moment): nothing to clean up, and the SQLite and PostgreSQL templates are made side by side.
    with open(_folder() / f"omzien-testdb-{connection.vendor}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _marker(run: str, connection: Any) -> Path:
    """Exists while this run's template of the connection exists (a run has one per database engine)."""
    return _folder() / f"omzien-testdb-{run}-{connection.alias}-{connection.vendor}.ready"


def _template_path(run: str, connection: Any) -> Path:
    return _folder() / f"omzien-testdb-{run}-{connection.alias}.sqlite3"


def _template_settings(connection: Any) -> dict[str, Any]:
    """PostgreSQL's template: the test database's name without pytest-django's ``_gwN``, plus
    ``_template`` (``test_omzien`` itself is what a benchmark's own setup_databases creates)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = connection.creation._get_test_db_name().removesuffix(f"_{worker}") + "_template"
    return {**connection.settings_dict, "NAME": name, "TEST": {**connection.settings_dict["TEST"], "NAME": name}}


def _ensure_template(connection: Any, run: str, verbosity: int) -> None:
    """Migrate the run's template of this connection unless it is there (call under the lock)."""
    marker = _marker(run, connection)
    if marker.exists():
        return
    own = connection.settings_dict
    name = own["NAME"]
    if connection.vendor == "sqlite":
        template = str(_template_path(run, connection))
    else:
        template = _template_settings(connection)["NAME"]
    connection.settings_dict = {**own, "TEST": {**own.get("TEST", {}), "NAME": template}}
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        connection.close()  # a PostgreSQL template with a session open cannot be copied
    finally:
        connection.settings_dict = own
        own["NAME"] = name  # create_test_db wrote the template's name into settings.DATABASES (``own``)
    marker.touch()


def _drop_template(connection: Any, run: str) -> None:
    if connection.vendor == "sqlite":
        from omzien.lib.testing.demo import city_files_remove

        city_files_remove(run)  # the demo cities seeded from it (omzien.lib.testing.demo)
    marker = _marker(run, connection)
    if not marker.exists():
        return
    if connection.vendor == "sqlite":
        _template_path(run, connection).unlink(missing_ok=True)
    else:
        template = connection.ops.quote_name(_template_settings(connection)["NAME"])
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
    marker.unlink()


def _sqlite_from_template(connection: Any, run: str) -> None:
    """Load the template into this worker's in-memory test database."""
    from django.conf import settings

    name = connection.creation._get_test_db_name()
    if not connection.creation.is_in_memory_db(name):
        raise RuntimeError("the xdist template only feeds in-memory SQLite test databases")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    source = sqlite3.connect(_template_path(run, connection))
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _postgres_from_template(connection: Any, worker: str, verbosity: int) -> None:
    """``CREATE DATABASE test_<name>_template_<worker> TEMPLATE test_<name>_template``."""
    from django.conf import settings

    own = connection.settings_dict
    connection.close()
    # _clone_test_db copies settings_dict["NAME"] to "<NAME>_<suffix>" (dropping an old one first).
    connection.settings_dict = _template_settings(connection)
    try:
        connection.creation._clone_test_db(worker, verbosity, keepdb=False)
        clone = connection.creation.get_test_db_clone_settings(worker)["NAME"]
    finally:
        connection.settings_dict = own
    own["NAME"] = clone
    settings.DATABASES[connection.alias]["NAME"] = clone
    connection.ensure_connection()


if __name__ == "__main__":
    # python -m omzien.lib.testing.databases prepare|remove RUN (DJANGO_SETTINGS_MODULE and DATABASE_URL set)
    import django

    django.setup()
    {"prepare": prepare_templates, "remove": remove_templates}[sys.argv[1]](sys.argv[2])
