# SPDX-License-Identifier: EUPL-1.2
"""The council's reach figures from the other rooms, read literally against issue #23: day-activity places
against the city's target (small counts of residents hidden), the phone line's calls per month, and the
report's HTML document clean for axe-core as the PDF is tagged."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts.models import Organisation, User
from omzien.activities.models import Activity, Location
from omzien.casework.models import PhoneCall
from omzien.geo.models import District, Neighbourhood
from omzien.geo.services import demo_geography_load
from omzien.reports.council import calls_figures, occupancy_figures
from omzien.reports.services import demo_edition_create
from omzien.reports.tests.helpers import login, policy_officer

AMS = ZoneInfo("Europe/Amsterdam")


def _activities(places_taken: dict[str, list[tuple[int, int]]]) -> None:
    """Per wijk name: activities as (capacity, places taken)."""
    provider = Organisation.objects.create(name="Buurtaanbieder", kind=Organisation.Kind.ACTIVITY_PROVIDER)
    for wijk, activities in places_taken.items():
        buurt = Neighbourhood.objects.filter(district__name=wijk).order_by("code").first()
        place = Location.objects.create(organisation=provider, name=f"Buurthuis {wijk}", postcode="3500AA",
                                        neighbourhood=buurt)  # fmt: skip
        for number, (capacity, taken) in enumerate(activities):
            Activity.objects.create(organisation=provider, location=place, title=f"Koffie {wijk} {number}",
                                    capacity=capacity, places_taken=taken, languages=["nl"],
                                    last_confirmed_at=timezone.now())  # fmt: skip


class ReachSourcesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_geography_load()
        cls.user = policy_officer()
        demo_edition_create(year=2024, lonely_share=0.36, respondents=1500, seed=3, now=timezone.now())
        names = list(District.objects.order_by("code").values_list("name", flat=True))
        cls.big, cls.other, cls.small = names[0], names[1], names[2]
        _activities({cls.big: [(20, 15), (20, 10)], cls.other: [(30, 12)], cls.small: [(10, 2)]})
        line = Organisation.objects.create(name="De Luisterlijn Utrecht", kind=Organisation.Kind.HELPLINE)
        volunteer = User.objects.create_user(username="luisteraar", organisation=line)
        volunteer.groups.add(Group.objects.get(name="phone_line_volunteer"))
        for day, loneliness in ((datetime(2026, 9, 3, 20, tzinfo=AMS), True), (datetime(2026, 9, 17, 21, tzinfo=AMS), False),
                                (datetime(2026, 10, 1, 9, tzinfo=AMS), True)):  # fmt: skip
            PhoneCall.objects.create(organisation=line, volunteer=volunteer, started_at=day, duration_minutes=20,
                                     topic=PhoneCall.Topic.choices[0][0], loneliness_mentioned=loneliness, logged_at=day)  # fmt: skip

    def setUp(self) -> None:
        cache.clear()  # the council page keeps its figures ten minutes

    def test_places_against_the_target_with_small_counts_of_residents_hidden(self) -> None:
        figures = occupancy_figures(min_cell=10)
        rows = {row["wijk"]: row for row in figures["rows"]}
        self.assertEqual((rows[self.big]["places"], rows[self.big]["taken"]), (40, 25))
        self.assertAlmostEqual(rows[self.big]["occupancy"], 25 / 40)
        self.assertIsNone(rows[self.small]["taken"])  # 2 residents: hidden
        self.assertIsNone(
            rows[self.other]["taken"]
        )  # 12, its partner: the city's total would give the 2 away
        self.assertIsNone(rows[self.small]["occupancy"])
        self.assertEqual(rows[self.small]["places"], 10)  # places are not persons
        self.assertEqual(figures["city"]["places"], 80)
        login(self.client, self.user)
        page = self.client.get(reverse("reports:council")).content.decode()
        target = page.split('data-testid="places-target"', 1)[1].split("</p>", 1)[0]
        self.assertIn("80", target)
        self.assertIn(str(figures["target"]), target)
        table = page.split('data-testid="council-occupancy"', 1)[1].split("</table>", 1)[0]
        small_row = table.split(self.small, 1)[1].split("</tr>", 1)[0]
        self.assertNotIn(">2<", small_row.replace(" ", ""))

    def test_calls_per_month_count_the_phone_lines_anonymous_log(self) -> None:
        self.assertEqual(
            [(row["month"], row["calls"], row["loneliness"]) for row in calls_figures()],
            [("2026-09", 2, 1), ("2026-10", 1, 1)],
        )
        login(self.client, self.user)
        page = self.client.get(reverse("reports:council")).content.decode()
        table = page.split('data-testid="council-calls"', 1)[1].split("</table>", 1)[0]
        self.assertRegex(table.replace("\n", ""), r"2026-09</th>\s*<td[^>]*>2</td>\s*<td[^>]*>1</td>")


@pytest.mark.django_db
def test_the_report_document_is_clean_for_axe(page: Any) -> None:
    from omzien.lib.testing.browser import axe_check
    from omzien.reports.services import council_report_create
    from omzien.reports.tests.test_council_report import hand_made_records

    demo_geography_load()
    user = policy_officer()
    edition = demo_edition_create(year=2024, lonely_share=0.36, respondents=1500, seed=3, now=timezone.now())
    wijken = list(District.objects.order_by("code").values_list("code", flat=True))
    report = council_report_create(edition=edition, acting_user=user, records=hand_made_records(wijken))
    page.set_content(report.html)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("img:not([alt])").count() == 0
    axe_check(page)
    # On a phone nothing but a table's own scrolling region is wider than the screen.
    page.set_viewport_size({"width": 320, "height": 800})
    wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                      && !el.closest('.omzien-table-wrap'))
        .map(el => el.tagName + ': ' + (el.textContent || '').trim().slice(0, 40))""")
    assert wider == []
