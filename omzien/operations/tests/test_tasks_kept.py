# SPDX-License-Identifier: EUPL-1.2
"""What the task queue keeps about people: finished tasks expire, and an erasure removes the
resident's e-mails, sent and queued (the database task backend stores each mail's address and text)."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase, override_settings
from django.utils import timezone

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from omzien import policy
from omzien.accounts.models import User
from omzien.lib.mail import send_email
from omzien.operations.policies import TASK_RESULT_RETENTION
from omzien.residents.models import Resident
from omzien.rights import services as rights

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _mail(to: str, *, status: str = TaskResultStatus.READY, finished_days_ago: int | None = None) -> str:
    result = send_email.enqueue(to=[to], subject="Er is een plek vrij", body="Beste bewoner, …")
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    DBTaskResult.objects.filter(id=result.id).update(status=status, finished_at=finished)
    return str(result.id)


def _left() -> set[str]:
    return {str(result_id) for result_id in DBTaskResult.objects.values_list("id", flat=True)}


@override_settings(TASKS=DATABASE_BACKEND)
class TaskResultRetentionTests(TestCase):
    def test_finished_tasks_go_after_the_policy_period_and_queued_or_running_ones_stay(self) -> None:
        old_sent = _mail("a@example.nl", status=TaskResultStatus.SUCCESSFUL, finished_days_ago=8)
        old_failed = _mail("b@example.nl", status=TaskResultStatus.FAILED, finished_days_ago=30)
        recent = _mail("c@example.nl", status=TaskResultStatus.SUCCESSFUL, finished_days_ago=2)
        queued = _mail("d@example.nl")
        running = _mail("e@example.nl", status=TaskResultStatus.RUNNING)

        lines = {line.key: line.count for line in rights.retention_apply(dry_run=True)}
        self.assertEqual(lines["task_results"], 2)
        self.assertEqual(len(_left()), 5)  # a dry run removes nothing

        rights.retention_apply()
        self.assertEqual(_left(), {recent, queued, running})
        self.assertNotIn(old_sent, _left())
        self.assertNotIn(old_failed, _left())

    def test_the_period_is_the_municipalitys_policy(self) -> None:
        self.assertEqual(policy.get(TASK_RESULT_RETENTION.key), timedelta(days=7))
        policy.set_value(TASK_RESULT_RETENTION.key, timedelta(days=1), reason="test")
        recent = _mail("c@example.nl", status=TaskResultStatus.SUCCESSFUL, finished_days_ago=2)
        rights.retention_apply()
        self.assertNotIn(recent, _left())


@override_settings(TASKS=DATABASE_BACKEND)
class ErasureTests(TestCase):
    def test_an_erasure_removes_the_residents_mails_sent_and_queued_but_not_others(self) -> None:
        account = User.objects.create(username="alida", email="Alida.Account@example.nl")
        resident = Resident.objects.create(
            first_name="Alida", last_name="Smit", email="alida@example.nl", user=account
        )
        sent = _mail("alida@example.nl", status=TaskResultStatus.SUCCESSFUL, finished_days_ago=1)
        queued = _mail("ALIDA@example.nl")
        to_account = _mail("alida.account@example.nl", status=TaskResultStatus.FAILED, finished_days_ago=3)
        being_sent = _mail("alida@example.nl", status=TaskResultStatus.RUNNING)  # its worker holds it
        someone_else = _mail("jan@example.nl", status=TaskResultStatus.SUCCESSFUL, finished_days_ago=1)
        officer = User.objects.create(username="officer")

        report = rights.resident_erase(resident=resident, acting_user=officer)

        self.assertEqual(report.removed["operations.queued_and_sent_mail"], {"emails": 3})
        self.assertEqual(_left(), {being_sent, someone_else})
        for gone in (sent, queued, to_account):
            self.assertNotIn(gone, _left())
