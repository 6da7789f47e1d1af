# SPDX-License-Identifier: EUPL-1.2
"""A few streets of Overvecht for activity tests: postcodes with coordinates, a provider, residents."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from omzien.accounts.models import Organisation, User
from omzien.activities import search_index
from omzien.activities.models import Activity, Location, Schedule, Term, WaitingListEntry
from omzien.geo.models import District, Municipality, Neighbourhood, Postcode
from omzien.residents.models import Resident

_counter = itertools.count(1)


class Town:
    """One wijk with two buurten; postcodes 3561AA (centre), 3561BB (1.1 km north), 3562CC (5.5 km east)."""

    def __init__(self) -> None:
        self.municipality = Municipality.objects.create(
            code="GM0344", name="Utrecht", centroid_lat=52.09, centroid_lon=5.12
        )
        self.district = District.objects.create(code="WK034403", name="Overvecht", municipality=self.municipality,
                                                boundary={"type": "Polygon", "coordinates": [[[5.0, 52.0], [5.3, 52.0], [5.3, 52.2], [5.0, 52.0]]]})  # fmt: skip
        self.buurt = Neighbourhood.objects.create(
            code="BU03440321", name="Zamenhofdreef", district=self.district
        )
        self.far_buurt = Neighbourhood.objects.create(
            code="BU03440322", name="Neckardreef", district=self.district
        )
        Postcode.objects.create(code="3561AA", neighbourhood=self.buurt, lat=52.1000, lon=5.1000)
        Postcode.objects.create(code="3561BB", neighbourhood=self.buurt, lat=52.1100, lon=5.1000)
        Postcode.objects.create(code="3562CC", neighbourhood=self.far_buurt, lat=52.1000, lon=5.1800)
        Postcode.objects.create(code="3561", neighbourhood=self.buurt, lat=52.1050, lon=5.1000)
        self.provider = Organisation.objects.create(
            name="AxionContinu", kind=Organisation.Kind.ACTIVITY_PROVIDER
        )
        self.location = Location.objects.create(organisation=self.provider, name="Buurtkamer", postcode="3561AA",
                                                neighbourhood=self.buurt, lat=52.1000, lon=5.1000)  # fmt: skip

    def activity(self, capacity: int = 5, *, title: str = "Huiskamer", location: Location | None = None,
                 languages: list[str] | None = None, interests: tuple[str, ...] = (), weekday: int = 0,
                 start: time = time(10), **values: Any) -> Activity:  # fmt: skip
        activity = Activity.objects.create(
            organisation=self.provider, location=location or self.location, title=title, capacity=capacity,
            languages=languages or ["nl"], last_confirmed_at=timezone.now(), **values,
        )  # fmt: skip
        activity.interests.set(Term.objects.filter(vocabulary="interest", code__in=interests))
        Schedule.objects.create(activity=activity, weekday=weekday, starts_at=start,
                                ends_at=(datetime.combine(timezone.now().date(), start) + timedelta(hours=2)).time())  # fmt: skip
        search_index.refresh([activity.pk])
        activity.refresh_from_db()
        return activity

    def resident(self, postcode: str = "3561AA", *, languages: list[str] | None = None, user: bool = False,
                 email: str = "") -> Resident:  # fmt: skip
        n = next(_counter)
        account = None
        if user:
            account = User.objects.create_user(username=f"bewoner{n}", password="x-long-password-1")
            account.groups.add(Group.objects.get(name="resident"))
        return Resident.objects.create(
            first_name=f"Bewoner{n}", last_name="Test", postcode=postcode, languages=languages or ["nl"],
            neighbourhood=self.buurt if postcode.startswith("3561") else self.far_buurt, user=account, email=email,
        )  # fmt: skip

    def provider_user(self) -> User:
        user = User.objects.create_user(username=f"aanbieder{next(_counter)}", password="x-long-password-1",
                                        organisation=self.provider, email="aanbieder@example.org")  # fmt: skip
        user.groups.add(Group.objects.get(name="activity_provider"))
        return user


def wait(activity: Activity, resident: Resident, *, need: int = 1, days_ago: int = 0) -> WaitingListEntry:
    return WaitingListEntry.objects.create(activity=activity, resident=resident, need=need,
                                           joined_at=timezone.now() - timedelta(days=days_ago))  # fmt: skip
