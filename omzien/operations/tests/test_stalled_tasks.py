# SPDX-License-Identifier: EUPL-1.2
"""A worker killed in the middle of a task: the task runs again, and its effect happens once (issue 26)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest
import time_machine
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omzien.lib.mail import send_email

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)  # the worker closes its connections, as in production
@override_settings(TASKS=DATABASE_BACKEND, OMZIEN_TASK_STALL_MINUTES=30)
def test_a_task_whose_worker_died_is_queued_again_by_the_tick_and_runs_once() -> None:
    stalled = send_email.enqueue(to=["buurtteam@example.org"], subject="Stalled", body="Hallo")
    recent = send_email.enqueue(to=["buurtteam@example.org"], subject="Still running", body="Hallo")
    # What a worker does when it takes a task; then it is killed (SIGKILL): nothing more is written.
    DBTaskResult.objects.get(id=stalled.id).claim("worker-on-machine-that-died")
    started = timezone.now()
    with time_machine.travel(started + timedelta(minutes=25), tick=False):
        DBTaskResult.objects.get(id=recent.id).claim("worker-still-busy")
    with time_machine.travel(started + timedelta(minutes=31), tick=False):
        out = StringIO()
        call_command("tick", "--only", "operations.requeue_stalled_tasks", stdout=out)
        assert "operations.requeue_stalled_tasks: 1 handled" in out.getvalue()
    assert DBTaskResult.objects.get(id=stalled.id).status == TaskResultStatus.READY
    assert (
        DBTaskResult.objects.get(id=recent.id).status == TaskResultStatus.RUNNING
    )  # only 6 minutes: left alone

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", stdout=StringIO())
    result = DBTaskResult.objects.get(id=stalled.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.worker_ids[0] == "worker-on-machine-that-died" and len(result.worker_ids) == 2
    assert [m.subject for m in mail.outbox] == ["Stalled"]  # the effect happened once
