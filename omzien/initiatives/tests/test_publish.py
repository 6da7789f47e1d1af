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
