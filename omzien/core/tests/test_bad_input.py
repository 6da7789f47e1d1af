# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: input that used to be a server error (500) is a clear 400 or a form error, on both databases
(the suite runs on SQLite and again on PostgreSQL)."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.lib.testing.world import build_world, login_verified
from omzien.lib.tests.bombs import dimension_bomb


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_the_auditor_asks_for_year_1_to_9999(self) -> None:
        login_verified(self.client, self.world.user(Role.ADMINISTRATOR))
        response = self.client.get(reverse("audit:entries"), {"since": "0001-01-01", "until": "9999-12-31"})
        self.assertContains(response, "Vul een datum in tussen", status_code=400)
        self.assertEqual(self.client.get(reverse("audit:entries"), {"since": "2026-01-01"}).status_code, 200)

    def test_a_resident_asks_who_viewed_them_from_year_1_to_9999(self) -> None:
        login_verified(self.client, self.world.user(Role.RESIDENT))
        url = reverse("residents:my_access_log")
        response = self.client.get(url, {"van": "0001-01-01", "tot": "9999-12-31"})
        self.assertContains(response, "Vul een datum in tussen", status_code=400)
        self.assertContains(response, 'role="alert"', status_code=400)
        csv = self.client.get(url, {"van": "0001-01-01", "tot": "9999-12-31", "formaat": "csv"})
        self.assertEqual(csv.status_code, 400)  # no export of a period that makes no sense
        self.assertEqual(self.client.get(url, {"van": "2026-01-01", "tot": "2026-12-31"}).status_code, 200)

    def test_a_nul_character_in_a_query_or_form_is_a_400(self) -> None:
        api = self.client.get("/api/hsds/services", {"search": "\x00"})
        self.assertEqual(api.status_code, 400)
        self.assertIn("NUL", api.json()["detail"])
        page = self.client.get(reverse("activities:search"), {"q": "koffie\x00"})
        self.assertContains(page, "niet is toegestaan", status_code=400)
        posted = self.client.post(reverse("accounts:login"), {"username": "a\x00b", "password": "x"})
        self.assertEqual(posted.status_code, 400)
        self.assertEqual(self.client.get("/api/hsds/services", {"search": "koffie"}).status_code, 200)
        json_body = self.client.post(
            "/api/hsds/services", '{"name": "a\\u0000b"}', content_type="application/json"
        )
        self.assertEqual(json_body.status_code, 400)

    def test_a_survey_workbook_bomb_is_a_form_error_at_once(self) -> None:
        login_verified(self.client, self.world.user(Role.POLICY_OFFICER))
        bomb = dimension_bomb([["item_1", "area"], ["ja", "BU03440321"]], "A1:XFD1048576")
        started = time.perf_counter()
        response = self.client.post(reverse("reports:upload"), {
            "title": "Test", "fieldwork_date": "2026-10-01", "survey": SimpleUploadedFile("enquete.xlsx", bomb),
            "margins": SimpleUploadedFile("marges.csv", b"area,age_group,sex,population\n"),
        })  # fmt: skip
        self.assertLess(time.perf_counter() - started, 3.0)
        self.assertContains(response, "kolommen", status_code=400)
