# SPDX-License-Identifier: EUPL-1.2
"""`omzien tick` started twice at once (two machines, or a slow tick and the next): the jobs run once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from io import StringIO

from django.core.management import call_command
from django.db import connection, connections

import pytest

from omzien.lib import tick
from omzien.lib.tick import tick_lock

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the tick's lock is an advisory lock on PostgreSQL and a file lock on SQLite.
pytestmark = pytest.mark.both_databases

JOB = "test.slow_job"
BUSY = "another tick is running"


@pytest.fixture
def slow_job() -> Iterator[dict[str, object]]:
    """A job that records each run and stays busy until the other tick has given up (at most 10 s)."""
    state: dict[str, object] = {"runs": 0, "other_done": threading.Event()}

    def run() -> int:
        state["runs"] = int(state["runs"]) + 1  # type: ignore[call-overload]
        state["other_done"].wait(10)  # type: ignore[attr-defined]
        return 1

    tick.periodic_jobs()  # import every app's jobs first, so ours is not replaced
    tick._JOBS[JOB] = tick.PeriodicJob(name=JOB, function=run, description="test")
    yield state
    tick._JOBS.pop(JOB, None)


def _race(state: dict[str, object]) -> list[tuple[str, str]]:
    """Start two ticks at the same moment on two threads (two database connections)."""
    start = threading.Barrier(2)
    outputs: list[tuple[str, str]] = []

    def one() -> None:
        out, err = StringIO(), StringIO()
        start.wait()
        try:
            call_command("tick", "--only", JOB, stdout=out, stderr=err)
        finally:
            outputs.append((out.getvalue(), err.getvalue()))
            state["other_done"].set()  # type: ignore[attr-defined]
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outputs


def _assert_ran_once(state: dict[str, object], outputs: list[tuple[str, str]]) -> None:
    assert state["runs"] == 1
    assert len(outputs) == 2
    assert sum(f"{JOB}: 1 handled" in out for out, _err in outputs) == 1
    assert sum(BUSY in err for _out, err in outputs) == 1


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_run_the_jobs_once(slow_job: dict[str, object]) -> None:
    _assert_ran_once(slow_job, _race(slow_job))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_on_postgresql_run_the_jobs_once(slow_job: dict[str, object]) -> None:
    assert connection.vendor == "postgresql"
    _assert_ran_once(slow_job, _race(slow_job))


@pytest.mark.django_db
def test_a_tick_while_the_lock_is_held_exits_at_once_and_the_next_one_runs(
    slow_job: dict[str, object],
) -> None:
    slow_job["other_done"].set()  # type: ignore[attr-defined]
    with tick_lock() as acquired:
        assert acquired
        out, err = StringIO(), StringIO()
        call_command("tick", "--only", JOB, stdout=out, stderr=err)
        assert BUSY in err.getvalue()
        assert out.getvalue() == ""
        assert slow_job["runs"] == 0
    out = StringIO()
    call_command("tick", "--only", JOB, stdout=out)  # released: the next minute's tick works
    assert f"{JOB}: 1 handled" in out.getvalue()
    assert slow_job["runs"] == 1
