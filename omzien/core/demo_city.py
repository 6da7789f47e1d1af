# SPDX-License-Identifier: EUPL-1.2
"""The demo city: Utrecht's organisations, ten buurtteams, about 8,000 synthetic residents, demo users.

Deterministic from a seed and fast (bulk inserts). Every person in it is made up (Faker nl_NL);
the organisations are the ones named in the council letter, their descriptions written for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from omzien import policy
from omzien.accounts.demo import DEMO_USERNAMES
from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role
from omzien.geo.models import District, Neighbourhood, Postcode
from omzien.geo.services import demo_geography_load
from omzien.residents.models import (
    ConsentEvent,
    ConsentMethod,
    ConsentPurpose,
    ContactPreference,
    Resident,
    ResidentLink,
)

DEMO_PASSWORD = "omzien-demo"  # noqa: S105 - printed on the home page's demo panel; demo mode only

Kind = Organisation.Kind
ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Gemeente Utrecht", Kind.MUNICIPALITY, "De gemeente: beleid, cijfers en beheer."),
    (
        "U Centraal",
        Kind.WELFARE_ORGANISATION,
        "Sociaal makelaars en buurtcentra; steunt initiatieven van bewoners.",
    ),
    ("Humanitas", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst en maatjes voor mensen die eenzaam zijn."),
    ("Handje Helpen", Kind.VOLUNTEER_ORGANISATION, "Vrijwilligers voor praktische hulp en een maatje."),
    ("Stichting Present", Kind.VOLUNTEER_ORGANISATION, "Groepen vrijwilligers helpen mensen in hun buurt."),
    ("CSP 't Zonnetje", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst voor Surinaamse ouderen."),
    ("Stichting MORIA", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst voor Chinese ouderen, in hun eigen taal."),
    ("Hulp in de praktijk", Kind.VOLUNTEER_ORGANISATION, "Vrijwilligers voor klussen en vervoer."),
    ("Rode Kruis", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst en Burenhulp."),
    ("AxionContinu", Kind.ACTIVITY_PROVIDER, "Huiskamers in de wijk en dagbesteding voor ouderen."),
    ("De Nieuwe Jutter", Kind.ACTIVITY_PROVIDER, "Dagbesteding met werk in de wijk."),
    ("Digiwijs", Kind.ACTIVITY_PROVIDER, "Hulp bij computer, tablet en telefoon."),
    (
        "Vrijwilligerscentrale Utrecht",
        Kind.VOLUNTEER_ORGANISATION,
        "Brengt vraag en aanbod van vrijwilligerswerk samen.",
    ),
    ("Steunpunt Mantelzorg", Kind.VOLUNTEER_ORGANISATION, "Steun voor mantelzorgers."),
    (
        "Eet Mee",
        Kind.MEAL_COORDINATION,
        "Eet Mee! Vaste Gast: een oudere eet regelmatig mee bij een gastgezin.",
    ),
    ("EET met je hart", Kind.MEAL_COORDINATION, "Samen eten met ouderen in de buurt."),
]
# Where each demo user works (None: a resident has no organisation).
DEMO_ORGANISATION: dict[Role, str | None] = {
    Role.RESIDENT: None,
    Role.VOLUNTEER: "Humanitas",
    Role.MEAL_HOST: "Eet Mee",
    Role.NEIGHBOURHOOD_PROFESSIONAL: "Buurtteam Overvecht",
    Role.COORDINATOR: "Humanitas",
    Role.ACTIVITY_PROVIDER: "AxionContinu",
    Role.SOCIAL_BROKER: "U Centraal",
    Role.POLICY_OFFICER: "Gemeente Utrecht",
    Role.ADMINISTRATOR: "Gemeente Utrecht",
}
OTHER_LANGUAGES = ["ar", "tr", "ber", "zh", "srn", "pl", "en", "pap"]


@dataclass
class DemoCityResult:
    organisations: int
    residents: int
    users: int
    links: int
    already_loaded: bool = False


def _helpline_organisation() -> tuple[str, str, str]:
    """The listening helpline as the policy names it (the seed letter's "Telefonische Hulpdienst",
    called De Luisterlijn since 2019), so the demo shows the number every page shows."""
    talk = policy.get("helplines")["talk"]
    numbers = " / ".join(talk["numbers"])
    return talk["name"], Kind.HELPLINE, f"Dag en nacht een luisterend oor: {numbers}."


def demo_city_seed(*, seed: int = 344, residents: int = 8000) -> DemoCityResult:
    """Load the demo city into an empty database; a second run changes nothing."""
    demo_geography_load()
    if Organisation.objects.filter(name="U Centraal").exists():
        return DemoCityResult(
            Organisation.objects.count(),
            Resident.objects.count(),
            User.objects.count(),
            ResidentLink.objects.count(),
            True,
        )
    rng = random.Random(seed)
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    with transaction.atomic():
        organisations = {
            name: Organisation.objects.create(name=name, kind=kind, description=description)
            for name, kind, description in [*ORGANISATIONS, _helpline_organisation()]
        }
        for district in District.objects.order_by("code"):
            team = Organisation.objects.create(
                name=f"Buurtteam {district.name}", kind=Kind.NEIGHBOURHOOD_TEAM,
                description=f"Het buurtteam voor wijk {district.name}.",
            )  # fmt: skip
            team.neighbourhoods.set(district.neighbourhoods.all())
            organisations[team.name] = team
        users = _demo_users(organisations, fake)
        people = _residents(rng, fake, residents)
        links = _links_and_consents(rng, people, organisations, users)
        _contact_requests(fake, users[Role.NEIGHBOURHOOD_PROFESSIONAL].organisation)
        # The demo resident can log in and see their own record.
        demo_resident = people[0]
        demo_resident.user = users[Role.RESIDENT]
        demo_resident.save(update_fields=["user"])
        # The account carries the resident's own name, so the header and 'My details' agree.
        User.objects.filter(pk=demo_resident.user.pk).update(
            first_name=demo_resident.first_name, last_name=demo_resident.last_name
        )
        from omzien.activities.demo import demo_activities_seed

        demo_activities_seed(seed=seed)
    return DemoCityResult(len(organisations), len(people), len(users), links)


def _demo_users(organisations: dict[str, Organisation], fake: object) -> dict[Role, User]:
    password = make_password(DEMO_PASSWORD)
    groups = {group.name: group for group in Group.objects.all()}
    users: dict[Role, User] = {}
    for role, username in DEMO_USERNAMES.items():
        organisation_name = DEMO_ORGANISATION[role]
        user = User.objects.create(
            username=username,
            first_name=fake.first_name(),  # type: ignore[attr-defined]
            last_name=fake.last_name(),  # type: ignore[attr-defined]
            email=f"{username}@demo.omzien.localhost",
            password=password,
            organisation=organisations[organisation_name] if organisation_name else None,
            is_staff=role == Role.ADMINISTRATOR,
        )
        user.groups.add(groups[role.value])
        users[role] = user
    # A colleague in every buurtteam, so each team has someone to log in as.
    for name, organisation in organisations.items():
        if (
            organisation.kind == Kind.NEIGHBOURHOOD_TEAM
            and name != DEMO_ORGANISATION[Role.NEIGHBOURHOOD_PROFESSIONAL]
        ):
            slug = name.removeprefix("Buurtteam ").lower().replace(" ", "-")
            colleague = User.objects.create(
                username=f"demo-buurtteam-{slug}", first_name=fake.first_name(), last_name=fake.last_name(),  # type: ignore[attr-defined]
                email=f"buurtteam-{slug}@demo.omzien.localhost", password=password, organisation=organisation,
            )  # fmt: skip
            colleague.groups.add(groups[Role.NEIGHBOURHOOD_PROFESSIONAL.value])
    return users


def _residents(rng: random.Random, fake: object, count: int) -> list[Resident]:
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
                first_name=fake.first_name(),  # type: ignore[attr-defined]
                last_name=fake.last_name(),  # type: ignore[attr-defined]
                date_of_birth=today - timedelta(days=age * 365 + rng.randrange(365)),
                street=f"{fake.street_name()} {rng.randrange(1, 180)}",  # type: ignore[attr-defined]
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


def _contact_requests(fake: Any, team: Organisation | None) -> None:
    """Three self-test contact requests for the demo professional's team, the last already handled."""
    from django.utils import timezone

    from omzien.wellbeing.models import ContactRequest

    if team is None:
        return
    for index, (buurt, category, contact) in enumerate(
        zip(team.neighbourhoods.order_by("code")[:3], ("moderate", "severe", "very_severe"), ("phone", "email", "visit"),
            strict=False)
    ):  # fmt: skip
        made = ContactRequest.objects.create(
            name=fake.name(), phone=fake.phone_number(), email=fake.email() if contact == "email" else "",
            preferred_contact=contact, neighbourhood=buurt, team=team, category=category,
            consent_text="Demo: toestemming gegeven in de zelftest.",
        )  # fmt: skip
        # Made some days ago (the oldest first); the handled one a day after it was made.
        created = timezone.now() - timedelta(days=6 - index * 2)
        ContactRequest.objects.filter(pk=made.pk).update(
            created_at=created, handled_at=created + timedelta(days=1) if index == 2 else None
        )


def _links_and_consents(
    rng: random.Random,
    people: list[Resident],
    organisations: dict[str, Organisation],
    users: dict[Role, User],
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
    recorder = users[Role.NEIGHBOURHOOD_PROFESSIONAL]
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
        link(person, ResidentLink.Kind.MATCH, organisations["Humanitas"], users[Role.VOLUNTEER])
    for person in people[4:6]:
        link(person, ResidentLink.Kind.MATCH, organisations["Eet Mee"], users[Role.MEAL_HOST])
    ResidentLink.objects.bulk_create(links, batch_size=2000)
    ConsentEvent.objects.bulk_create(consents, batch_size=2000)
    return len(links)
