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

On SQLite (a developer running a browser test by hand is refused anyway) it simply seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

# Every browser test asks for a city of this size unless it needs another: one seed per process.
BROWSER_TEST_RESIDENTS = 300


@dataclass(frozen=True)
class _Snapshot:
    tables: dict[str, bytes]
    sequences: list[tuple[str, int | None, bool]]


_snapshots: dict[tuple[int, int], _Snapshot] = {}


def demo_city_for_tests(*, residents: int = BROWSER_TEST_RESIDENTS, seed: int = 344) -> None:
    """Put the demo city of this size in the (emptied) test database, seeding it at most once."""
    from omzien.core.demo_city import demo_city_seed

    if connection.vendor != "postgresql":
        demo_city_seed(seed=seed, residents=residents)
        return
    key = (seed, residents)
    snapshot = _snapshots.get(key)
    if snapshot is None:
        demo_city_seed(seed=seed, residents=residents)
        _snapshots[key] = _snapshot_take()
    else:
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


def _snapshot_restore(snapshot: _Snapshot) -> None:
    names = ", ".join(snapshot.tables)
    # One transaction: Django makes PostgreSQL's foreign keys DEFERRABLE INITIALLY DEFERRED, so the
    # tables go back in any order and are checked together at the commit.
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute(f"TRUNCATE {names}")
        for table, data in snapshot.tables.items():
            with raw.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        for name, last_value, called in snapshot.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value or 1, called])
