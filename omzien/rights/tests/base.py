# SPDX-License-Identifier: EUPL-1.2
"""The access-test world with the rights room's part: the privacy officer and resident A's erasure request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import TestCase
from django.utils import translation

from omzien.accounts.roles import Role
from omzien.lib.testing.world import build_world, login_verified
from omzien.rights.room import OFFICER_ROLE


class RightsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.officer = cls.world.user(OFFICER_ROLE)
        cls.resident_user = cls.world.user(Role.RESIDENT)
        cls.me = cls.world.residents["self"]
        cls.request_a = cls.world.extra["rights"]["request"]

    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.enterContext(translation.override("en"))

    def login(self, user: Any) -> None:
        login_verified(self.client, user)
