# SPDX-License-Identifier: EUPL-1.2
"""Reach per wijk: initiatives, participants, room use — for the broker on a map and in a table, and as an
aggregate section of the council's report (never a person)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from omzien.initiatives import services
from omzien.initiatives.maps import legend_for
from omzien.initiatives.models import Booking, Initiative, VisitorCount
from omzien.initiatives.selectors import reach_per_district
from omzien.initiatives.tests.base import InitiativesTestCase
from omzien.lib.rooms import report_sections


class ReachTests(InitiativesTestCase):
    def test_reach_counts_initiatives_participants_room_use_and_visitors_per_wijk(self) -> None:
        granted = self.granted("300")
        services.initiative_start(initiative=granted, acting_user=self.broker, actor=self.actor())
        services.initiative_evaluate(initiative=granted, participants=31, went_well="goed", could_be_better="",
                                     acting_user=self.broker, actor=self.actor())  # fmt: skip
        year = timezone.localdate().year
        day = date(year, 1, 2) if timezone.localdate() > date(year, 1, 3) else timezone.localdate()
        start = timezone.make_aware(datetime.combine(day, time(9)))
        Booking.objects.create(room=self.room, starts_at=start, ends_at=start + timedelta(hours=3), title="x", booked_for="x",
                               booked_at=start)  # fmt: skip
        VisitorCount.objects.create(centre=self.centre, day=day, part="morning", visitors=17)
        rows = {row.district: row for row in reach_per_district(year)}
        overvecht, zuid = rows["Overvecht"], rows["Zuid"]
        # Overvecht: A (now evaluated), the world's granted one; Zuid: B.
        self.assertEqual((overvecht.applications, overvecht.granted, overvecht.evaluated, overvecht.participants), (2, 2, 1, 31))
        self.assertEqual(overvecht.visitors, 17)
        self.assertGreaterEqual(overvecht.booked_hours, 3)
        self.assertEqual((zuid.applications, zuid.granted, zuid.participants), (1, 0, 0))

    def test_the_policy_officer_sees_the_map_and_table_and_the_report_section_without_a_person(self) -> None:
        self.login(self.world.user("policy_officer"))
        page = self.client.get(reverse("initiatives:reach"))
        self.assertContains(page, "Overvecht")
        self.assertNotContains(page, self.initiative_a.contact_name)
        self.assertEqual(self.client.get(reverse("initiatives:list")).status_code, 403)
        section = next(s for room, s in report_sections() if s.key == "initiatives")
        figures = section.build({"now": timezone.now()})  # as the reports room calls it
        self.assertEqual(figures["city"]["applications"], 3)
        self.assertNotIn(self.initiative_a.contact_name, str(figures))
        self.assertNotIn("contact", str(figures))

    def test_the_budget_page_shows_granted_settled_and_left_per_wijk(self) -> None:
        self.granted("400")
        self.login()
        page = self.client.get(reverse("initiatives:budget"))
        self.assertContains(page, "5,000.00")
        self.assertContains(page, "4,300.00")  # the world's grant of 300 and this one
        self.assertEqual(Decimal("700"), services.budget_committed(self.initiative_a.district_id, timezone.localdate().year))
        # On a Dutch page the amounts and dates are Dutch: a decimal comma, a thousands dot, "dec" not "Dec".
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        page = self.client.get(reverse("initiatives:budget"))
        self.assertContains(page, "5.000,00")
        self.assertContains(page, "4.300,00")
        self.assertContains(page, "700,00")
        listing = self.client.get(reverse("initiatives:list"), {"weergave": "all"})
        with translation.override("nl"):
            day = date_format(timezone.localtime(Initiative.objects.get(pk=self.initiative_a.pk).decided_at), "j b Y")
        self.assertContains(listing, day)
        self.assertNotContains(listing, date_format(timezone.localdate(), "j M Y"))  # Django's "M": "Dec", "Mrt"
        self.assertContains(listing, "€\u00a0400,00")

    def test_the_maps_legend_names_sensible_classes(self) -> None:
        self.assertEqual([label for _c, label in legend_for(0)], ["0"])
        self.assertEqual([label for _c, label in legend_for(2)], ["0", "1", "2"])
        self.assertEqual([label for _c, label in legend_for(4)], ["0", "1", "2", "3", "4"])
        self.assertEqual([label for _c, label in legend_for(10)], ["0", "1–3", "4–6", "7–9", "10"])
        self.assertEqual([label for _c, label in legend_for(12)], ["0", "1–3", "4–6", "7–9", "10–12"])
