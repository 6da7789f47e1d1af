# SPDX-License-Identifier: EUPL-1.2
"""A running initiative publishes its meetings in the sociale kaart (found by the public search, on the map and
in the HSDS API, with places) and asks for volunteers as a vacancy, through those rooms' services."""

from __future__ import annotations

from django.urls import reverse

from omzien.activities.models import Activity
from omzien.initiatives.models import Initiative
from omzien.initiatives.tests.base import InitiativesTestCase
from omzien.volunteers.models import Vacancy


class PublishTests(InitiativesTestCase):
    def test_a_granted_initiative_publishes_a_weekly_activity_that_residents_find(self) -> None:
        self.login()
        url = reverse("initiatives:publish", args=[self.initiative_a.public_id])
        refused = self.client.post(url, {"title": "Soep", "description": "Soep", "schedule": "wo 18:00-20:00", "capacity": "20"})
        self.assertContains(refused, "Only a granted or running initiative is published", status_code=400)
        self.granted()
        bad = self.client.post(url, {"title": "Soep", "description": "Soep", "schedule": "woensdag om zes", "capacity": "20"})
        self.assertContains(bad, "woensdag om zes", status_code=400)
        response = self.client.post(url, {"title": "Soep op woensdag in De Dreef", "description": "Samen soep eten.",
                                          "schedule": "wo 18:00-20:00", "capacity": "20", "centre": str(self.centre.pk)})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        activity = Initiative.objects.select_related("activity").get(pk=self.initiative_a.pk).activity
        assert activity is not None
        self.assertEqual((activity.capacity, activity.is_active, activity.location.name), (20, True, "Buurthuis De Dreef"))
        self.assertEqual([(s.weekday, s.starts_at.hour) for s in activity.schedules.all()], [(2, 18)])
        # A resident finds it in the public activity search, on the centre's page and in the open HSDS API.
        self.client.logout()
        self.assertContains(self.client.get(reverse("initiatives:centre", args=[self.centre.public_id])), "Soep op woensdag in De Dreef")
        self.assertContains(self.client.get(reverse("activities:search"), {"q": "Soep op woensdag"}), "Soep op woensdag in De Dreef")
        api = self.client.get("/api/hsds/services", {"search": "Soep op woensdag"})
        self.assertEqual(api.status_code, 200)
        self.assertIn(str(activity.public_id), api.content.decode())
        # Publishing again updates the same activity.
        self.login()
        self.client.post(url, {"title": "Soep op woensdag in De Dreef", "description": "Samen soep eten.",
                               "schedule": "wo 18:00-20:00\nza 12:00-13:00", "capacity": "25"})  # fmt: skip
        self.assertEqual(Activity.objects.filter(title="Soep op woensdag in De Dreef").count(), 1)
        self.assertEqual(Activity.objects.get(pk=activity.pk).schedules.count(), 2)

    def test_a_granted_initiative_asks_for_volunteers_in_the_volunteer_room(self) -> None:
        self.granted()
        self.login()
        response = self.client.post(reverse("initiatives:vacancy", args=[self.initiative_a.public_id]),
                                    {"title": "Koks voor de soep", "description": "Help koken.", "hours": "2 uur per week"})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        vacancy = Vacancy.objects.get(title="Koks voor de soep")
        self.assertTrue(vacancy.is_published)
        self.assertEqual(vacancy.district.name, "Overvecht")
        self.client.logout()
        self.assertContains(self.client.get(reverse("volunteers:vacancies"), {"q": "Koks"}), "Koks voor de soep")

    def test_the_update_form_shows_the_published_activity_and_sending_it_unchanged_changes_nothing(self) -> None:
        import re
        from html import unescape

        self.granted()
        self.login()
        url = reverse("initiatives:publish", args=[self.initiative_a.public_id])
        self.client.post(url, {"title": "Soep op woensdag in De Dreef", "description": "Samen soep eten.",
                               "schedule": "wo 18:00-20:00\nza 10:00-12:00 om de 2 weken", "capacity": "20",
                               "centre": str(self.centre.pk), "contact_phone": "030-1234567"})  # fmt: skip
        activity = Initiative.objects.get(pk=self.initiative_a.pk).activity
        assert activity is not None

        def state() -> tuple[object, ...]:
            found = Activity.objects.select_related("location").get(pk=activity.pk)
            assert found.location is not None
            return (found.title, found.description, found.capacity, found.contact_phone, found.contact_email,
                    found.location.name, found.location.postcode, found.location.wheelchair_accessible,
                    sorted((s.weekday, s.starts_at, s.ends_at, s.interval_weeks, s.public_id) for s in found.schedules.all()))  # fmt: skip

        before = state()
        page = self.client.get(reverse("initiatives:detail", args=[self.initiative_a.public_id])).content.decode()
        form = page[page.index('data-testid="publish"'):]
        form = form[: form.index("</form>")]
        values = {name: unescape(value) for name, value in re.findall(r'<input type="[a-z]+" name="(\w+)" value="([^"]*)"', form)}
        values.update({name: unescape(text).strip("\n") for name, text in re.findall(r'<textarea name="(\w+)"[^>]*>(.*?)</textarea>', form, re.S)})
        values["centre"] = re.search(r'<option value="(\d+)" selected', form).group(1)  # type: ignore[union-attr]
        self.assertEqual(values["title"], "Soep op woensdag in De Dreef")  # not the application's name
        self.assertEqual(values["schedule"], "wo 18:00-20:00\nza 10:00-12:00 om de 2 weken")
        self.assertEqual((values["capacity"], values["centre"], values["contact_phone"]), ("20", str(self.centre.pk), "030-1234567"))
        self.assertEqual(self.client.post(url, values).status_code, 302)
        self.assertEqual(state(), before)

    def test_a_meeting_place_without_a_centre_says_its_wheelchair_access_is_unknown(self) -> None:
        self.granted()
        self.login()
        self.client.post(reverse("initiatives:publish", args=[self.initiative_a.public_id]),
                         {"title": "Soep in de tuin", "description": "Soep.", "schedule": "wo 18:00-20:00", "capacity": "12"})  # fmt: skip
        activity = Initiative.objects.get(pk=self.initiative_a.pk).activity
        assert activity is not None and activity.location is not None
        self.assertIsNone(activity.location.wheelchair_accessible)
        page = self.client.get(reverse("activities:detail", args=[activity.public_id]))
        self.assertContains(page, "Wheelchair access unknown (not stated)")
        self.assertNotContains(page, "Not wheelchair accessible")
        # In a community centre with a step-free room it is known.
        self.room.wheelchair_accessible = True
        self.room.save()
        self.client.post(reverse("initiatives:publish", args=[self.initiative_a.public_id]),
                         {"title": "Soep in De Dreef", "description": "Soep.", "schedule": "wo 18:00-20:00", "capacity": "12",
                          "centre": str(self.centre.pk)})  # fmt: skip
        activity.refresh_from_db()
        self.assertContains(self.client.get(reverse("activities:detail", args=[activity.public_id])), "Wheelchair accessible")
