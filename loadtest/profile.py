# SPDX-License-Identifier: EUPL-1.2
"""``python -m loadtest profile``: where one request of the load test's mix spends its CPU, page by page.

Runs in one process against the load-test city (``DATABASE_URL``, ``OMZIEN_DEMO=true``) through Django's whole
handler (every middleware, the templates, the context processors), as a gunicorn worker runs it, minus the HTTP
parsing. For each page of the mix: the CPU milliseconds of the process per request (median of ``--repeat``
after a warm-up), the queries and their database time, and with ``--top`` the functions that took the most
(cProfile, cumulative). The pages are found as the Locust users find them: by following links.

    python -m loadtest profile --repeat 20 --top 25 [--only worklist clients]
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _client(role: str | None) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if role:
        client.get("/")
        response = client.post("/account/demo/", {"role": role})
        if response.status_code != 302:
            raise SystemExit(f"demo login as {role} failed ({response.status_code}): is OMZIEN_DEMO on?")
    return client


def _first(html: str, pattern: str) -> str:
    found = re.findall(pattern, html)
    if not found:
        raise SystemExit(f"no link {pattern!r} on the page")
    return str(sorted(found)[len(found) // 2])


def pages() -> dict[str, tuple[str | None, Callable[[Any], str]]]:
    """The mix's pages: name -> (role, a function giving the URL for a client of that role)."""

    def activity(client: Any) -> str:
        html = client.get("/activiteiten/", {"postcode": "3561"}).content.decode()
        return _first(html, rf'href="(/activiteiten/{UUID}/)"')

    def client_page(client: Any) -> str:
        return _first(client.get("/clienten/").content.decode(), rf'href="(/clienten/{UUID}/)"')

    def measurements(client: Any) -> str:
        return _first(
            client.get(client_page(client)).content.decode(), rf'href="(/bewoners/{UUID}/metingen/)"'
        )

    def offer(client: Any) -> str:
        return _first(client.get("/aanbod/").content.decode(), rf'href="(/aanbod/{UUID}/)"')

    def hsds_service(client: Any) -> str:
        data = client.get("/api/hsds/services", {"page": 1}).json()
        return f"/api/hsds/services/{data['contents'][0]['id']}"

    professional, provider, resident = "neighbourhood_professional", "activity_provider", "resident"
    return {
        "healthz": (None, lambda c: "/healthz"),
        "home": (None, lambda c: "/"),
        "search": (None, lambda c: "/activiteiten/?q=&postcode=3561"),
        "search_word": (None, lambda c: "/activiteiten/?q=koffie&postcode=3584"),
        "activity": (None, activity),
        "selftest": (None, lambda c: "/zelftest/"),
        "hsds_services": (None, lambda c: "/api/hsds/services?page=2"),
        "hsds_service": (None, hsds_service),
        "worklist": (professional, lambda c: "/werklijst/"),
        "clients": (professional, lambda c: "/clienten/"),
        "client": (professional, client_page),
        "measurements": (professional, measurements),
        "offer": (provider, lambda c: "/aanbod/"),
        "participants": (provider, lambda c: offer(c) + "deelnemers/"),
        "attendance": (provider, lambda c: offer(c) + "aanwezigheid/"),
        "resident_search": (resident, lambda c: "/activiteiten/?postcode=3561"),
        "resident_activity": (resident, activity),
        "mine": (resident, lambda c: "/mijn/activiteiten/"),
    }


def _explain(connection: Any, sql: str) -> str:
    """PostgreSQL's plan of a read, as it ran (EXPLAIN ANALYZE: the statement runs once more)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(f"        {row[0]}" for row in cursor.fetchall())


def run(
    *,
    repeat: int,
    top: int,
    only: list[str] | None,
    sort: str = "cumulative",
    explain_ms: float = 0.0,
    cold: bool = False,
) -> list[dict[str, Any]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients: dict[str | None, Any] = {}
    figures = []
    for name, (role, url_of) in pages().items():
        if only and name not in only:
            continue
        if role not in clients:
            clients[role] = _client(role)
        client = clients[role]
        url = url_of(client)
        for _ in range(3):  # warm: templates compiled, caches filled, the connection open
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        cpu, wall = [], []
        for _ in range(repeat):
            if cold:
                cache.clear()  # every page made, none from the public pages' cache
            started, started_wall = time.process_time(), time.perf_counter()
            client.get(url)
            cpu.append(1000 * (time.process_time() - started))
            wall.append(1000 * (time.perf_counter() - started_wall))
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = list(captured.captured_queries)  # the next request's start empties Django's query log
        result: dict[str, Any] = {
            "page": name, "url": re.sub(UUID, "{id}", url), "cpu_ms_p50": round(statistics.median(cpu), 1),
            "cpu_ms_min": round(min(cpu), 1), "wall_ms_p50": round(statistics.median(wall), 1),
            "queries": len(queries), "query_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "bytes": len(response.content),
        }  # fmt: skip
        if top:
            profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the database
            profiler.enable()
            for _ in range(5):
                client.get(url)
            profiler.disable()
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(sort).print_stats(top)
            result["profile"] = text.getvalue()
            result["sql"] = [f"{float(q['time']) * 1000:6.1f} ms  {q['sql'][:400]}" for q in queries]
        if explain_ms:
            slow = [
                q["sql"]
                for q in queries
                if float(q["time"]) * 1000 >= explain_ms and q["sql"].startswith("SELECT")
            ]
            result["plans"] = [f"{sql[:400]}\n{_explain(connection, sql)}" for sql in slow]
        figures.append(result)
    return figures
