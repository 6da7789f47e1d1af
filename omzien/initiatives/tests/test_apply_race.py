# SPDX-License-Identifier: EUPL-1.2
"""Ten applications from one address at the same moment: the public form's limit holds (PostgreSQL).

The form counts only applications it takes in; it used to look at the count first and add to it after
the application was saved, so requests at the same moment all saw room under the limit."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import Client, TransactionTestCase
from django.urls import reverse

import pytest

from omzien.initiatives.models import Initiative
from omzien.initiatives.tests.base import APPLICATION
from omzien.lib.testing.world import build_world


@pytest.mark.postgres
class ApplyRaceTests(TransactionTestCase):
    def test_ten_applications_at_once_from_one_address_take_in_only_the_limit(self) -> None:
        self.assertEqual(connection.vendor, "postgresql")
        build_world()  # the municipality's postcodes and wijken
        barrier = threading.Barrier(10)
        statuses: list[int] = []

        def apply() -> None:
            try:
                client = Client(REMOTE_ADDR="203.0.113.9")
                barrier.wait(timeout=30)
                statuses.append(client.post(reverse("initiatives:apply"), APPLICATION).status_code)
            finally:
                connection.close()

        with self.settings(OMZIEN_PUBLIC_FORM_RATE="3/h"):
            threads = [threading.Thread(target=apply) for _ in range(10)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertEqual(sorted(statuses), [302] * 3 + [429] * 7)
        self.assertEqual(Initiative.objects.filter(contact_name=APPLICATION["contact_name"]).count(), 3)
