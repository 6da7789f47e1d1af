# SPDX-License-Identifier: EUPL-1.2
"""A resident who clicks "send" several times at once gets one request, and a clear message on the others
(PostgreSQL: the "already asked" check alone let every racing submit through)."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

import pytest

from omzien.accounts.roles import Role
from omzien.lib.testing.world import build_world, login_verified
from omzien.rights.models import PrivacyRequest


@pytest.mark.postgres
class RequestRaceTests(TransactionTestCase):
    def test_five_submits_of_the_same_request_at_once_make_one(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        world = build_world()
        resident = world.residents["self"]
        clients = []
        for _ in range(5):
            client = Client()
            client.cookies["omzien-language"] = "en"
            login_verified(client, world.user(Role.RESIDENT))
            clients.append(client)
        barrier = threading.Barrier(5)
        answers: list[tuple[int, str]] = []

        def submit(client: Client) -> None:
            try:
                barrier.wait(timeout=30)
                response = client.post(reverse("rights:mine"), {"kind": "erasure", "explanation": ""})
                answers.append((response.status_code, response.content.decode()))
            finally:
                connection.close()

        threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(sorted(status for status, _page in answers), [302] + [400] * 4)
        for status, page in answers:
            if status == 400:
                self.assertIn("You already asked for this", page)
        self.assertEqual(PrivacyRequest.objects.filter(resident=resident, kind="erasure").count(), 1)
