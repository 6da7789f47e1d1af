# SPDX-License-Identifier: EUPL-1.2
"""Retention through every room's rules: a dry run changes nothing, a real run removes exactly what expired."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from omzien.residents.models import Resident
from omzien.rights import services
from omzien.rights.models import PrivacyRequest, RetentionRun
from omzien.rights.policies import REQUEST_RETENTION

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PERIOD = REQUEST_RETENTION.default
# An age in days after the decision, or None for a request still open (never expires).
AGES = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=4000)), max_size=12)


def _seed(ages: list[int | None]) -> None:
    # One resident per request: a resident has at most one open request of a kind (the database says so).
    residents = [Resident.objects.create(first_name="Test", last_name="Bewoner") for _age in ages]
    PrivacyRequest.objects.bulk_create([
        PrivacyRequest(resident=resident, resident_pseudo_id=resident.pseudo_id, kind="access", status="granted" if age is not None else "received",
                       received_at=NOW - timedelta(days=(age or 0) + 20), due_at=NOW,
                       decided_at=None if age is None else NOW - timedelta(days=age))
        for age, resident in zip(ages, residents, strict=True)
    ])  # fmt: skip


class RetentionPropertyTests(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(AGES)
    def test_retention_removes_exactly_the_expired_and_a_dry_run_changes_nothing(
        self, ages: list[int | None]
    ) -> None:
        _seed(ages)
        expired = sum(1 for age in ages if age is not None and timedelta(days=age) > PERIOD)
        before = sorted(PrivacyRequest.objects.values_list("pk", "decided_at"))
        dry = {line.key: line.count for line in services.retention_apply(now=NOW, dry_run=True)}
        self.assertEqual(dry["privacy_requests"], expired)
        self.assertEqual(sorted(PrivacyRequest.objects.values_list("pk", "decided_at")), before)
        done = {line.key: line.count for line in services.retention_apply(now=NOW)}
        self.assertEqual(done, dry)
        left = list(PrivacyRequest.objects.values_list("decided_at", flat=True))
        self.assertEqual(len(left), len(ages) - expired)
        self.assertTrue(all(decided is None or NOW - decided <= PERIOD for decided in left))


class RetentionRunTests(TestCase):
    def test_tick_applies_retention_once_a_day_and_keeps_the_report(self) -> None:
        _seed([None, 10, 5 * 365 + 2, 4000])
        self.assertEqual(services.retention_run_daily(now=NOW), 2)
        self.assertEqual(services.retention_run_daily(now=NOW + timedelta(hours=1)), 0)
        run = RetentionRun.objects.get()
        self.assertEqual(run.removed, 2)
        self.assertIn({"privacy_requests": 2}, [{line["key"]: line["count"]} for line in run.lines])

    def test_the_command_dry_run_shows_what_would_go_and_changes_nothing(self) -> None:
        _seed([4000, 4000, 1])
        out = io.StringIO()
        call_command("retention", "--dry-run", stdout=out)
        self.assertIn("rights.privacy_requests: would remove 2", out.getvalue())
        self.assertIn("nothing changed", out.getvalue())
        self.assertEqual(PrivacyRequest.objects.count(), 3)
        call_command("retention", stdout=io.StringIO())
        self.assertEqual(PrivacyRequest.objects.count(), 1)

    def test_the_report_reads_in_the_officers_language_whatever_language_tick_ran_in(self) -> None:
        from django.utils import translation

        from omzien.rights.selectors import retention_runs

        _seed([4000])
        with translation.override("nl"):
            services.retention_run_daily(now=NOW)
        for language, words in (("en", "How long a decided AVG request is kept"),
                                ("nl", "Hoe lang een afgehandeld AVG-verzoek wordt bewaard")):  # fmt: skip
            with translation.override(language):
                lines = {line["key"]: line for line in retention_runs()[0].lines}
            self.assertEqual(lines["privacy_requests"]["description"], words)
            self.assertEqual(lines["privacy_requests"]["count"], 1)
