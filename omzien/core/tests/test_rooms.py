# SPDX-License-Identifier: EUPL-1.2
"""Adding a room is a folder plus one INSTALLED_APPS line: the sample room plugs into every collector.

The sample room (``omzien/lib/testing/sample_room``) is installed only here. It adds a role with a
permission, an organisation kind, a menu entry with a live count, a start-page card, a page with its
URL-policy row, a resident-link kind with the fields its role sees, demo data and test-world persona;
none of it is named anywhere in the ground floor.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import TestCase, modify_settings, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

import pytest

from omzien.accounts.migrations._helpers import roles_sync
from omzien.accounts.models import Organisation, User
from omzien.accounts.navigation import navigation_for
from omzien.accounts.roles import role_decls, role_permissions, user_role
from omzien.conf.url_policy import rule_for
from omzien.core.demo_city import demo_city_seed
from omzien.core.tests import test_url_policy
from omzien.lib.rooms import (
    Room,
    algorithm_declarations,
    data_export_sections,
    erasure_steps,
    processing_purposes,
    report_sections,
    retention_rules,
    room,
    rooms,
    rooms_reset,
)
from omzien.lib.testing.world import STREET_MARKER, build_world, login_verified
from omzien.residents.models import ResidentLink
from omzien.residents.permissions import residents_visible_to, visible_fields

SAMPLE_APP = "omzien.lib.testing.sample_room"
VISITOR = "neighbourhood_visitor"
with_sample_room = modify_settings(INSTALLED_APPS={"append": SAMPLE_APP})


class WithSampleRoom(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        roles_sync(apps, strict=True)  # what the post-migrate sync does for an installed room
        super().setUpTestData()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        ContentType.objects.clear_cache()  # the sample room's content types were rolled back


class SampleRoomAbsentTests(TestCase):
    def test_without_its_line_in_installed_apps_nothing_of_it_exists(self) -> None:
        self.assertIsNone(room("sample_room"))
        self.assertNotIn(VISITOR, role_decls())
        self.assertIsNone(rule_for("sample_room:visits"))
        with self.assertRaises(NoReverseMatch):
            reverse("sample_room:visits")
        with self.assertRaises(ValidationError):
            Organisation(name="Bezoekdienst", kind="visiting_service").full_clean()


@with_sample_room
class SampleRoomTests(WithSampleRoom):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = build_world()
        cls.visitor = cls.world.user(VISITOR)

    def test_it_is_collected_with_its_role_permission_and_organisation_kind(self) -> None:
        self.assertEqual(rooms()[-1].label, "sample_room")
        self.assertEqual(user_role(self.visitor), VISITOR)
        with translation.override("nl"):
            self.assertEqual(str(user_role(self.visitor).label), "buurtbezoeker")  # type: ignore[union-attr]
        self.assertIn("sample_room.plan_visit", role_permissions()[VISITOR])
        self.assertTrue(User.objects.get(pk=self.visitor.pk).has_perm("sample_room.plan_visit"))
        Organisation(name="Bezoekdienst", kind="visiting_service").full_clean()

    def test_its_purposes_algorithms_export_erasure_retention_and_report_sections_are_collected(self) -> None:
        def keys(collected: tuple[tuple[Room, object], ...]) -> dict[str, str]:
            return {declaration.key: declaring.label for declaring, declaration in collected}  # type: ignore[attr-defined]

        self.assertEqual(keys(processing_purposes())["neighbourhood_visits"], "sample_room")
        self.assertEqual(keys(algorithm_declarations())["visit-rota"], "sample_room")
        self.assertEqual(keys(data_export_sections())["visits"], "sample_room")
        self.assertEqual(keys(retention_rules())["visits"], "sample_room")
        # It depends on residents, so its erasure step runs before the residents' own data goes.
        erasing = [declaring.label for declaring, _step in erasure_steps()]
        self.assertEqual(erasing[0], "sample_room")
        self.assertEqual(report_sections()[0][1].key, "visits")  # order 5 comes before the monitor's 10

    def test_its_purpose_and_algorithm_are_published_on_the_public_registers(self) -> None:
        from django.conf import settings

        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        register = self.client.get(reverse("processing_register"))
        algorithms = self.client.get(reverse("algorithm_register"))
        self.assertContains(register, "Neighbourhood visits")
        self.assertContains(register, "one year after the last visit")
        self.assertContains(register, "Support by the neighbourhood team")  # a room of the product too
        self.assertContains(algorithms, "Visit rota")
        self.assertContains(algorithms, "The coordinator changes any visit.")
        self.assertContains(algorithms, "Ranking of waiting lists")

    def test_a_key_declared_by_two_rooms_is_refused(self) -> None:
        from dataclasses import replace

        sample = room("sample_room")
        assert sample is not None
        twin = replace(sample, label="twin_room")
        original = rooms()
        try:
            rooms.cache_clear()
            for collected in (processing_purposes, algorithm_declarations):
                collected.cache_clear()
            import omzien.lib.rooms as contract

            contract.rooms = lambda: (*original, twin)  # type: ignore[assignment]
            with self.assertRaisesMessage(ImproperlyConfigured, "neighbourhood_visits"):
                contract._declared("purposes")
        finally:
            contract.rooms = rooms  # type: ignore[assignment]
            rooms_reset()

    def test_its_page_menu_entry_with_count_and_start_card_reach_its_role(self) -> None:
        login_verified(self.client, self.visitor)
        start = self.client.get(reverse("accounts:start"))
        self.assertContains(start, "Buurtbezoek")  # the card's title, in Dutch
        self.assertContains(start, "Hier vindt u de bewoners die uw bezoekdienst bezoekt.")
        self.assertContains(start, f'href="{reverse("sample_room:visits")}"')
        with translation.override("en"):
            menu = {str(item.label): item.count for item in navigation_for(self.visitor)}
        self.assertEqual(menu["Visits"], 1)  # resident A only
        self.assertContains(start, "Bezoeken (1)")
        page = self.client.get(reverse("sample_room:visits"))
        self.assertContains(page, "U bezoekt 1 bewoner.")

    def test_other_roles_get_neither_its_menu_nor_its_page(self) -> None:
        professional = self.world.user("neighbourhood_professional")
        with translation.override("en"):
            self.assertNotIn("Visits", [str(item.label) for item in navigation_for(professional)])
        login_verified(self.client, professional)
        self.assertEqual(self.client.get(reverse("sample_room:visits")).status_code, 403)

    def test_its_link_kind_lets_its_role_see_only_linked_residents_and_only_the_declared_fields(self) -> None:
        self.assertIn("neighbourhood_visit", dict(ResidentLink._meta.get_field("kind").choices))
        self.assertEqual(list(residents_visible_to(self.visitor)), [self.world.residents["a"]])
        self.assertEqual(visible_fields(self.visitor), ("first_name", "neighbourhood"))
        login_verified(self.client, self.visitor)
        page = self.client.get(
            reverse("residents:detail", kwargs={"public_id": self.world.residents["a"].public_id})
        )
        self.assertContains(page, "Alida")
        self.assertNotContains(page, STREET_MARKER)
        self.assertNotContains(page, "Aaldering")
        other = self.client.get(
            reverse("residents:detail", kwargs={"public_id": self.world.residents["b"].public_id})
        )
        self.assertEqual(other.status_code, 404)


@with_sample_room
class SampleRoomWalkerTests(WithSampleRoom, test_url_policy.UrlPolicyTests):
    """The URL walker, over the sample room's page and the residents' pages its role now reaches."""

    walk_only = ("sample_room:", "residents:", "accounts:start")
    roles_walked = (0, 1)  # every role: the room's walk is short

    def test_its_url_has_its_policy_row(self) -> None:
        rule = rule_for("sample_room:visits")
        assert rule is not None
        self.assertEqual(rule.allowed, frozenset({VISITOR}))
        # Pseudo-roles reach the new role too: every role's start page, every resident-seeing role's list.
        self.assertIn(VISITOR, rule_for("accounts:start").allowed)  # type: ignore[union-attr]
        self.assertIn(VISITOR, rule_for("residents:list").allowed)  # type: ignore[union-attr]


@pytest.mark.whole_city
@with_sample_room
@override_settings(OMZIEN_DEMO=True)
class SampleRoomDemoTests(WithSampleRoom):
    def test_its_demo_runs_after_the_rooms_it_needs_and_gets_a_one_click_login(self) -> None:
        demo_city_seed(residents=60)
        service = Organisation.objects.get(name="Buurtbezoek Utrecht", kind="visiting_service")
        visitor = User.objects.get(username="demo-buurtbezoeker")
        self.assertEqual(visitor.organisation, service)
        self.assertEqual(user_role(visitor), VISITOR)
        self.assertEqual(
            ResidentLink.objects.filter(kind="neighbourhood_visit", organisation=service).count(), 3
        )
        self.assertEqual(residents_visible_to(visitor).count(), 3)
        home = self.client.get(reverse("home"))
        self.assertContains(home, f'value="{VISITOR}"')
        self.client.post(reverse("accounts:demo_login"), {"role": VISITOR})
        self.assertEqual(self.client.get(reverse("sample_room:visits")).status_code, 200)


class DeclarationsAgreeTests(TestCase):
    def test_every_menu_entry_and_start_card_leads_to_a_page_its_roles_may_reach(self) -> None:
        from omzien.accounts.navigation import _for_role

        for declared in rooms():
            for item in (*declared.menu, *declared.start_cards):
                try:
                    reverse(item.url_name)
                except NoReverseMatch:
                    continue  # a room still being built (the menu leaves it out)
                rule = rule_for(item.url_name)
                with self.subTest(room=declared.label, url=item.url_name):
                    assert rule is not None
                    if "public" in {str(role) for role in item.roles}:
                        # A card on the public home page leads to a page everyone may open.
                        self.assertIn("public", rule.allowed)
                        continue
                    shown_to = {role for role in role_decls() if _for_role(item.roles, role)}
                    self.assertTrue(shown_to, "an entry no declared role sees")
                    self.assertLessEqual(
                        shown_to, set(rule.allowed) | (shown_to if "public" in rule.allowed else set())
                    )

    def test_no_role_has_two_menu_entries_of_the_same_name_in_either_language(self) -> None:
        """One name per thing: two rooms' entries called "Referrals" for one role confused a broker."""
        from omzien.accounts.navigation import _for_role

        for role in role_decls():
            for language in ("nl", "en"):
                with self.subTest(role=role, language=language), translation.override(language):
                    labels = [str(entry.label) for declared in rooms() for entry in declared.menu
                              if _for_role(entry.roles, role)]  # fmt: skip
                    self.assertEqual(sorted({label for label in labels if labels.count(label) > 1}), [])

    def test_every_permission_a_room_grants_exists(self) -> None:
        from django.contrib.auth.models import Permission

        for role, permissions in role_permissions().items():
            for permission in permissions:
                app_label, codename = permission.split(".")
                with self.subTest(role=role, permission=permission):
                    self.assertTrue(
                        Permission.objects.filter(
                            content_type__app_label=app_label, codename=codename
                        ).exists()
                    )
