# SPDX-License-Identifier: EUPL-1.2
"""A real race on PostgreSQL: 50 threads, each on its own connection, released together by a barrier.

Every round registers 50 residents at once for an activity with capacity 1 and one with capacity 5;
exactly that many are registered, the rest wait, nobody is refused by an error. Checked 20 times.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db import connection
from django.test import TransactionTestCase

import pytest

from omzien.activities import services
from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.activities.tests.factories import Town
from omzien.residents.models import Resident

THREADS = 50
# Each round is a fresh many-thread race at a barrier; the test command runs a few, a soak run more
# (OMZIEN_RACE_ROUNDS=20 was the old default: README, long runs).
ROUNDS = int(os.environ.get("OMZIEN_RACE_ROUNDS", "2"))


@pytest.mark.postgres
class RegistrationRaceTests(TransactionTestCase):
    # No serialized_rollback: the flush after this test runs post_migrate, which brings back every data
    # migration's rows (roles, taxonomy, policy, route table); with it, a flush by an earlier transactional
    # test had already brought them back and loading the serialized copy collided with them.

    def race(self, activity: Activity, residents: list[Resident], staff: Any) -> list[Any]:
        barrier = threading.Barrier(THREADS)
        results: list[Any] = [None] * THREADS

        def attempt(index: int) -> None:
            try:
                barrier.wait(timeout=30)
                results[index] = services.register(
                    activity=activity, resident=residents[index], acting_user=staff, actor=services.SYSTEM,
                    via=Registration.Via.PROFESSIONAL, consent_method="verbal",
                )  # fmt: skip
            except Exception as error:  # noqa: BLE001 - every failure is reported by the assertion below
                results[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

    def test_never_overbooked_under_a_real_race(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        town = Town()
        staff = town.provider_user()
        for round_number in range(ROUNDS):
            for capacity in (1, 5):
                activity = town.activity(capacity=capacity, title=f"Ronde {round_number} cap {capacity}")
                residents = [town.resident() for _ in range(THREADS)]
                results = self.race(activity, residents, staff)
                with self.subTest(round=round_number, capacity=capacity):
                    errors = [r for r in results if isinstance(r, Exception) or r is None]
                    self.assertEqual(errors, [])
                    registered = [r for r in results if r.registration is not None]
                    self.assertEqual(len(registered), capacity)
                    self.assertEqual(
                        Registration.objects.filter(activity=activity, status="active").count(), capacity
                    )
                    self.assertEqual(
                        WaitingListEntry.objects.filter(activity=activity).count(), THREADS - capacity
                    )
                    activity.refresh_from_db()
                    self.assertEqual(activity.places_taken, capacity)
