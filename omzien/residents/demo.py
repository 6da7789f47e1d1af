# SPDX-License-Identifier: EUPL-1.2
"""The demo city's residents: about 8,000 synthetic people, their links and consents.

Deterministic from the demo's seed and fast (bulk inserts). Every person in it is made up (Faker nl_NL).
The first residents belong to the demo users' own stories: a case, a referral to Humanitas, a
registration at AxionContinu, and matches with the demo volunteer and meal host.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role
from omzien.geo.models import Neighbourhood, Postcode
from omzien.residents.models import (
    ConsentEvent,
    ConsentMethod,
    ConsentPurpose,
    ContactPreference,
    Resident,
    ResidentLink,
)

OTHER_LANGUAGES = ["ar", "tr", "ber", "zh", "srn", "pl", "en", "pap"]
Kind = Organisation.Kind


def demo_residents_seed(ctx: Any) -> None:
    """Add ``ctx.extra["demo_residents"]`` people (8,000 by default) with links and consents to ``ctx``."""
    people = _residents(ctx.rng, ctx.fake, ctx.extra.get("demo_residents", 8000))
    ctx.residents.extend(people)
    ctx.extra["demo_links"] = _links_and_consents(ctx.rng, people, ctx.organisations, ctx.users)
    # The demo resident can log in and see their own record.
    if Role.RESIDENT.value in ctx.users and people:
        demo_resident = people[0]
        demo_resident.user = ctx.users[Role.RESIDENT.value]
        demo_resident.save(update_fields=["user"])
        # The account carries the resident's own name, so the header and 'My details' agree.
        User.objects.filter(pk=demo_resident.user.pk).update(
            first_name=demo_resident.first_name, last_name=demo_resident.last_name
        )


def _residents(rng: random.Random, fake: Any, count: int) -> list[Resident]:
    neighbourhoods = list(Neighbourhood.objects.select_related("district").order_by("code"))
    weights = [n.population or 1 for n in neighbourhoods]
    postcodes: dict[int, list[str]] = {}
    for code, neighbourhood_id in Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$").values_list(
        "code", "neighbourhood_id"
    ):
        postcodes.setdefault(neighbourhood_id, []).append(code)
    today = date(2026, 1, 1)
    people = []
    for _ in range(count):
        neighbourhood = rng.choices(neighbourhoods, weights)[0]
        # Loneliness work reaches older residents most; ages 18-100, weighted towards 65+.
        age = int(min(100, max(18, rng.gauss(70, 14))))
        languages = ["nl"] + ([rng.choice(OTHER_LANGUAGES)] if rng.random() < 0.18 else [])
        has_email = rng.random() < 0.45
        people.append(
            Resident(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=today - timedelta(days=age * 365 + rng.randrange(365)),
                street=f"{fake.street_name()} {rng.randrange(1, 180)}",
                postcode=rng.choice(postcodes.get(neighbourhood.pk, [""])),
                city="Utrecht",
                neighbourhood=neighbourhood,
                phone=f"06-{rng.randrange(10_000_000, 99_999_999)}",
                email=f"bewoner{rng.randrange(10**6)}@example.nl" if has_email else "",
                languages=languages,
                preferred_contact=rng.choices(
                    [
                        ContactPreference.PHONE,
                        ContactPreference.VISIT,
                        ContactPreference.LETTER,
                        ContactPreference.EMAIL,
                    ],
                    [50, 25, 15, 10 if has_email else 0],
                )[0],
            )
        )
    return Resident.objects.bulk_create(people, batch_size=1000)


def _links_and_consents(
    rng: random.Random,
    people: list[Resident],
    organisations: dict[str, Organisation],
    users: dict[str, User],
) -> int:
    teams = {
        neighbourhood_id: organisation
        for organisation in organisations.values()
        if organisation.kind == Kind.NEIGHBOURHOOD_TEAM
        for neighbourhood_id in organisation.neighbourhoods.values_list("pk", flat=True)
    }
    volunteer_orgs = [
        o for o in organisations.values() if o.kind in (Kind.VOLUNTEER_ORGANISATION, Kind.MEAL_COORDINATION)
    ]
    activity_orgs = [o for o in organisations.values() if o.kind == Kind.ACTIVITY_PROVIDER]
    recorder = users[Role.NEIGHBOURHOOD_PROFESSIONAL.value]
    links: list[ResidentLink] = []
    consents: list[ConsentEvent] = []

    def link(person: Resident, kind: str, organisation: Organisation, user: User | None = None) -> None:
        links.append(
            ResidentLink(resident=person, kind=kind, organisation=organisation, user=user, source="demo")
        )

    def consent(
        person: Resident, purpose: str, method: str, organisation: Organisation | None = None
    ) -> None:
        consents.append(ConsentEvent(resident=person, purpose=purpose, organisation=organisation, given=True,
                                     method=method, recorded_by=recorder))  # fmt: skip

    for index, person in enumerate(people):
        draw = rng.random()
        # The first residents are the demo users' own: a case, a referral to Humanitas, a registration.
        with_case = index < 40 or draw < 0.2
        if with_case:
            link(person, ResidentLink.Kind.CASE, teams[person.neighbourhood_id or 0])
            consent(person, ConsentPurpose.SUPPORT, ConsentMethod.VERBAL)
        if index < 20 or (with_case and rng.random() < 0.4):
            partner = organisations["Humanitas"] if index < 20 else rng.choice(volunteer_orgs)
            link(person, ResidentLink.Kind.REFERRAL, partner)
            consent(person, ConsentPurpose.SHARING, ConsentMethod.VERBAL, partner)
        if index < 25 or rng.random() < 0.08:
            provider = organisations["AxionContinu"] if index < 25 else rng.choice(activity_orgs)
            link(person, ResidentLink.Kind.REGISTRATION, provider)
            consent(person, ConsentPurpose.SHARING, ConsentMethod.DIGITAL, provider)
        if rng.random() < 0.6:
            consent(person, ConsentPurpose.STATISTICS, ConsentMethod.DIGITAL)
    for person in people[1:4]:
        link(person, ResidentLink.Kind.MATCH, organisations["Humanitas"], users[Role.VOLUNTEER.value])
    for person in people[4:6]:
        link(person, ResidentLink.Kind.MATCH, organisations["Eet Mee"], users[Role.MEAL_HOST.value])
    ResidentLink.objects.bulk_create(links, batch_size=2000)
    ConsentEvent.objects.bulk_create(consents, batch_size=2000)
    return len(links)
