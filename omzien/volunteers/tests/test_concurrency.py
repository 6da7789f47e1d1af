# SPDX-License-Identifier: EUPL-1.2
"""A real race on PostgreSQL: 40 threads, each on its own connection, released together by a barrier,
register 40 volunteers at once for a session with 1 place and one with 5. Exactly that many get a place,
the others are told the session is full, nobody gets another error. Checked over 10 rounds."""

from __future__ import annotations

import os
import threading
from typing import Any

from django.db import connection
from django.test import TransactionTestCase

import pytest

from omzien.volunteers import services
from omzien.volunteers.models import TrainingRegistration, Volunteer
from omzien.volunteers.tests.factories import Centre

THREADS = 40
# Each round is a fresh many-thread race at a barrier; the test command runs a few, a soak run more
# (OMZIEN_RACE_ROUNDS=10 was the old default: README, long runs).
ROUNDS = int(os.environ.get("OMZIEN_RACE_ROUNDS", "2"))


@pytest.mark.postgres
class TrainingRaceTests(TransactionTestCase):
    # No serialized_rollback: the flush after this test runs post_migrate, which brings back every data
    # migration's rows (roles, taxonomy, policy, route table); with it, a flush by an earlier transactional
    # test had already brought them back and loading the serialized copy collided with them.

    def race(self, session: Any, volunteers: list[Volunteer]) -> list[Any]:
        barrier = threading.Barrier(THREADS)
        results: list[Any] = [None] * THREADS

        def attempt(index: int) -> None:
            try:
                barrier.wait(timeout=30)
                results[index] = services.training_register(session=session, volunteer=volunteers[index], actor=services.SYSTEM)
            except Exception as error:  # noqa: BLE001 - every outcome is checked below
                results[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

    def test_a_session_is_never_overbooked_under_a_real_race(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        centre = Centre()
        training = centre.training()
        for round_number in range(ROUNDS):
            for capacity in (1, 5):
                session = centre.session(training, capacity=capacity)
                volunteers = [centre.volunteer() for _ in range(THREADS)]
                results = self.race(session, volunteers)
                with self.subTest(round=round_number, capacity=capacity):
                    registered = [r for r in results if isinstance(r, TrainingRegistration)]
                    refused = [r for r in results if isinstance(r, services.VolunteerError)]
                    others = [r for r in results if not isinstance(r, TrainingRegistration | services.VolunteerError)]
                    self.assertEqual(others, [])
                    self.assertEqual((len(registered), len(refused)), (capacity, THREADS - capacity))
                    self.assertEqual(TrainingRegistration.objects.filter(session=session, status="active").count(), capacity)
                    session.refresh_from_db()
                    self.assertEqual(session.places_taken, capacity)
