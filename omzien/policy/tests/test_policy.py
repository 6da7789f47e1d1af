# SPDX-License-Identifier: EUPL-1.2
"""The policy store: defaults from the migration, typed reads, cache invalidation, the admin screen and
its history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from omzien import policy
from omzien.accounts.models import User
from omzien.accounts.roles import Role
from omzien.lib.testing.world import login_verified
from omzien.policy.models import Policy


class PolicyStoreTests(TestCase):
    def test_the_migration_put_in_every_declared_default(self) -> None:
        stored = dict(Policy.objects.values_list("key", "value"))
        for key in policy.declarations():
            self.assertIn(key, stored)
        self.assertEqual(stored["activities.places_target"], 6250)
        self.assertEqual(stored["activities.offer_hours"], 72)

    def test_values_are_typed_by_their_kind(self) -> None:
        self.assertEqual(policy.get("activities.offer_hours"), timedelta(hours=72))
        self.assertEqual(policy.get("activities.allocation_max_km"), Decimal(3))
        self.assertEqual(policy.get("activities.places_target"), 6250)
        self.assertEqual(policy.get("activities.confirm_after"), timedelta(days=183))
        self.assertEqual(policy.get("publication.min_cell_size"), 10)
        self.assertEqual(policy.get("helplines")["talk"]["numbers"], ["088-0767 000"])

    def test_a_saved_value_is_read_at_once(self) -> None:
        self.assertEqual(policy.get("activities.places_target"), 6250)  # now cached
        policy.set_value("activities.places_target", 6400)
        self.assertEqual(policy.get("activities.places_target"), 6400)
        policy.set_value("activities.offer_hours", timedelta(hours=48))
        self.assertEqual(policy.get("activities.offer_hours"), timedelta(hours=48))

    def test_a_missing_row_reads_as_the_default(self) -> None:
        Policy.objects.filter(key="activities.places_start").delete()
        self.assertEqual(policy.get("activities.places_start"), 6000)
        self.assertEqual(policy.sync(), 1)
        self.assertTrue(Policy.objects.filter(key="activities.places_start").exists())

    def test_an_undeclared_key_is_an_error(self) -> None:
        with self.assertRaises(KeyError):
            policy.get("activities.no_such_policy")
        with self.assertRaises(ValueError):
            policy.set_value("activities.places_target", "many")


class PolicyAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_user(username="beheer", password="x-very-long-password", is_staff=True)
        cls.admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
        cls.row = Policy.objects.get(key="activities.places_target")

    def setUp(self) -> None:
        login_verified(self.client, self.admin)

    def test_the_administrator_changes_a_value_and_the_history_says_who_and_why(self) -> None:
        url = reverse("admin:policy_policy_change", args=[self.row.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        # The screen shows the value to change, in a field of its kind, above the reason.
        self.assertContains(page, 'name="value" value="6250"')
        html = page.content.decode()
        self.assertLess(html.index('name="value"'), html.index('name="change_reason"'))
        response = self.client.post(url, {"value": "6300", "change_reason": "Raadsbesluit 2027"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(policy.get("activities.places_target"), 6300)
        latest = self.row.history.latest()
        self.assertEqual(latest.history_user, self.admin)
        self.assertEqual(latest.history_change_reason, "Raadsbesluit 2027")
        self.assertEqual(latest.value, 6300)
        history = self.client.get(reverse("admin:policy_policy_history", args=[self.row.pk]))
        self.assertContains(history, "Raadsbesluit 2027")

    def test_bad_input_is_refused_with_a_message_and_nothing_changes(self) -> None:
        url = reverse("admin:policy_policy_change", args=[self.row.pk])
        response = self.client.post(url, {"value": "veel"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["adminform"].form.errors)
        self.assertEqual(policy.get("activities.places_target"), 6250)
        helplines = Policy.objects.get(key="helplines")
        url = reverse("admin:policy_policy_change", args=[helplines.pk])
        response = self.client.post(url, {"value": '"just a string"'})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(policy.get("helplines")["talk"]["name"], "De Luisterlijn")

    def test_the_list_shows_every_policy(self) -> None:
        response = self.client.get(reverse("admin:policy_policy_changelist"))
        self.assertContains(response, "activities.offer_hours")
        self.assertContains(response, "wellbeing.urgency_by_category")
        # Values as stored (JSON), not as Python prints a dict.
        self.assertContains(response, "{&quot;")
        self.assertNotContains(response, "{&#x27;")


class HelplineTests(TestCase):
    def test_every_page_shows_the_helplines_from_the_policy(self) -> None:
        for url in (reverse("home"), reverse("wellbeing:self_test")):
            page = self.client.get(url)
            self.assertContains(page, 'href="tel:0880767000"')
            self.assertContains(page, "De Luisterlijn")
            self.assertNotContains(page, "0900-1450")
        policy.set_value("helplines", {**policy.get("helplines"), "talk": {"name": "Praatlijn", "numbers": ["0800-1234"]}})
        self.assertContains(self.client.get(reverse("home")), 'href="tel:08001234"')


class UrgencyPolicyTests(TestCase):
    def test_the_urgency_of_a_category_follows_the_municipal_mapping(self) -> None:
        from omzien.wellbeing.selectors import urgency_for_category

        self.assertEqual(urgency_for_category("very_severe"), 3)
        self.assertEqual(urgency_for_category("moderate"), 2)
        self.assertEqual(urgency_for_category(""), 1)
        mapping = {**policy.get("wellbeing.urgency_by_category"), "moderate": 3}
        policy.set_value("wellbeing.urgency_by_category", mapping)
        self.assertEqual(urgency_for_category("moderate"), 3)
