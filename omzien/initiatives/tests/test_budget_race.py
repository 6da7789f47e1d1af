# SPDX-License-Identifier: EUPL-1.2
"""Twenty brokers grant twenty applications of one wijk at once: the fund is never overspent (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

import pytest

from omzien.accounts.models import User
from omzien.audit import events
from omzien.initiatives import services
from omzien.initiatives.models import Budget, Initiative, Status


@pytest.mark.postgres
class BudgetRaceTests(TransactionTestCase):
    def test_twenty_grants_at_once_never_exceed_the_wijks_budget(self) -> None:
        from omzien.geo.models import District, Municipality

        self.assertEqual(connection.vendor, "postgresql")
        municipality = Municipality.objects.create(code="GM0344", name="Utrecht")
        district = District.objects.create(code="WK034403", name="Overvecht", municipality=municipality)
        Budget.objects.create(district=district, year=timezone.localdate().year, amount=Decimal("1000"))
        now = timezone.now()
        applications = [
            Initiative.objects.create(
                reference=f"BI-RACE{n:02d}", title=f"Race {n}", idea="x", for_whom="x", where="x", when="x",
                expected_participants=5, budget_requested=Decimal("400"), contact_name="x", contact_email="x@example.nl",
                postcode="3561", district=district, received_at=now, decision_due=timezone.localdate() + timedelta(weeks=8),
            )  # fmt: skip
            for n in range(20)
        ]
        user = User.objects.create_user(username="race-broker", password="x-long-password")
        barrier = threading.Barrier(20)
        outcomes: list[str] = []

        def attempt(initiative: Initiative) -> None:
            try:
                barrier.wait(timeout=30)
                services.initiative_grant(initiative=initiative, amount=Decimal("400"), conditions="", acting_user=user,
                                          actor=events.actor_for_user(user))  # fmt: skip
                outcomes.append("granted")
            except services.InitiativeError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(item,)) for item in applications]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        # 1000 holds two grants of 400; the third would overspend it.
        self.assertEqual((outcomes.count("granted"), outcomes.count("refused")), (2, 18))
        self.assertEqual(Initiative.objects.filter(status=Status.GRANTED).count(), 2)
        self.assertEqual(services.budget_committed(district.pk, timezone.localdate().year), Decimal("800"))
