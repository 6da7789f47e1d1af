# SPDX-License-Identifier: EUPL-1.2
"""The test database: migrated once per test run, then copied for each pytest-xdist worker.

Django renders the whole model state again for most migration operations; our migrations take about
25 seconds on these machines (a minute and more under load), and pytest-django runs them in every
worker of every phase. Django's own parallel test runner migrates once and clones the result
(PostgreSQL: ``CREATE DATABASE … TEMPLATE``; SQLite: the online backup API into each worker's
in-memory database). This does the same for pytest-xdist: the first worker to take a file lock
migrates the run's template database, and every worker clones it under the same lock. Without xdist
(``-n 0``) it is Django's own ``setup_databases``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Django's teardown_databases takes (connection, old name, destroy) triples.
OldConfig = list[tuple[Any, str, bool]]


def setup_test_databases(verbosity: int) -> OldConfig:
    """Create the test database of every connection; migrations run once per run, not per worker."""
    from django.db import connections
    from django.test.utils import setup_databases

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not run or not worker:
        return list(setup_databases(verbosity=verbosity, interactive=False))
    old_config: OldConfig = []
    for alias in connections:
        connection = connections[alias]
        old_name = connection.settings_dict["NAME"]
        with _run_lock():
            if connection.vendor == "sqlite":
                _sqlite_from_template(connection, run, verbosity)
            else:
                _clone_from_template(connection, worker, verbosity, run)
        old_config.append((connection, old_name, True))
    return old_config


def teardown_test_databases(old_config: OldConfig, verbosity: int) -> None:
    """Drop each worker's database, and the run's template once (the next worker to need it re-creates it)."""
    from django.test.utils import teardown_databases

    teardown_databases(old_config, verbosity=verbosity)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return
    with _run_lock():
        for connection, _old_name, _destroy in old_config:
            marker = _marker(run, connection.alias)
            if not marker.exists():
                continue
            if connection.vendor == "sqlite":
                _template_path(run, connection.alias).unlink(missing_ok=True)
            else:
                template = _template_settings(connection)
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template['NAME'])}")
            marker.unlink()


def _folder() -> Path:
    return Path(tempfile.gettempdir())


@contextmanager
def _run_lock() -> Iterator[None]:
    # One lock file for every run (a second run at the same time only waits a moment): nothing to clean up.
    with open(_folder() / "omzien-testdb.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _marker(run: str, alias: str) -> Path:
    """Exists while this run's template of the alias exists."""
    return _folder() / f"omzien-testdb-{run}-{alias}.ready"


def _template_path(run: str, alias: str) -> Path:
    return _folder() / f"omzien-testdb-{run}-{alias}.sqlite3"


def _sqlite_from_template(connection: Any, run: str, verbosity: int) -> None:
    """Migrate the template file once; load it into this worker's in-memory test database."""
    from django.conf import settings

    template = _template_path(run, connection.alias)
    test_settings = connection.settings_dict.setdefault("TEST", {})
    wanted = test_settings.get("NAME")
    if not _marker(run, connection.alias).exists():
        test_settings["NAME"] = str(template)
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        connection.close()
        _marker(run, connection.alias).touch()
    test_settings["NAME"] = wanted
    name = connection.creation._get_test_db_name()
    if not connection.creation.is_in_memory_db(name):
        raise RuntimeError("the xdist template only feeds in-memory SQLite test databases")
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _template_settings(connection: Any) -> dict[str, Any]:
    """The run's template: the worker's test database name without pytest-django's ``_gwN``, plus
    ``_template`` (``test_omzien`` itself is what a benchmark's own setup_databases creates)."""
    worker = os.environ["PYTEST_XDIST_WORKER"]
    name = connection.creation._get_test_db_name().removesuffix(f"_{worker}") + "_template"
    return {
        **connection.settings_dict,
        "NAME": name,
        "TEST": {**connection.settings_dict["TEST"], "NAME": name},
    }


@contextmanager
def migrated_postgres_database() -> Iterator[str | None]:
    """The name of a new PostgreSQL database copied from this run's migrated template, dropped
    afterwards; None when there is no template (not PostgreSQL, or not under pytest-xdist). For a
    test that starts a program of its own on a database (the page benchmark's smoke run)."""
    from django.db import connection

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if connection.vendor != "postgresql" or not run or not _marker(run, connection.alias).exists():
        yield None
        return
    template = connection.ops.quote_name(_template_settings(connection)["NAME"])
    name = f"omzien_scratch_{uuid.uuid4().hex[:12]}"
    with _run_lock(), connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield name
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _clone_from_template(connection: Any, worker: str, verbosity: int, run: str) -> None:
    """PostgreSQL: migrate ``test_<name>_template`` once, then clone it for the worker."""
    from django.conf import settings

    template = _template_settings(connection)
    worker_settings = connection.settings_dict
    if not _marker(run, connection.alias).exists():
        connection.settings_dict = {**worker_settings, "TEST": template["TEST"]}
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        connection.close()  # a template with a session open cannot be copied
        connection.settings_dict = worker_settings
        _marker(run, connection.alias).touch()
    connection.close()
    # _clone_test_db copies settings_dict["NAME"] to "<NAME>_<suffix>" (dropping an old one first).
    connection.settings_dict = template
    connection.creation._clone_test_db(worker, verbosity, keepdb=False)
    clone = connection.creation.get_test_db_clone_settings(worker)
    connection.settings_dict = worker_settings
    worker_settings["NAME"] = clone["NAME"]
    settings.DATABASES[connection.alias]["NAME"] = clone["NAME"]
    connection.ensure_connection()
