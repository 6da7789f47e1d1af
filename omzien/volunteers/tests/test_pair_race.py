# SPDX-License-Identifier: EUPL-1.2
"""A real race on PostgreSQL: two coordinators accept, at the same moment, two proposals that share a
volunteer with one free place. Exactly one pair is made; the other coordinator is told the place is
gone (never an error, never two pairs). Threads on their own connections, released by a barrier."""

from __future__ import annotations

import os
import threading
import uuid
from typing import Any

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation
from omzien.residents.models import Resident
from omzien.volunteers import services
from omzien.volunteers.models import MatchRequest, Pair, Proposal
from omzien.volunteers.tests.factories import Centre

ROUNDS = int(os.environ.get("OMZIEN_RACE_ROUNDS", "1"))


@pytest.mark.postgres
class PairRaceTests(TransactionTestCase):
    # No serialized_rollback: the flush after this test runs post_migrate, which brings back every data
    # migration's rows (roles, taxonomy, policy, route table); with it, a flush by an earlier transactional
    # test had already brought them back and loading the serialized copy collided with them.

    def race(self, proposals: list[Proposal], users: list[Any]) -> list[Any]:
        barrier = threading.Barrier(len(proposals))
        results: list[Any] = [None] * len(proposals)

        def attempt(index: int) -> None:
            try:
                barrier.wait(timeout=30)
                results[index] = services.proposal_accept(proposal=proposals[index], acting_user=users[index])
            except Exception as error:  # noqa: BLE001 - every outcome is checked below
                results[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(proposals))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

    def request(self, organisation: Organisation, kind: str) -> MatchRequest:
        resident = Resident.objects.create(first_name="Ria", last_name="Race", postcode="3561AA")
        return MatchRequest.objects.create(organisation=organisation, resident=resident, kind=kind, source="coordinator",
                                           postcode="3561AA", lat=52.1, lon=5.1, created_at=timezone.now())  # fmt: skip

    def test_two_coordinators_sharing_a_volunteer_with_one_place_make_exactly_one_pair(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        centre = Centre()
        second = centre.user("coordinator", centre.humanitas)
        for round_number in range(ROUNDS):
            volunteer = centre.volunteer(work_kinds=["visits", "buddy"])  # one place (max_pairs 1)
            proposals = [
                Proposal.objects.create(request=self.request(centre.humanitas, kind), volunteer=volunteer, round=uuid.uuid4(),
                                        weight=1.0, km=1.0, created_at=timezone.now())  # fmt: skip
                for kind in ("visit", "buddy")
            ]
            results = self.race(proposals, [centre.coordinator, second])
            with self.subTest(round=round_number):
                made = [r for r in results if isinstance(r, Pair)]
                refused = [r for r in results if isinstance(r, services.PairError)]
                self.assertEqual((len(made), len(refused)), (1, 1), results)
                self.assertEqual(Pair.objects.filter(volunteer=volunteer, stage__in=Pair.CURRENT).count(), 1)
                # In the threads' language (Dutch unless a request chose English).
                self.assertRegex(refused[0].message, "no free place|geen vrije plek")
