# SPDX-License-Identifier: EUPL-1.2
"""Words, not codes; one name per thing (issue #16): what a new user reads on the pages."""

from __future__ import annotations

import json
import re

from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.activities.models import Term
from omzien.lib.testing.world import build_world, login_verified


class WordsNotCodesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        resident = cls.world.residents["a"]
        resident.languages = ["nl", "ar"]
        resident.save(update_fields=["languages"])

    def _as(self, role: str) -> None:
        self.client.logout()
        login_verified(self.client, self.world.user(role))

    def test_languages_are_named_in_the_pages_language(self) -> None:
        self._as(Role.NEIGHBOURHOOD_PROFESSIONAL)
        page = self.client.get(reverse("residents:detail", args=[self.world.residents["a"].public_id]))
        self.assertContains(page, "Nederlands, Arabisch")
        self.assertNotContains(page, "nl, ar")

    def test_both_access_logs_show_roles_and_purposes_in_words(self) -> None:
        resident = self.world.residents["self"]
        self._as(Role.NEIGHBOURHOOD_PROFESSIONAL)
        self.client.get(reverse("residents:detail", args=[resident.public_id]))
        self._as(Role.RESIDENT)
        own = self.client.get(reverse("residents:my_access_log"))
        self.assertContains(own, "buurtteammedewerker")
        self.assertContains(own, "opvolgen van de bewoner")
        self.assertNotContains(own, "neighbourhood_professional")
        self.assertNotContains(own, "follow_up")
        self._as(Role.ADMINISTRATOR)
        audit = self.client.get(reverse("audit:entries"))
        self.assertContains(audit, "opvolgen van de bewoner")
        self.assertContains(audit, "buurtteammedewerker")
        self.assertNotContains(audit, ">follow_up<")
        self.assertNotContains(audit, ">neighbourhood_professional<")

    def test_each_menu_entry_opens_a_page_that_says_what_it_is(self) -> None:
        titles = {}
        for role, label in ((Role.NEIGHBOURHOOD_PROFESSIONAL, "Cliënten"), (Role.COORDINATOR, "Bewoners die wij ondersteunen"),
                            (Role.ACTIVITY_PROVIDER, "Deelnemers"), (Role.VOLUNTEER, "Mijn koppelingen")):  # fmt: skip
            self._as(role)
            page = self.client.get(reverse("residents:list")).content.decode()
            heading = re.search(r'<h1 class="utrecht-heading-1">([^<]*)</h1>', page)
            assert heading is not None
            titles[role] = heading.group(1)
            self.assertEqual(heading.group(1), label, role)
            self.assertIn(f"<title>{label} · Omzien</title>", page)
        self.assertEqual(len(set(titles.values())), 4)

    def test_the_client_page_links_the_clients_activities(self) -> None:
        self._as(Role.NEIGHBOURHOOD_PROFESSIONAL)
        resident = self.world.residents["a"]
        page = self.client.get(reverse("residents:detail", args=[resident.public_id]))
        self.assertContains(page, f'href="{reverse("activities:client", args=[resident.public_id])}"')
        self.assertEqual(self.client.get(reverse("activities:client", args=[resident.public_id])).status_code, 200)

    def test_log_out_and_leaving_an_activity_have_different_words(self) -> None:
        self._as(Role.RESIDENT)
        page = self.client.get(reverse("activities:mine"))
        self.assertContains(page, "Uitloggen")
        self.assertNotContains(page, ">Afmelden</button>\n          </form>\n        </div>")
        header = page.content.decode().split('<main id="main"')[0]
        self.assertNotIn("Afmelden", header)

    def test_the_home_page_links_the_activity_search(self) -> None:
        page = self.client.get(reverse("home"))
        self.assertContains(page, f'href="{reverse("activities:search")}" data-testid="find-activities"')

    def test_the_for_whom_filter_names_everyone_once(self) -> None:
        Term.objects.get_or_create(vocabulary="target_group", code="iedereen", defaults={"name": "Iedereen"})
        page = self.client.get(reverse("activities:search")).content.decode()
        select = page.split('name="group"')[1].split("</select>")[0]
        options = [text.strip().lower() for text in re.findall(r">([^<]+)</option>", select)]
        self.assertEqual(options.count("iedereen"), 1, options)
        self.assertIn("alle doelgroepen", options)

    def test_a_search_for_a_meal_or_a_buddy_says_where_to_go(self) -> None:
        for text, where in (("eet mee", "Eet Mee regelt"), ("maatje", "Humanitas"), ("Eet-mee maaltijd", "Eet Mee")):
            page = self.client.get(reverse("activities:search"), {"q": text})
            self.assertContains(page, 'data-testid="search-hint"')
            self.assertContains(page, where)
        self.assertNotContains(self.client.get(reverse("activities:search"), {"q": "koken"}), "search-hint")

    def test_map_markers_carry_a_label_for_screen_readers(self) -> None:
        page = self.client.get(reverse("activities:search"), {"q": "Huiskamer"}).content.decode()
        markers = json.loads(page.split('id="activity-markers" type="application/json">')[1].split("</script>")[0])
        self.assertEqual([m["label"] for m in markers], ["Huiskamer A: 9 plaatsen vrij"])
