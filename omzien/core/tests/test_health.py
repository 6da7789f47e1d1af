# SPDX-License-Identifier: EUPL-1.2
"""/healthz: database reachable and migrations applied."""

from __future__ import annotations

from django.core.management import call_command
from django.test import TestCase, TransactionTestCase


class HealthTests(TestCase):
    def test_a_healthy_instance_answers_ok(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "migrations": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])


class HealthWithPendingMigrationsTests(TransactionTestCase):
    def test_unapplied_migrations_make_it_unhealthy(self) -> None:
        call_command("migrate", "geo", "zero", verbosity=0)
        try:
            response = self.client.get("/healthz")
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response.json()["migrations"], "pending")
            self.assertGreaterEqual(response.json()["pending_migrations"], 1)
        finally:
            call_command("migrate", verbosity=0)
        self.assertEqual(self.client.get("/healthz").status_code, 200)
