# SPDX-License-Identifier: EUPL-1.2
"""The task the task-backend measurement queues (``loadtest.task_backends``): one row written, as a real task
writes what it did, so both backends are timed by the same count."""

from __future__ import annotations

from django.db import connection

from django_tasks import task


@task()
def loadtest_done(number: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO loadtest_task_done (number) VALUES (%s)", [number])
