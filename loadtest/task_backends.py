# SPDX-License-Identifier: EUPL-1.2
"""Django tasks on the database backend (django-tasks-db, ``omzien db_worker``) against Redis (django-tasks-rq,
``omzien rqworker``), with several workers (issue 26).

For each backend and worker count: the workers are started and given time to be ready; then ``--tasks`` tasks
are queued from this process (the web's side: queued a second) and the clock runs until every task has written
its row (``loadtest.tasks``): tasks done a second, end to end. The CPU time of the workers, of PostgreSQL and of
Redis is read from ``/proc``. Redis is a throw-away ``redis-server`` on a free loopback port (no disk), started
here; PostgreSQL is ``DATABASE_URL`` (migrated; a throw-away database). Loopback only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from loadtest.run import ROOT, _cpu_of_tree, _redis

BACKENDS = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


def _setup(backend: str, redis_url: str) -> None:
    os.environ["OMZIEN_TASK_BACKEND"] = BACKENDS[backend]
    os.environ["OMZIEN_REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
    import django

    django.setup()


def _done() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM loadtest_task_done")
        return int(cursor.fetchone()[0])


def _measure(backend: str, workers: int, tasks: int, redis_url: str, env: dict[str, str], postgres_pid: int | None,
             redis_pid: int | None, simple: bool = False) -> dict[str, Any]:  # fmt: skip
    from django.db import connection

    from loadtest.tasks import loadtest_done

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS loadtest_task_done (id bigserial PRIMARY KEY, number int)")
        cursor.execute("TRUNCATE loadtest_task_done")
        cursor.execute(
            "DELETE FROM django_tasks_database_dbtaskresult"
        )  # a throw-away database: an empty queue
    command = (["db_worker", "--queue-name", "default", "--interval", "0.1", "--no-startup-delay"] if backend == "db"
               else ["rqworker", "default", *(["--worker-class", "rq.worker.SimpleWorker"] if simple else [])])  # fmt: skip
    children = [
        subprocess.Popen(  # noqa: S603 - our own workers
            [sys.executable, "-m", "omzien", *command],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(workers)
    ]
    try:
        time.sleep(4 + workers)  # every worker set up, connected and waiting
        cpu_before = (
            [_cpu_of_tree(c.pid) for c in children],
            _cpu_of_tree(postgres_pid),
            _cpu_of_tree(redis_pid),
        )
        started = time.perf_counter()
        for number in range(tasks):
            loadtest_done.enqueue(number)
        queued = time.perf_counter() - started
        while _done() < tasks:
            if time.perf_counter() - started > 120:
                raise SystemExit(
                    f"{backend} with {workers} workers: {_done()} of {tasks} tasks done after 120 s"
                )
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu_after = (
            [_cpu_of_tree(c.pid) for c in children],
            _cpu_of_tree(postgres_pid),
            _cpu_of_tree(redis_pid),
        )
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
    return {
        "backend": backend, "workers": workers, "tasks": tasks, "queued_per_s": round(tasks / queued, 1),
        "done_per_s": round(tasks / elapsed, 1), "seconds": round(elapsed, 2),
        "cpu_s": {"workers": round(sum(cpu_after[0]) - sum(cpu_before[0]), 2),
                  "postgres": round(cpu_after[1] - cpu_before[1], 2), "redis": round(cpu_after[2] - cpu_before[2], 2)},
        "load_average": round(os.getloadavg()[0], 2),
    }  # fmt: skip


def run(
    *, backend: str, workers: list[int], tasks: int, postgres_pid: int | None, simple: bool = False
) -> Iterator[dict[str, Any]]:
    """``simple``: RQ's SimpleWorker, which runs each job in the worker itself instead of a forked child."""
    folder = Path(tempfile.mkdtemp(prefix="omzien-redis-"))
    # Only RQ needs Redis; the database backend's URL is never dialled.
    redis, redis_url = _redis(folder) if backend == "rq" else (None, "redis://127.0.0.1:9/0")
    _setup(backend, redis_url)
    env = {**os.environ}
    try:
        for count in workers:
            yield {
                **_measure(backend, count, tasks, redis_url, env, postgres_pid, redis.pid if redis else None, simple),
                "simple_worker": simple,
            }
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
