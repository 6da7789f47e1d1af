# SPDX-License-Identifier: EUPL-1.2
"""Entries past the NEN 7513 retention period leave the access log's chain, and `omzien audit verify` still
proves that nothing else was removed or altered — nor the anchor moved without the retention procedure."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

import pytest
import time_machine

from omzien.audit import events
from omzien.audit.integrity import ChainBrokenError, chain_expire, chain_verify
from omzien.audit.models import AccessLogEntry, AuditChainAnchor

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the access log numbers and chains its entries one way on PostgreSQL and another on SQLite.
pytestmark = pytest.mark.both_databases

ACTOR = events.Actor(display="test", role="system")


def _write(count: int) -> None:
    events.record(action="read", actor=ACTOR, purpose="test",
                  subjects=[events.Subject(object_type="thing", object_id=str(n)) for n in range(count)])  # fmt: skip


class _OldAndNewEntries(TestCase):
    maintenance_role = True

    def setUp(self) -> None:
        if connection.vendor == "postgresql" and self.maintenance_role:
            # The test plays the maintenance role, which may delete (granted inside the test's transaction).
            with connection.cursor() as cursor:
                cursor.execute("GRANT UPDATE, DELETE ON audit_accesslogentry TO CURRENT_USER")
        self.now = timezone.now()
        with time_machine.travel(self.now - timedelta(days=6 * 366), tick=False):
            _write(4)  # older than five years
        with time_machine.travel(self.now - timedelta(days=30), tick=False):
            _write(3)
        self.cutoff = self.now - timedelta(days=5 * 366)
        self.first_young = (
            AccessLogEntry.objects.filter(occurred_at__gte=self.cutoff).order_by("sequence").first()
        )


class ChainExpiryTests(_OldAndNewEntries):
    def test_a_dry_run_counts_and_changes_nothing(self) -> None:
        before = AccessLogEntry.objects.count()
        self.assertEqual(chain_expire(before=self.cutoff, dry_run=True).removed, 4)
        self.assertEqual(AccessLogEntry.objects.count(), before)
        self.assertFalse(AuditChainAnchor.objects.exists())

    def test_the_old_prefix_leaves_and_the_chain_still_verifies(self) -> None:
        report = chain_expire(before=self.cutoff)
        self.assertEqual((report.removed, report.kept_from), (4, {1: self.first_young.chain_position}))
        self.assertFalse(AccessLogEntry.objects.filter(occurred_at__lt=self.cutoff).exists())
        retention = AccessLogEntry.objects.get(purpose="retention")
        self.assertEqual(retention.changes["removed"], 4)
        verified = chain_verify()
        self.assertTrue(verified.intact, verified.problems)
        self.assertEqual(verified.checked, 3 + 1)
        # New entries after the expiry chain on as before.
        _write(2)
        self.assertTrue(chain_verify().intact)
        # A second run finds nothing more to remove.
        self.assertEqual(chain_expire(before=self.cutoff).removed, 0)

    def test_removing_one_more_entry_than_the_anchor_says_is_detected(self) -> None:
        chain_expire(before=self.cutoff)
        AccessLogEntry.objects.filter(pk=self.first_young.pk).delete()
        problems = chain_verify().problems
        self.assertTrue(any("is missing" in problem for problem in problems), problems)

    def test_moving_the_anchor_without_the_retention_procedure_is_detected(self) -> None:
        first = AccessLogEntry.objects.order_by("sequence").first()
        AuditChainAnchor.objects.create(
            pk=1, first_position=first.chain_position + 1, prev_hash=first.entry_hash
        )
        first.delete()
        problems = chain_verify().problems
        self.assertTrue(any("no retention entry says so" in problem for problem in problems), problems)

    def test_altering_the_retention_entry_is_detected(self) -> None:
        chain_expire(before=self.cutoff)
        retention = AccessLogEntry.objects.get(purpose="retention")
        AccessLogEntry.objects.filter(pk=retention.pk).update(changes={**retention.changes, "removed": 1})
        problems = chain_verify().problems
        self.assertTrue(any("changed after it was written" in problem for problem in problems), problems)

    def test_a_broken_chain_removes_nothing(self) -> None:
        AccessLogEntry.objects.filter(pk=self.first_young.pk).update(object_id="altered")
        with self.assertRaises(ChainBrokenError):
            chain_expire(before=self.cutoff)
        self.assertEqual(AccessLogEntry.objects.filter(occurred_at__lt=self.cutoff).count(), 4)

    def test_the_command_keeps_at_least_five_years(self) -> None:
        out = StringIO()
        call_command("audit", "expire", "--dry-run", stdout=out)
        self.assertIn("4 entries older than", out.getvalue())
        self.assertEqual(AccessLogEntry.objects.filter(occurred_at__lt=self.cutoff).count(), 4)
        with override_settings(OMZIEN_AUDIT_RETENTION_YEARS=3), self.assertRaises(CommandError):
            call_command("audit", "expire")
        call_command("audit", "expire", stdout=out)
        call_command("audit", "verify", stdout=out)
        self.assertIn("Access log intact", out.getvalue())


@pytest.mark.postgres
class ApplicationRoleCannotExpireTests(_OldAndNewEntries):
    """On PostgreSQL the application's role may not delete from the access log: the command says to run it as
    the maintenance role, and nothing goes."""

    maintenance_role = False

    def test_the_application_role_is_refused_with_a_clear_message(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("the privilege is PostgreSQL's")
        with self.assertRaisesMessage(CommandError, "maintenance role"):
            call_command("audit", "expire")
        self.assertEqual(AccessLogEntry.objects.filter(occurred_at__lt=self.cutoff).count(), 4)
