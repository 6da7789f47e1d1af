# SPDX-License-Identifier: EUPL-1.2
"""The Redis task backend chosen by the setting (``OMZIEN_TASK_BACKEND=django_tasks_rq.RQBackend``): a task
queued by one process is run by ``omzien rqworker`` in another, through Debian's redis-server on loopback.

The database backend is the default and is what the rest of the suite runs (immediately); this is the other
path docs/deployment.md offers, tested end to end with real processes and a real Redis.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server")
pytestmark = [
    pytest.mark.skipif(
        REDIS_SERVER is None,
        reason="redis-server is not installed: `scripts/install --test` installs Debian's redis-server",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("django_tasks_rq") is None,
        reason="the Redis task backend's packages are missing: `uv sync` (the test group includes the redis group)",
    ),
]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(REDIS_SERVER), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def _omzien(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "omzien", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_task_queued_in_redis_is_run_once_by_a_separate_rq_worker(redis_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "omzien.conf.dev", "OMZIEN_VAR_DIR": str(tmp_path),
        "OMZIEN_TASK_BACKEND": "django_tasks_rq.RQBackend", "OMZIEN_REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",  # the mail shows on the worker's output
    }  # fmt: skip
    queued = _omzien(
        "shell", "--no-imports", "-c",
        "from omzien.lib.mail import send_email\n"
        "result = send_email.enqueue(to=['bewoner@example.org'], subject='Via Redis', body='Hallo')\n"
        "print('queued', result.id, result.status)",
        env=env,
    )  # fmt: skip
    assert queued.returncode == 0, queued.stderr
    assert "queued" in queued.stdout and "READY" in queued.stdout, queued.stdout
    task_id = queued.stdout.split()[-2]

    worker = _omzien("rqworker", "default", "--burst", env=env)
    assert worker.returncode == 0, worker.stderr
    assert worker.stdout.count("Subject: Via Redis") == 1, (
        worker.stdout,
        worker.stderr,
    )  # the console mail backend

    status = _omzien(
        "shell", "--no-imports", "-c", f"from omzien.lib.mail import send_email\nprint(send_email.get_result('{task_id}').status)",
        env=env,
    )  # fmt: skip
    assert status.stdout.strip() == "SUCCESSFUL", (status.stdout, status.stderr)
    # Run again: the queue is empty, nothing is sent twice.
    again = _omzien("rqworker", "default", "--burst", env=env)
    assert "Subject: Via Redis" not in again.stdout
