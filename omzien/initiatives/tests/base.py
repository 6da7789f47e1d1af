# SPDX-License-Identifier: EUPL-1.2
"""The access-test world with the initiatives room's part (broker of Overvecht, initiatives A and B, a centre)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import translation

from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.initiatives import services
from omzien.initiatives.models import Initiative
from omzien.lib.testing.world import build_world, login_verified

APPLICATION = {
    "title": "Soep op woensdag", "idea": "Elke woensdag samen soep eten in de buurtkamer.",
    "for_whom": "Buren die alleen wonen", "where": "Buurthuis De Dreef", "when": "Elke woensdag 17:30",
    "expected_participants": "15", "volunteers_needed": "2", "budget_requested": "450.50",
    "group_name": "", "contact_name": "Fatima Soepkoker", "contact_email": "fatima@example.nl",
    "contact_phone": "06-12121212", "postcode": "3561 AB",
}  # fmt: skip


class InitiativesTestCase(TestCase):
    initiative_a: Initiative
    initiative_b: Initiative

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.broker = cls.world.user(Role.SOCIAL_BROKER)
        extra = cls.world.extra["initiatives"]
        cls.initiative_a = extra["initiative_a"]
        cls.initiative_b = extra["initiative_b"]
        cls.centre, cls.room = extra["centre"], extra["room"]
        cls.other_broker = extra["other_broker"]
        cls.other_broker.groups.add(Group.objects.get(name=Role.SOCIAL_BROKER.value))

    def setUp(self) -> None:
        # The tests read the English messages (the Dutch ones are checked by the translations test).
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.enterContext(translation.override("en"))  # and the services' messages, whatever ran before

    def login(self, user: Any = None) -> None:
        login_verified(self.client, user or self.broker)

    def actor(self, user: Any = None) -> events.Actor:
        return events.actor_for_user(user or self.broker)

    def granted(self, amount: str = "400") -> Initiative:
        return services.initiative_grant(initiative=self.initiative_a, amount=Decimal(amount), conditions="Bonnetjes",
                                         acting_user=self.broker, actor=self.actor())  # fmt: skip
