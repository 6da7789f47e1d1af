# SPDX-License-Identifier: EUPL-1.2
"""One open request per person, kind and organisation, also when several arrive at once (a resident's
double click, a coordinator entering the same person at that moment): the resident's row is locked before
the check, so the others wait and then see the first. Without the lock every racing request got in."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.test import TransactionTestCase

import pytest

from omzien.accounts.roles import Role
from omzien.geo.models import Postcode
from omzien.lib.testing.world import build_world
from omzien.volunteers import services
from omzien.volunteers.models import MatchRequest
from omzien.volunteers.tests.factories import grant_room_permissions

RACERS = 6
ROUNDS = 4


@pytest.mark.postgres
class RequestRaceTests(TransactionTestCase):
    def test_six_requests_for_the_same_person_at_once_make_one(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        grant_room_permissions()
        world = build_world()
        resident = world.residents["a"]
        buurt = resident.neighbourhood
        assert buurt is not None
        Postcode.objects.create(code="3561AB", neighbourhood=buurt, lat=52.100, lon=5.120)
        humanitas, coordinator = world.organisations["humanitas"], world.user(Role.COORDINATOR)
        for _round in range(ROUNDS):  # a race is not lost every time: several rounds
            MatchRequest.objects.filter(resident=resident).delete()
            opened, refused = self._race(humanitas, coordinator, resident)
            self.assertEqual((len(opened), len(refused)), (1, RACERS - 1))
            self.assertEqual(MatchRequest.objects.filter(resident=resident, kind="visit").count(), 1)

    def _race(self, humanitas: Any, coordinator: Any, resident: Any) -> tuple[list[int], list[str]]:
        barrier = threading.Barrier(RACERS)
        opened: list[int] = []
        refused: list[str] = []

        def ask(source: str) -> None:
            try:
                data = services.RequestData(kind="visit", postcode="3561AB", availability=0b111)
                barrier.wait(timeout=30)
                try:
                    request = services.request_open(organisation=humanitas, data=data, source=source,
                                                    acting_user=coordinator, resident=resident)  # fmt: skip
                    opened.append(request.pk)
                except services.PairError as error:
                    refused.append(str(error.message))
            finally:
                connection.close()

        sources = [MatchRequest.Source.RESIDENT, MatchRequest.Source.COORDINATOR] * (RACERS // 2)
        threads = [threading.Thread(target=ask, args=(source,)) for source in sources]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return opened, refused
