# SPDX-License-Identifier: EUPL-1.2
"""`omzien tick` runs each periodic job idempotently; tasks run immediately in tests."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from omzien.lib.mail import send_email


class TickTests(TestCase):
    def test_it_removes_expired_sessions_once(self) -> None:
        expired = SessionStore()
        expired.create()
        Session.objects.filter(session_key=expired.session_key).update(
            expire_date=timezone.now() - timedelta(minutes=1)
        )
        current = SessionStore()
        current.create()
        out = StringIO()
        call_command("tick", stdout=out)
        self.assertIn("clear_expired_sessions: 1 handled", out.getvalue())
        self.assertTrue(Session.objects.filter(session_key=current.session_key).exists())
        out = StringIO()
        call_command("tick", stdout=out)  # a second run finds nothing left to do
        self.assertIn("clear_expired_sessions: 0 handled", out.getvalue())

    def test_it_lists_its_jobs(self) -> None:
        out = StringIO()
        call_command("tick", "--list", stdout=out)
        self.assertIn("clear_expired_sessions", out.getvalue())

    def test_an_unknown_job_name_is_refused(self) -> None:
        with self.assertRaises(SystemExit):
            call_command("tick", "--only", "no_such_job")


class TaskTests(TestCase):
    def test_an_enqueued_task_runs_immediately_in_tests(self) -> None:
        result = send_email.enqueue(to=["buurtteam@example.org"], subject="Test", body="Hallo")
        self.assertEqual(result.return_value, 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["buurtteam@example.org"])
