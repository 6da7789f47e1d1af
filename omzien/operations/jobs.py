# SPDX-License-Identifier: EUPL-1.2
"""Tasks whose worker died while running them go back into the queue (``omzien tick``).

The database task backend (``django-tasks-db``) marks a task RUNNING when a worker claims it and
holds no lock while it runs, so a worker killed mid-task (SIGKILL, a machine that vanished, the
out-of-memory killer) leaves the task RUNNING for ever. After ``OMZIEN_TASK_STALL_MINUTES`` it is
put back as READY and another worker runs it again: at-least-once delivery. A task whose worker died
before its effect happens once; one that died after the effect but before recording success does it
again, which Omzien's data-changing tasks tolerate (idempotent) and an e-mail does not (it is sent
twice: the mail server has no way to take it back). A task that legitimately runs longer than the
setting would be started a second time: keep it well above the longest task.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omzien.lib.tick import periodic_job


@periodic_job(
    "operations.requeue_stalled_tasks", "Put tasks back in the queue whose worker died while running them."
)
def requeue_stalled_tasks() -> int:
    cutoff = timezone.now() - timedelta(minutes=settings.OMZIEN_TASK_STALL_MINUTES)
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).update(
        status=TaskResultStatus.READY, started_at=None
    )
