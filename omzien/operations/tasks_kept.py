# SPDX-License-Identifier: EUPL-1.2
"""What the task queue keeps about people: the database task backend stores each task's arguments —
for an e-mail the address, subject and text — and keeps the row after the task ran. These remove them:
after the retention period (``omzien tick``), and at a resident's erasure (AVG art. 17)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omzien import policy
from omzien.lib.mail import send_email
from omzien.operations.policies import TASK_RESULT_RETENTION

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def task_results_expire(now: datetime, dry_run: bool) -> int:
    """Remove tasks that finished longer ago than the policy's period (or, dry, count them)."""
    expired = DBTaskResult.objects.filter(
        status__in=FINISHED, finished_at__lt=now - policy.get(TASK_RESULT_RETENTION.key)
    )
    count = expired.count()
    if not dry_run and count:
        expired.delete()
    return count


def resident_mail_erase(resident: Any) -> Mapping[str, int]:
    """Remove every e-mail task to the resident's addresses that is not being sent at this moment:
    sent ones (address and text kept for the retention period) and queued ones (a mail to a person who
    asked to be forgotten is not sent any more)."""
    addresses = {
        address.lower() for address in (resident.email, getattr(resident.user, "email", "")) if address
    }
    if not addresses:
        return {"emails": 0}
    # The addresses sit inside the task's JSON arguments, which SQLite cannot search; the table holds
    # only the retention period's tasks, so they are read and compared here.
    mail_tasks = DBTaskResult.objects.filter(task_path=send_email.module_path).exclude(
        status=TaskResultStatus.RUNNING
    )
    to_remove = [
        result_id
        for result_id, arguments in mail_tasks.values_list("id", "args_kwargs").iterator()
        if addresses & {str(to).lower() for to in (arguments or {}).get("kwargs", {}).get("to", [])}
    ]
    removed = DBTaskResult.objects.filter(id__in=to_remove).delete()[0] if to_remove else 0
    return {"emails": removed}
