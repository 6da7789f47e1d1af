# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL goes away under gunicorn's worker processes in the middle of a write, and comes back
(issue 26, "Faults survived").

The server is a real gunicorn with three workers holding persistent connections (CONN_MAX_AGE), as in
production. "Going away" is what PostgreSQL's own fast shutdown does to a database, confined to the
test's database so the other tests on the same cluster are not disturbed: every session is ended by
the server ("terminating connection due to administrator command") and new connections are refused.
The longer drill stops the whole server with ``pg_ctl`` (scripts/drill-database, docs/deployment.md).

To catch a write *in flight*, the test holds a lock on the table the registration writes last (the
provider link, after the consent and the registration rows), so the worker's transaction is half done
when its connection is cut.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client

import psycopg
import pytest
from psycopg import sql

from omzien.activities.models import Registration
from omzien.activities.tests.factories import Town
from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.live import Answer, Visitor, gunicorn
from omzien.lib.testing.world import login_verified
from omzien.residents.models import ConsentEvent, ResidentLink


def _connect(database: str) -> psycopg.Connection[Any]:
    db = connection.settings_dict
    return psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"],
                           dbname=database, autocommit=True)  # fmt: skip


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _assert_unavailable_page(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:300]
    assert answer.headers["Retry-After"] == "30"
    assert answer.headers["X-Request-ID"] in answer.body  # the code to quote to the help desk
    assert "Traceback" not in answer.body and "OperationalError" not in answer.body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # gunicorn's workers must see the test's rows
def test_a_write_cut_off_by_the_database_going_away_leaves_nothing_and_service_returns_without_restart() -> (
    None
):
    town = Town()
    activity = town.activity(capacity=5)
    me = town.resident(user=True)
    browser = Client()
    login_verified(browser, me.user)  # type: ignore[arg-type]
    name = connection.settings_dict["NAME"]
    admin, blocker = _connect("postgres"), _connect(name)
    register = f"/activiteiten/{activity.public_id}/aanmelden/"
    try:
        with gunicorn({"DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "60"}, workers=3) as base:
            public = Visitor(base)
            for _ in range(6):  # the workers open their connections and keep them
                assert public.get("/activiteiten/").status == 200
            resident = Visitor(
                base,
                cookies={settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value},
            )
            assert resident.get(f"/activiteiten/{activity.public_id}/").status == 200
            form = {"consent": "yes", "csrfmiddlewaretoken": resident.cookies[settings.CSRF_COOKIE_NAME]}

            blocker.execute("BEGIN")
            blocker.execute(
                sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(sql.Identifier(ResidentLink._meta.db_table))
            )
            with ThreadPoolExecutor(1) as pool:
                in_flight = pool.submit(resident.post, register, form)
                deadline = time.monotonic() + 20
                # Wait until the worker's transaction has written the consent and the registration
                # and waits for the last table.
                while not admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    [name],
                ).fetchone()[0]:  # type: ignore[index]
                    assert time.monotonic() < deadline, "the registration never reached the locked table"
                    assert not in_flight.done(), in_flight.result()
                    time.sleep(0.05)
                # The premise, checked: the waiting transaction has written rows into both tables.
                written = {
                    table
                    for (table,) in blocker.execute(  # pg_class is the test database's own
                        "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                        " JOIN pg_stat_activity a ON a.pid = l.pid"
                        " WHERE a.datname = %s AND a.wait_event_type = 'Lock' AND l.mode = 'RowExclusiveLock'",
                        [name],
                    )
                }
                assert {Registration._meta.db_table, ConsentEvent._meta.db_table} <= written, written
                # The database goes away: new connections refused, every session ended by the server
                # (the lock holder last, so the cut-off write can never get its lock and commit).
                admin.execute(
                    sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(name))
                )
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                    [name, blocker.info.backend_pid],
                )
                blocker.close()
                cut_off = in_flight.result(timeout=30)
            _assert_unavailable_page(cut_off)
            for path in (
                "/activiteiten/",
                f"/activiteiten/{activity.public_id}/",
                "/activiteiten/wijken.geojson",
            ):
                _assert_unavailable_page(public.get(path))
            _assert_unavailable_page(resident.post(register, form))
            health = public.get("/healthz")
            assert health.status == 503 and '"database": "unreachable"' in health.body

            admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name)))
            # Back without restarting gunicorn: every worker reconnects on its next request.
            for _ in range(9):
                assert public.get("/activiteiten/").status == 200
            assert public.get("/healthz").status == 200
            connection.close()  # the test's own connection was ended with the others
            # Nothing of the cut-off write survived: no consent, no registration, no access-log entry.
            assert not ConsentEvent.objects.filter(resident=me).exists()
            assert not Registration.objects.filter(resident=me).exists()
            assert not AccessLogEntry.objects.filter(object_type="registration").exists()

            again = resident.post(register, form)
            assert again.status == 302, again.body[:300]
            registration = Registration.objects.get(resident=me)
            assert ConsentEvent.objects.filter(resident=me).count() == 1
            assert (
                AccessLogEntry.objects.filter(
                    object_type="registration", object_id=str(registration.public_id)
                ).count()
                == 1
            )
    finally:
        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(name)))
        admin.close()
        blocker.close()
        connection.close()
