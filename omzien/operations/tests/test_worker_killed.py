# SPDX-License-Identifier: EUPL-1.2
"""A real ``omzien db_worker`` process killed with SIGKILL in the middle of a task (issue 26).

The worker is sending an e-mail to a mail server that accepted the connection and never answers (a
hung SMTP relay), so it is provably inside the task when it is killed. Then ``omzien tick`` puts the
task back, a second worker process runs it, and the mail leaves once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

import pytest
import time_machine
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omzien.lib.mail import send_email
from omzien.lib.testing.live import ROOT

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class _SilentMailServer:
    """Accepts SMTP connections and never greets: the client waits inside ``send_mail``."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = int(self.listener.getsockname()[1])
        self.accepted = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            while True:
                conn, _address = self.listener.accept()
                self.held.append(conn)
                self.accepted.set()
        except OSError:
            return  # closed

    def close(self) -> None:
        self.listener.close()
        for conn in self.held:
            conn.close()


def _worker(*arguments: str, **environment: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omzien.conf.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "OMZIEN_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        **environment,
    }
    command = [
        sys.executable,
        "-m",
        "omzien",
        "db_worker",
        "--queue-name",
        "default",
        "--no-startup-delay",
        *arguments,
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the worker processes must see the queued task
@override_settings(TASKS=DATABASE_BACKEND, OMZIEN_TASK_STALL_MINUTES=30)
def test_a_worker_killed_mid_task_leaves_it_to_the_tick_and_the_next_worker_sends_once() -> None:
    mail_server = _SilentMailServer()
    task = send_email.enqueue(to=["buurtteam@example.org"], subject="Herinnering afspraak", body="Hallo")
    first = _worker(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                    EMAIL_PORT=str(mail_server.port))  # fmt: skip
    try:
        # The worker has claimed the task and is inside send_mail, talking to the silent server.
        assert mail_server.accepted.wait(60), first.communicate(timeout=5)[0].decode()[-2000:]
        result = DBTaskResult.objects.get(id=task.id)
        assert result.status == TaskResultStatus.RUNNING and len(result.worker_ids) == 1
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
        mail_server.close()
    # Nothing more was written by the dead worker: the task stays RUNNING until the tick's cut-off.
    assert DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.RUNNING
    call_command("tick", "--only", "operations.requeue_stalled_tasks", stdout=StringIO())
    assert DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.RUNNING  # too recent: left alone
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        out = StringIO()
        call_command("tick", "--only", "operations.requeue_stalled_tasks", stdout=out)
    assert "operations.requeue_stalled_tasks: 1 handled" in out.getvalue()
    assert DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.READY

    # The next worker prints the mail it sends (the console backend): what leaves is on its output.
    second = _worker("--batch", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    output = second.communicate(timeout=120)[0].decode()
    assert second.returncode == 0, output[-2000:]
    result = DBTaskResult.objects.get(id=task.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(result.worker_ids) == 2 and result.worker_ids[0] != result.worker_ids[1]
    assert output.count("Subject: Herinnering afspraak") == 1, output[-2000:]  # the effect happened once
