# SPDX-License-Identifier: EUPL-1.2
"""The demo city for browser tests, seeded once per test process and restored for each later test.

Browser tests are transactional (the live server reads what the test wrote), so the database is
emptied after each of them and every test used to seed its own demo city: 20–50 seconds each on
these machines, the largest part of the suite's time. ``demo_city_for_tests`` seeds a city of a
given size once per process (an xdist worker), copies every table out with PostgreSQL's ``COPY``
(binary format) and, for every later test that asks for the same city, empties the tables and
copies them back in: about a second. The restored database is the seeded one row for row,
sequences included, so a test cannot tell the difference — except that the demo's clock is the
first seed's, minutes earlier, which no test of a demo city depends on.

On SQLite (a developer running a browser test by hand is refused anyway) it simply seeds. The test command
seeds the browser tests' city before pytest starts, beside ruff and mypy (``postgres_city_prepare``), and keeps
its tables in a file that every worker's first browser test restores, instead of each worker seeding it (15–20
seconds each).

``DemoCityTestCase`` does the same for the whole-city tests on SQLite, across processes: the first
test class of a run that needs a city of a given size seeds it and writes it to a file with SQLite's
backup API; every later class, in any xdist worker, copies that file into its in-memory database
before the class starts (well under a second, against 20–75 seconds of seeding), and copies the empty
database back after the class. A class that finds another worker seeding its city at that moment seeds
its own copy rather than wait. The test command seeds the usual sizes before pytest starts, beside ruff
and mypy (``city_files_prepare``), so that no class waits for a seed.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, transaction
from django.test import TestCase

# Every browser test asks for a city of this size unless it needs another: one seed per process.
BROWSER_TEST_RESIDENTS = 300


@dataclass(frozen=True)
class _Snapshot:
    tables: dict[str, bytes]
    sequences: list[tuple[str, int | None, bool]]


_snapshots: dict[tuple[int, int], _Snapshot] = {}
_migrated: _Snapshot | None = None

# A binary COPY of an empty table: the 19-byte header and the 2-byte trailer (PostgreSQL's "COPY", File Formats).
_EMPTY_COPY_LENGTH = 21


def migrated_state_remember() -> None:
    """Keep the rows of the freshly cloned PostgreSQL test database (what the migrations and their post_migrate
    handlers wrote), for ``migrated_state_restore``."""
    global _migrated
    if connection.vendor == "postgresql":
        _migrated = _snapshot_take()


def migrated_state_restore() -> bool:
    """Empty the database back to the remembered migrated state, as Django's flush after a transactional test does:
    0.1 s where the flush took 0.4-0.5 s, most of it its post_migrate handlers writing the same rows again.
    False when nothing was remembered (SQLite, or a database set up otherwise)."""
    if _migrated is None or connection.vendor != "postgresql":
        return False
    _snapshot_restore(_migrated)
    return True


def demo_city_for_tests(*, residents: int = BROWSER_TEST_RESIDENTS, seed: int = 344) -> None:
    """Put the demo city of this size in the (emptied) test database, seeding it at most once."""
    from omzien.core.demo_city import demo_city_seed

    if connection.vendor != "postgresql":
        demo_city_seed(seed=seed, residents=residents)
        return
    key = (seed, residents)
    snapshot = _snapshots.get(key) or _snapshot_read(_postgres_city_file(seed=seed, residents=residents))
    if snapshot is None:
        demo_city_seed(seed=seed, residents=residents)
        _snapshots[key] = _snapshot_take()
        return
    _snapshots[key] = snapshot
    _snapshot_restore(snapshot)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'django_migrations' ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def _snapshot_take() -> _Snapshot:
    tables: dict[str, bytes] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in _tables():
            with raw.copy(f"COPY {table} TO STDOUT (FORMAT BINARY)") as copy:  # our own table names
                tables[table] = b"".join(bytes(chunk) for chunk in copy)
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value"
            " FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = [(name, last_value, last_value is not None) for name, last_value in cursor.fetchall()]
    return _Snapshot(tables, sequences)


def _snapshot_write(path: Path, snapshot: _Snapshot) -> None:
    """One file: a line of JSON (each table's name and length, the sequences), then the tables' COPY data."""
    header = {"tables": [[table, len(data)] for table, data in snapshot.tables.items()],
              "sequences": snapshot.sequences}  # fmt: skip
    part = path.with_suffix(".part")
    with part.open("wb") as out:
        out.write(json.dumps(header).encode() + b"\n")
        for data in snapshot.tables.values():
            out.write(data)
    part.rename(path)


def _snapshot_read(path: Path) -> _Snapshot | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    end = raw.index(b"\n")
    header = json.loads(raw[:end])
    tables, at = {}, end + 1
    for table, length in header["tables"]:
        tables[table] = raw[at : at + length]
        at += length
    return _Snapshot(tables, [(name, value, called) for name, value, called in header["sequences"]])


def postgres_city_prepare(run: str, *, residents: int = BROWSER_TEST_RESIDENTS, seed: int = 344) -> None:
    """Seed the browser tests' demo city into a scratch copy of the run's PostgreSQL template and keep its tables
    in the run's file (``demo_city_for_tests`` restores it). Called by ``python -m omzien.lib.testing.databases
    prepare`` (scripts/test) while ruff and mypy run."""
    from django.test.utils import setup_test_environment

    from omzien.core.demo_city import demo_city_seed
    from omzien.lib.testing.databases import migrated_postgres_database

    if connection.vendor != "postgresql" or os.environ.get("OMZIEN_TEST_DB_RUN") != run:
        return
    setup_test_environment()  # e-mail to memory, as in a test
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    with migrated_postgres_database() as name:
        if name is None:
            return
        own = connection.settings_dict
        connection.close()
        connection.settings_dict = {**own, "NAME": name}
        try:
            demo_city_seed(seed=seed, residents=residents)
            snapshot = _snapshot_take()
        finally:
            connection.close()
            connection.settings_dict = own
    _snapshot_write(_postgres_city_file(seed=seed, residents=residents), snapshot)


def _postgres_city_file(*, seed: int, residents: int) -> Path:
    return _city_file(seed=seed, residents=residents).with_suffix(".pgcopy")


def _snapshot_restore(snapshot: _Snapshot) -> None:
    names = ", ".join(snapshot.tables)
    # One transaction: Django makes PostgreSQL's foreign keys DEFERRABLE INITIALLY DEFERRED, so the
    # tables go back in any order and are checked together at the commit. Those checks, a trigger per row,
    # took 0.5 s of each browser test's 0.9 s restore; the snapshot was taken from a committed database, so
    # where the test cluster lets us (scripts/postgres-cluster grants it) the triggers are skipped.
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.pg_version >= 150000:  # type: ignore[attr-defined]
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"TRUNCATE {names}")
        for table, data in snapshot.tables.items():
            if len(data) <= _EMPTY_COPY_LENGTH:
                continue
            with raw.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        for name, last_value, called in snapshot.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value or 1, called])


class DemoCityTestCase(TestCase):
    """A test class whose every test starts from the demo city of ``demo_residents`` residents.

    On an in-memory SQLite test database (the test command's whole-city phase) the city is seeded
    once per run and size and copied in (see the module's docstring); elsewhere it is seeded in
    ``setUpTestData``, as any test data. A subclass's ``setUpTestData`` calls ``super()`` first.
    """

    demo_residents: ClassVar[int] = BROWSER_TEST_RESIDENTS
    demo_seed: ClassVar[int] = 344
    _empty_database: ClassVar[sqlite3.Connection | None] = None

    @classmethod
    def setUpClass(cls) -> None:
        # Before TestCase opens the class's transaction: the copy replaces the whole database.
        cls._empty_database = _sqlite_city_load(seed=cls.demo_seed, residents=cls.demo_residents)
        try:
            super().setUpClass()
        except Exception:
            cls._empty_database_restore()
            raise

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        if cls._empty_database is None:
            from omzien.core.demo_city import demo_city_seed

            demo_city_seed(seed=cls.demo_seed, residents=cls.demo_residents)

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            super().tearDownClass()
        finally:
            cls._empty_database_restore()

    @classmethod
    def _empty_database_restore(cls) -> None:
        if cls._empty_database is not None:
            cls._empty_database.backup(connection.connection)
            cls._empty_database.close()
            cls._empty_database = None


def _sqlite_city_load(*, seed: int, residents: int) -> sqlite3.Connection | None:
    """Put the demo city in the in-memory SQLite test database and return a copy of the database as
    it was (to put back after the class); None where that does not apply (then the class seeds)."""
    if connection.vendor != "sqlite":
        return None
    creation: Any = connection.creation  # SQLite's DatabaseCreation
    if not creation.is_in_memory_db(connection.settings_dict["NAME"]):
        return None
    connection.ensure_connection()
    if connection.in_atomic_block:
        return None
    path = _city_file(seed=seed, residents=residents)
    if not path.exists():
        with open(path.with_suffix(".lock"), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None  # another worker is seeding this city right now: seed here too, not wait for it
            if not path.exists():
                return _sqlite_city_seed_and_keep(seed=seed, residents=residents, path=path)
    empty = _sqlite_copy()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return empty


def _sqlite_copy() -> sqlite3.Connection:
    copy = sqlite3.connect(":memory:")
    connection.connection.backup(copy)
    return copy


def _sqlite_city_seed_and_keep(*, seed: int, residents: int, path: Path) -> sqlite3.Connection:
    """Seed the city in this database and write it to the run's file; return the database as it was."""
    from omzien.core.demo_city import demo_city_seed

    empty = _sqlite_copy()
    try:
        demo_city_seed(seed=seed, residents=residents)
    except BaseException:
        empty.backup(connection.connection)
        raise
    part = path.with_suffix(".part")
    target = sqlite3.connect(part)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    part.rename(path)
    return empty


# The sizes the whole-city test classes ask for (``demo_residents``): the test command seeds them beside ruff
# and mypy, before pytest starts (``city_files_prepare``).
PREPARED_CITY_SIZES = (BROWSER_TEST_RESIDENTS, 8000)


def city_files_prepare(run: str, *, sizes: tuple[int, ...] = PREPARED_CITY_SIZES, seed: int = 344) -> None:
    """Seed the run's demo cities into their files from the run's SQLite template, so that no test class
    seeds one: the two workers each seeded the 8,000-resident city at the same moment (a minute each).

    Called by ``python -m omzien.lib.testing.databases prepare`` (scripts/test) while ruff and mypy run; the
    files are the ones ``DemoCityTestCase`` would write, seeded the same way on a copy of the template."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    from omzien.core.demo_city import demo_city_seed
    from omzien.lib.testing.databases import _template_path

    if connection.vendor != "sqlite" or os.environ.get("OMZIEN_TEST_DB_RUN") != run:
        return
    setup_test_environment()  # e-mail to memory, as in a test
    logging.getLogger("django_tasks").setLevel(logging.WARNING)  # a line per demo e-mail in the test command's output
    template = sqlite3.connect(_template_path(run, connection))
    own = dict(connection.settings_dict)
    try:
        for residents in sizes:
            path = _city_file(seed=seed, residents=residents)
            part = path.with_suffix(".prepare")
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if path.exists():
                    continue
                target = sqlite3.connect(part)
                try:
                    template.backup(target)
                finally:
                    target.close()
                connection.close()
                connection.settings_dict["NAME"] = str(part)
                demo_city_seed(seed=seed, residents=residents)
                connection.close()
                try:
                    part.rename(path)
                except FileNotFoundError:
                    return  # the run ended meanwhile (ruff or mypy failed) and its files were removed
    finally:
        template.close()
        connection.close()
        connection.settings_dict.update(own)


def _city_file(*, seed: int, residents: int) -> Path:
    """The run's file of a demo city: by seed, size and installed apps (a test may add a room, whose
    demo adds to the city). Without a run (no xdist) the file is this process's, removed at its exit."""
    from omzien.lib.testing.databases import _run

    apps = hashlib.sha256(" ".join(settings.INSTALLED_APPS).encode()).hexdigest()[:12]
    run = _run()
    path = (
        Path(tempfile.gettempdir())
        / f"omzien-democity-{run or os.getpid()}-{seed}-{residents}-{apps}.sqlite3"
    )
    if run is None:
        _remove_at_exit()
    return path


@functools.cache
def _remove_at_exit() -> None:
    atexit.register(city_files_remove, str(os.getpid()))


def city_files_remove(run: str) -> None:
    """Remove a run's demo-city files (with the run's templates)."""
    for path in Path(tempfile.gettempdir()).glob(f"omzien-democity-{run}-*"):
        path.unlink(missing_ok=True)
