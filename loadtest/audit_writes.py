# SPDX-License-Identifier: EUPL-1.2
"""Audited writes per second under concurrency (issue 26): several processes append to the access log at once.

Each process is a separate Django (as gunicorn workers and task workers are) and, for ``--seconds``, does
what an audited action does: in one transaction it writes its own row and an access-log entry through
``omzien.audit.events.record`` (the one way to write the log), then ``--after`` more statements before the
commit (a service's remaining work while the chain's lock is held). Figures: entries a second for 1, 2, 4
and 8 processes; afterwards ``chain_verify`` must find the log intact. Needs PostgreSQL (``DATABASE_URL``);
it appends to that database's access log, so use a throw-away one::

    python -m loadtest audit-writes --processes 1 2 4 8 --seconds 10
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from typing import Any

SETTINGS = "omzien.conf.test"


def _worker(ready: Any, go: Any, seconds: float, after: int, queue: Any) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from django.db import connection, transaction

    from omzien.audit.events import Actor, Subject, record
    from omzien.audit.models import Action

    actor = Actor(display="loadtest", role="neighbourhood_professional", channel="loadtest")
    connection.ensure_connection()
    ready.release()
    start_at = go.get()
    while time.time() < start_at:
        time.sleep(0.001)
    done, cpu_started, deadline, in_record = 0, time.process_time(), start_at + seconds, 0.0
    while time.time() < deadline:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The action's own write: one row in a table of the benchmark's own.
                cursor.execute("INSERT INTO loadtest_audited_action (pid) VALUES (%s)", [os.getpid()])
            entered = time.perf_counter()
            record(action=Action.UPDATE, actor=actor, purpose="loadtest",
                   subjects=[Subject(object_type="loadtest", object_id=str(done), fields=["value"])])  # fmt: skip
            in_record += time.perf_counter() - entered
            for _ in range(after):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
        done += 1
    queue.put({"done": done, "cpu_s": time.process_time() - cpu_started, "in_record_s": in_record})


def run(processes: list[int], seconds: float, after: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from django.db import connection

    from omzien.audit.integrity import chain_verify

    if connection.vendor != "postgresql":
        raise SystemExit(
            "audit-writes measures PostgreSQL: set DATABASE_URL=postgres://… (a throw-away database)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS loadtest_audited_action (id bigserial PRIMARY KEY, pid int)"
        )
    connection.close()
    context = multiprocessing.get_context("spawn")
    figures: list[dict[str, Any]] = []
    for count in processes:
        queue, go, ready = context.Queue(), context.Queue(), context.Semaphore(0)
        children = [
            context.Process(target=_worker, args=(ready, go, seconds, after, queue)) for _ in range(count)
        ]
        load_before = os.getloadavg()[0]
        for child in children:
            child.start()
        for _child in children:  # every process set up and connected before the clock starts
            ready.acquire(timeout=120)
        start_at = time.time() + 0.2
        for _child in children:
            go.put(start_at)
        results = [queue.get(timeout=seconds + 120) for _ in children]
        for child in children:
            child.join()
        total = sum(r["done"] for r in results)
        figures.append({
            "processes": count, "entries": total, "entries_per_s": round(total / seconds, 1),
            "client_cpu_s": round(sum(r["cpu_s"] for r in results), 2), "load_average_before": round(load_before, 2),
            # Wall time inside record() (waiting for a chain's head included) per entry, and its share of the run.
            "record_ms_per_entry": round(1000 * sum(r["in_record_s"] for r in results) / max(total, 1), 2),
            "share_of_time_in_record": round(sum(r["in_record_s"] for r in results) / (seconds * count), 3),
        })  # fmt: skip
        print(json.dumps(figures[-1]), flush=True)
    started = time.perf_counter()
    report = chain_verify()
    return {
        "seconds_each": seconds, "statements_after_record": after, "runs": figures,
        "verify": {"intact": report.intact, "checked": report.checked, "problems": report.problems[:5],
                   "seconds": round(time.perf_counter() - started, 2)},
    }  # fmt: skip
