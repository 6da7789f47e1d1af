# SPDX-License-Identifier: EUPL-1.2
"""Public pages from the cache (omzien.lib.page_cache): the same page for visitors who are not logged in, each with
a CSRF token of their own; fresh as soon as an activity changes; never a logged-in person's page, never free text
that could name someone."""

from __future__ import annotations

import re

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.activities import services
from omzien.activities.models import Activity
from omzien.activities.tests.factories import Town
from omzien.lib.testing.world import login_verified

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PublicPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.town = Town()
        cls.activity = cls.town.activity(title="Koffieochtend", capacity=4)

    def test_the_second_visitor_gets_the_page_from_the_cache_with_a_token_of_their_own(self) -> None:
        search = reverse("activities:search")
        first = Client(enforce_csrf_checks=True)
        made = first.get(search, {"postcode": "3561AA"})
        self.assertContains(made, "Koffieochtend")
        second = Client(enforce_csrf_checks=True)
        with self.assertNumQueries(1):  # the directory's version only: no search, no rendering
            cached = second.get(search, {"postcode": "3561AA"})
        self.assertIsNone(cached.context)  # not rendered: from the cache
        self.assertContains(cached, "Koffieochtend")
        self.assertEqual(TOKEN.sub("", made.content.decode()), TOKEN.sub("", cached.content.decode()))
        first_token, second_token = (
            TOKEN.findall(made.content.decode())[0],
            TOKEN.findall(cached.content.decode())[0],
        )
        self.assertNotEqual(first_token, second_token)
        # Each token works with its own visitor's cookie (the language switch in the page's header is a POST).
        for client, token in ((first, first_token), (second, second_token)):
            switched = client.post("/taal/", {"language": "en", "next": search, "csrfmiddlewaretoken": token})
            self.assertEqual(switched.status_code, 302)
        # The other visitor's token does not.
        third = Client(enforce_csrf_checks=True)
        third.get(search, {"postcode": "3561AA"})
        refused = third.post("/taal/", {"language": "en", "next": search, "csrfmiddlewaretoken": first_token})
        self.assertEqual(refused.status_code, 403)

    def test_each_language_has_its_own_copy(self) -> None:
        page = reverse("wellbeing:self_test")
        self.assertContains(self.client.get(page), 'lang="nl"')
        self.client.post("/taal/", {"language": "en", "next": "/"})
        self.assertContains(self.client.get(page), 'lang="en"')
        self.assertContains(Client().get(page), 'lang="nl"')

    def test_a_place_taken_shows_at_once(self) -> None:
        detail = reverse("activities:detail", args=[self.activity.public_id])
        self.client.get(detail)
        self.assertIsNone(self.client.get(detail).context)  # cached
        resident = self.town.resident()
        services.register(activity=self.activity, resident=resident, acting_user=self.town.provider_user(), actor=services.SYSTEM,
                          via="professional", consent_method="verbal")  # fmt: skip
        fresh = self.client.get(detail)
        self.assertIsNotNone(fresh.context)  # made again: the directory changed
        self.assertEqual(fresh.context["activity"].places_taken, 1)
        # An edit through the provider's form (a save) shows too.
        Activity.objects.filter(pk=self.activity.pk).update(
            title="Koffie en krant", updated_at=timezone.now()
        )
        self.assertContains(self.client.get(detail), "Koffie en krant")

    def test_a_new_activity_is_found_at_once(self) -> None:
        search = reverse("activities:search")
        self.assertNotContains(self.client.get(search, {"postcode": "3561AA"}), "Wandelclub")
        self.assertIsNone(self.client.get(search, {"postcode": "3561AA"}).context)  # cached
        self.town.activity(title="Wandelclub")
        self.assertContains(self.client.get(search, {"postcode": "3561AA"}), "Wandelclub")

    def test_someone_logged_in_gets_their_own_page(self) -> None:
        detail = reverse("activities:detail", args=[self.activity.public_id])
        Client().get(detail)  # an anonymous copy in the cache
        me = self.town.resident(user=True)
        login_verified(self.client, me.user)  # type: ignore[arg-type]
        own = self.client.get(detail)
        self.assertIsNotNone(own.context)  # made for them, not the anonymous copy
        self.assertContains(own, reverse("accounts:logout"))
        # A visitor with a message waiting (the messages cookie) gets a page made for them too.
        visitor = Client()
        visitor.cookies["messages"] = "waiting"
        self.assertIsNotNone(visitor.get(detail).context)

    def test_free_text_that_could_name_someone_is_not_kept(self) -> None:
        search = reverse("activities:search")
        for words in ("koffie", "Jan de Vries uit Overvecht", "06 12345678", "jan@example.org"):
            self.client.get(search, {"q": words})
            again = self.client.get(search, {"q": words})
            if words == "koffie":
                self.assertIsNone(again.context)
            else:
                self.assertIsNotNone(again.context, words)

    def test_a_postcode_is_kept_but_an_address_with_its_house_number_is_not(self) -> None:
        search = reverse("activities:search")
        for where, kept in (("3561 AB", True), ("3561AB", True), ("Overvecht", True),
                            ("Oudegracht 12", False), ("3561 AB 7", False), ("jan@example.org", False)):  # fmt: skip
            self.client.get(search, {"where": where, "radius": "2"})
            again = self.client.get(search, {"where": where, "radius": "2"})
            with self.subTest(where):
                self.assertEqual(again.context is None, kept)

    def test_the_open_api_answers_from_the_cache_with_its_headers(self) -> None:
        url = reverse("hsds:service", kwargs={"id": str(self.activity.public_id)})
        made = self.client.get(url)
        with self.assertNumQueries(1):
            cached = self.client.get(url)
        self.assertEqual(cached.json(), made.json())
        self.assertEqual(cached["Access-Control-Allow-Origin"], "*")
        self.assertEqual(cached["Content-Type"], made["Content-Type"])
