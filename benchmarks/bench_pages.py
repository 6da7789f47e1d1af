# SPDX-License-Identifier: EUPL-1.2
"""Every page of every role on the demo city, on SQLite and on PostgreSQL (issue #16).

For each role's demo user the benchmark walks the site as that user would: it starts at the home
page, follows every link on every page it reaches and keeps one URL per URL pattern (so a list
with 200 rows is requested once, not 200 detail pages). Each page is then requested
``repeat`` times warm (after two warm-up requests) and once more with the queries captured. The
figures are server time (the whole Django stack: middleware, view, template; the test client, no
network) p50 and p95, and the number of queries. A few saves are timed the same way (attendance
for a provider's biggest group, the coordinator's city-wide allocation round), each inside a transaction that
is rolled back, so every repeat saves the same thing.

Each database runs in a fresh process on a fresh database: SQLite in a file (as the demo), and
PostgreSQL from ``DATABASE_URL`` (a throw-away ``test_…`` database beside it) or, when
``DATABASE_URL`` is not PostgreSQL and the scale is at least 0.5, a throw-away cluster started
with ``scripts/postgres-cluster``. ``OMZIEN_BENCH_DATABASES=sqlite`` runs one of them,
``OMZIEN_BENCH_REPEAT=5`` fewer repeats while iterating, ``OMZIEN_BENCH_ROLES=activity_provider`` one role. Targets (issue #16): every page p95 ≤ 300
ms, resident lists p95 ≤ 150 ms, every save p95 ≤ 300 ms. Correctness: every walked page answers
200 (or a redirect for the walk's saves) and every role reaches at least its start page.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

NEEDS_DATABASE = False  # each database runs in its own process (below)
ROOT = Path(__file__).resolve().parents[1]
# Pages that list residents (issue #16: up to 200 residents, p95 ≤ 150 ms).
RESIDENT_LISTS = {
    "residents:list", "activities:participants", "activities:attendance",
    "activities:allocation",
}  # fmt: skip
TARGET_PAGE_MS, TARGET_LIST_MS, TARGET_SAVE_MS = 300.0, 150.0, 300.0
# The city-wide allocation round's send: "little more than the engine itself" (issue #16).
TARGET_MS = {"activities:allocation (send)": 1500.0}


def run(scale: float) -> dict[str, Any]:
    repeat = int(os.environ.get("OMZIEN_BENCH_REPEAT") or max(1, round(20 * scale)))
    residents = 8000 if scale >= 0.5 else max(150, int(8000 * scale))
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    # The suite's smoke run (scale 0.01) walks the database the suite runs on, not both.
    default = "sqlite,postgres" if scale >= 0.5 else ("postgres" if on_postgres else "sqlite")
    wanted = os.environ.get("OMZIEN_BENCH_DATABASES", default).split(",")
    figures: dict[str, Any] = {"repeat": repeat, "residents": residents}
    for database in wanted:
        with _database_url(database.strip(), scale) as url:
            if url is None:
                figures[database] = "skipped: no PostgreSQL (set DATABASE_URL=postgres://…)"
                continue
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "omzien.conf.test"}
            done = subprocess.run(  # noqa: S603 - our own module
                [sys.executable, "-m", "benchmarks.bench_pages", "--worker", str(residents), str(repeat)],
                env=env, cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode:
                raise AssertionError(f"page walk on {database} failed:\n{done.stderr[-4000:]}")
            figures[database] = json.loads(done.stdout)
    return figures


@contextlib.contextmanager
def _database_url(database: str, scale: float) -> Iterator[str | None]:
    if database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="omzien-bench-") as folder:
            yield f"sqlite:///{folder}/omzien.sqlite3"
        return
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        yield current
        return
    if scale < 0.5:
        yield None
        return
    started = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "postgres-cluster")], capture_output=True, text=True, check=True
    )
    exports = dict(re.findall(r"export (\w+)=(\S+)", started.stdout))
    try:
        yield exports["DATABASE_URL"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "postgres-cluster"), "stop", exports["PGTMP"]], check=False)  # noqa: S603


# --- the worker: one database, in its own process --------------------------------------------


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def _timed(request: Callable[[], Any], repeat: int) -> tuple[dict[str, Any], Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(min(2, repeat - 1)):  # warm-ups; none in the suite's smoke run (one repeat)
        request()
    times, cpu_times = [], []
    response = None
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        # The Django process's own CPU time: what the wall time would be on an idle machine with
        # SQLite (in-process); on PostgreSQL the database server's share comes on top.
        "cpu_p95_ms": round(_percentile(cpu_times, 0.95), 1),
        # Beside the p95: a p95 far above the p50 on a cheap page is a pause, not the page's own work.
        "cpu_p50_ms": round(statistics.median(cpu_times), 1),
        "queries": len(queries.captured_queries),
    }, response


def _saves(role: str, client: Any, user: Any) -> dict[str, Callable[[], Any]]:
    """The saves timed for a role: name -> a POST that saves the same thing every time."""
    from django.db.models import Count, Q

    from omzien.activities.models import Activity, Registration

    saves: dict[str, Callable[[], Any]] = {}
    if role == "activity_provider":
        # The provider's biggest group: attendance for everyone on it at once.
        activity = (
            Activity.objects.filter(organisation=user.organisation)
            .annotate(n=Count("registrations", filter=Q(registrations__status=Registration.Status.ACTIVE)))
            .order_by("-n")
            .first()
        )
        if activity is not None:
            url = f"/aanbod/{activity.public_id}/aanwezigheid/"
            data = _form_data(client.get(url).content.decode())
            saves["activities:attendance (save)"] = lambda: client.post(url, data)
    if role == "coordinator":
        # The city-wide round as the coordinator sends it: every proposal on the page ticked.
        url = "/bezetting/toewijzingsronde/"
        proposals = _form_data(client.get(url).content.decode())
        saves["activities:allocation (send)"] = lambda: client.post(url, proposals)
    return saves


def _form_data(page: str) -> dict[str, Any]:
    """The values of the inputs on the page, every box ticked."""
    data: dict[str, Any] = {}
    for tag in re.findall(r"<(?:input|button)\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "submit" and name.group(1) in data:
            continue
        if kind and kind.group(1) == "checkbox":
            data.setdefault(name.group(1), []).append(html.unescape(value.group(1) if value else "on"))
        else:
            data.setdefault(name.group(1), html.unescape(value.group(1) if value else ""))
    return data


def _rolled_back(post: Callable[[], Any]) -> Callable[[], Any]:
    from django.db import transaction

    def once() -> Any:
        with transaction.atomic():
            response = post()
            transaction.set_rollback(True)
        return response

    return once


def _worker(residents: int, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from omzien.accounts.demo import demo_usernames
    from omzien.accounts.models import User
    from omzien.core.demo_city import demo_city_seed
    from omzien.lib.serving import settle_for_serving
    from omzien.lib.testing.walk import walk
    from omzien.lib.testing.world import login_verified

    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    # The suite's smoke run hands over a copy of its migrated database (benchmarks/test_smoke.py).
    migrated = os.environ.get("OMZIEN_BENCH_MIGRATED") == "1"
    if sqlite or migrated:
        # A file, as the demo's, not the in-memory database the test runner would make; or the copy.
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = settings.DATABASES["default"]["NAME"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=migrated)
    try:
        started = time.perf_counter()
        demo_city_seed(residents=residents)
        # What is alive after the seed is left out of the garbage collector's passes, and the collector set as
        # a server sets it once loaded (omzien/conf/wsgi.py): otherwise a full collection walks it all and puts
        # 50-900 ms of CPU on whichever page is being timed, a different one in each run.
        settle_for_serving()
        result: dict[str, Any] = {
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "seed_s": round(time.perf_counter() - started, 1),
            # The machine's load average as the walk starts and ends: wall times are only as good as it.
            "load_average": {"start": [round(n, 1) for n in os.getloadavg()]},
            "roles": {},
        }
        missed: list[str] = []
        missed_cpu: list[str] = []  # over the target even in CPU time: would miss on an idle machine too
        only = [r for r in os.environ.get("OMZIEN_BENCH_ROLES", "").split(",") if r]
        for role, username in demo_usernames().items():
            if only and str(role) not in only:
                continue
            client = Client()
            user = User.objects.get(username=username)
            login_verified(client, user)
            pages = walk(client)
            assert len(pages) > 1, f"{role}: the walk reached only {pages}"
            rows: dict[str, Any] = {}
            for name, url in sorted(pages.items()):
                figures, response = _timed(functools.partial(client.get, url), repeat)
                assert response.status_code == 200, f"{role} {url}: {response.status_code}"
                target = TARGET_LIST_MS if name.split("?")[0] in RESIDENT_LISTS else TARGET_PAGE_MS
                rows[name] = {"url": url, **figures, "target_ms": target}
                if figures["p95_ms"] > target:
                    missed.append(f"{role} {name} p95 {figures['p95_ms']} ms > {target}")
                if figures["cpu_p95_ms"] > target:
                    missed_cpu.append(f"{role} {name} CPU p95 {figures['cpu_p95_ms']} ms > {target}")
            for name, post in _saves(str(role), client, user).items():
                figures, response = _timed(_rolled_back(post), repeat)
                assert response.status_code in (200, 302), f"{role} {name}: {response.status_code}"
                target = TARGET_MS.get(name, TARGET_SAVE_MS)
                rows[name] = {**figures, "target_ms": target}
                if figures["p95_ms"] > target:
                    missed.append(f"{role} {name} p95 {figures['p95_ms']} ms > {target}")
                if figures["cpu_p95_ms"] > target:
                    missed_cpu.append(f"{role} {name} CPU p95 {figures['cpu_p95_ms']} ms > {target}")
            result["roles"][str(role)] = rows
        result["pages"] = sum(len(rows) for rows in result["roles"].values())
        result["missed"] = missed
        result["missed_cpu"] = missed_cpu
        result["met"] = not missed
        result["load_average"]["end"] = [round(n, 1) for n in os.getloadavg()]
        return result
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        print(json.dumps(_worker(int(sys.argv[2]), int(sys.argv[3]))))
