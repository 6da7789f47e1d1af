# SPDX-License-Identifier: EUPL-1.2
"""`omzien seed_demo`: the council letter's organisations, ten buurtteams, residents, a user per role."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

import pytest

from omzien.accounts.demo import DEMO_USERNAMES
from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import user_role
from omzien.geo.models import District
from omzien.lib.testing.demo import DemoCityTestCase
from omzien.residents.models import Resident, ResidentLink
from omzien.residents.permissions import residents_visible_to

# The letter's "Telefonische Hulpdienst" has been called De Luisterlijn since 2019 (policy "helplines").
LETTER_ORGANISATIONS = [
    "U Centraal", "Humanitas", "Handje Helpen", "Stichting Present", "CSP 't Zonnetje", "Stichting MORIA",
    "Hulp in de praktijk", "Rode Kruis", "AxionContinu", "De Nieuwe Jutter", "Digiwijs", "Vrijwilligerscentrale Utrecht",
    "Steunpunt Mantelzorg", "De Luisterlijn", "Eet Mee", "EET met je hart",
]  # fmt: skip


@pytest.mark.whole_city
class SeedDemoTests(TestCase):
    def test_it_refuses_to_run_outside_demo_mode(self) -> None:
        with self.assertRaises(CommandError):
            call_command("seed_demo", stdout=StringIO())
        self.assertFalse(Organisation.objects.exists())

    @override_settings(OMZIEN_DEMO=True)
    def test_it_builds_the_demo_city_once(self) -> None:
        from omzien.core.management.commands.seed_demo import Command

        # scripts/demo's city has 8,000 residents; the command runs here on a small one, and what the
        # full city holds is checked on its shared copy (DemoCityTests).
        self.assertEqual(Command().create_parser("omzien", "seed_demo").get_default("residents"), 8000)
        out = StringIO()
        call_command("seed_demo", "--residents", "60", stdout=out)
        self.assertIn("60 residents", out.getvalue())
        loaded = Resident.objects.count()
        self.assertGreaterEqual(loaded, 60)
        again = StringIO()
        call_command("seed_demo", stdout=again)
        self.assertIn("already loaded", again.getvalue())
        self.assertEqual(Resident.objects.count(), loaded)


@pytest.mark.whole_city
class DemoCityTests(DemoCityTestCase):
    demo_residents = 8000  # what scripts/demo loads

    def test_the_demo_city_has_the_letters_organisations_teams_and_a_user_per_role(self) -> None:
        from omzien.casework.models import Signal

        # The city's 8,000, and the clients the demo's signals became as new cases (casework).
        new_clients = Signal.objects.filter(outcome="new_case").exclude(resident=None).count()
        self.assertEqual(Resident.objects.count(), 8000 + new_clients)
        names = set(Organisation.objects.values_list("name", flat=True))
        self.assertLessEqual(set(LETTER_ORGANISATIONS), names)
        teams = Organisation.objects.filter(kind=Organisation.Kind.NEIGHBOURHOOD_TEAM)
        self.assertEqual(teams.count(), 10)
        for team in teams:
            district = District.objects.get(name=team.name.removeprefix("Buurtteam "))
            self.assertEqual(set(team.neighbourhoods.all()), set(district.neighbourhoods.all()))
        for role, username in DEMO_USERNAMES.items():
            user = User.objects.get(username=username)
            self.assertEqual(user_role(user), role)
        # Every demo role that works with residents has some to work with.
        for username in (
            "demo-buurtteam",
            "demo-coordinator",
            "demo-aanbieder",
            "demo-vrijwilliger",
            "demo-gastgezin",
        ):
            self.assertTrue(residents_visible_to(User.objects.get(username=username)).exists(), username)
        self.assertEqual(residents_visible_to(User.objects.get(username="demo-bewoner")).count(), 1)
        # The demo resident's account and record carry one name (the header shows the account's).
        resident_user = User.objects.get(username="demo-bewoner")
        own = Resident.objects.get(user=resident_user)
        self.assertEqual((resident_user.first_name, resident_user.last_name), (own.first_name, own.last_name))
        # A contact request is handled after it was made, never before.
        from omzien.wellbeing.models import ContactRequest

        handled = ContactRequest.objects.exclude(handled_at=None)
        self.assertTrue(handled.exists())
        self.assertTrue(all(r.handled_at > r.created_at for r in handled))  # type: ignore[operator]
        self.assertGreater(ResidentLink.objects.filter(kind=ResidentLink.Kind.CASE).count(), 1000)
