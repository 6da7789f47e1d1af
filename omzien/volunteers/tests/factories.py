# SPDX-License-Identifier: EUPL-1.2
"""A small volunteer centre for tests: two organisations with a coordinator each, a carer support
point, postcodes with coordinates, and helpers that make volunteers at any stage through the services."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from omzien.accounts.models import Organisation, User
from omzien.audit import events
from omzien.geo.models import District, Municipality, Neighbourhood, Postcode
from omzien.volunteers import services
from omzien.volunteers.models import Intake, Training, TrainingSession, Vacancy, Volunteer

_counter = itertools.count(1)
PASSWORD = "x-long-password-1"  # noqa: S105 - test fixture


def grant_room_permissions() -> None:
    """Give the roles this room's grants (idempotent; the ground floor's sync does the same)."""
    from omzien.volunteers.room import ROOM

    for role, permissions in ROOM.permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Centre:
    def __init__(self) -> None:
        grant_room_permissions()
        municipality = Municipality.objects.get_or_create(code="GM0344", defaults={"name": "Utrecht"})[0]
        self.district = District.objects.get_or_create(code="WK034403", defaults={"name": "Overvecht", "municipality": municipality})[0]
        self.buurt = Neighbourhood.objects.get_or_create(code="BU03440321", defaults={"name": "Zamenhofdreef", "district": self.district})[0]
        for code, lat, lon in (("3561AA", 52.10, 5.10), ("3561BB", 52.11, 5.10), ("3562CC", 52.10, 5.18)):
            Postcode.objects.get_or_create(code=code, defaults={"neighbourhood": self.buurt, "lat": lat, "lon": lon})
        kind = Organisation.Kind.VOLUNTEER_ORGANISATION
        self.humanitas = Organisation.objects.get_or_create(name="Humanitas", defaults={"kind": kind})[0]
        self.rode_kruis = Organisation.objects.get_or_create(name="Rode Kruis", defaults={"kind": kind})[0]
        self.steunpunt = Organisation.objects.get_or_create(name="Steunpunt Mantelzorg", defaults={"kind": kind})[0]
        self.coordinator = self.user("coordinator", self.humanitas)
        self.other_coordinator = self.user("coordinator", self.rode_kruis)
        self.carer_coordinator = self.user("coordinator", self.steunpunt)

    def user(self, role: str, organisation: Organisation | None = None) -> User:
        n = next(_counter)
        user = User.objects.create_user(username=f"{role}{n}", password=PASSWORD, organisation=organisation,
                                        email=f"{role}{n}@example.org")  # fmt: skip
        user.groups.add(Group.objects.get(name=role))
        return user

    def actor(self, user: User | None = None) -> events.Actor:
        return events.actor_for_user(user or self.coordinator)

    def profile(self, **values: Any) -> services.ProfileData:
        n = next(_counter)
        data = {"first_name": f"Vera{n}", "last_name": "Vrijwilliger", "email": f"vera{n}@example.nl",
                "postcode": "3561AA", "work_kinds": ["visits"], "availability": 0b111, "languages": ["nl"]}  # fmt: skip
        data.update(values)
        return services.ProfileData(**data)

    def volunteer(self, organisation: Organisation | None = None, *, stage: str = Intake.Stage.REGISTERED,
                  vog_issued: date | None = None, user: User | None = None, **values: Any) -> Volunteer:  # fmt: skip
        organisation = organisation or self.humanitas
        intake = services.volunteer_signup(data=self.profile(**values), organisation=organisation, user=user,
                                           actor=events.Actor(display="anonymous", role="anonymous"))  # fmt: skip
        coordinator = User.objects.filter(organisation=organisation, groups__name="coordinator").first()
        if stage != Intake.Stage.REGISTERED:
            services.intake_stage_set(intake=intake, stage=stage, acting_user=coordinator, actor=self.actor(coordinator))
        if vog_issued is not None:
            services.vog_record(volunteer=intake.volunteer, organisation=organisation, requested_on=vog_issued - timedelta(days=14),
                                issued_on=vog_issued, acting_user=coordinator, actor=self.actor(coordinator))  # fmt: skip
        return intake.volunteer

    def training(self, organisation: Organisation | None = None, *, title: str = "Eenzaamheid herkennen") -> Training:
        return Training.objects.create(organisation=organisation or self.humanitas, title=title, description="Een avond.")

    def session(self, training: Training | None = None, *, capacity: int = 10, starts_at: datetime | None = None) -> TrainingSession:
        starts = starts_at or timezone.now() + timedelta(days=7)
        return TrainingSession.objects.create(training=training or self.training(), starts_at=starts,
                                              ends_at=starts + timedelta(hours=2), location="Wijkcentrum", capacity=capacity)  # fmt: skip

    def vacancy(self, organisation: Organisation | None = None, **values: Any) -> Vacancy:
        data = {"title": "Bezoekvrijwilliger", "description": "Bezoek een oudere.", "work_kind": "visits",
                "hours": "2 uur per week", "postcode": "3561AA"}  # fmt: skip
        data.update(values)
        return services.vacancy_save(organisation=organisation or self.humanitas, values=data)
