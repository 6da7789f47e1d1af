# SPDX-License-Identifier: EUPL-1.2
"""A small city for access tests: two buurtteams, partners, one user per role, residents on both sides.

The ground floor's part (places, organisations, a user for each of the nine roles, residents and
their links) is built here; then every room's ``test_world(world)`` adds its own objects (under
``world.extra``) and, for a role it adds, its persona (``world.add_user``), in ``demo_after`` order.

Personas (after hc's Alice, Bob and Charlie): the users of team A and its partners have a reason to
see ``resident_a``; nobody but team B sees ``resident_b``; ``resident_self`` is the resident user's
own record. Marker strings in the records let tests search rendered pages for leaked fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import Group

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import AddedRole, Role, role_for_value, role_needs_two_factor
from omzien.geo.models import District, Municipality, Neighbourhood
from omzien.lib.rooms import rooms_in_dependency_order
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink

PASSWORD = "een-lang-test-wachtwoord"  # noqa: S105 - test fixture
STREET_MARKER = "Geheimstraat 77"
BIRTH_MARKER = date(1941, 2, 3)


@dataclass
class World:
    organisations: dict[str, Organisation]
    users: dict[Role | AddedRole, User]
    residents: dict[str, Resident]
    other_team_user: User
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.users[role]  # type: ignore[index]

    def add_user(self, role: str, organisation_key: str | None) -> User:
        """Create the persona of a role a room adds, working at one of the world's organisations."""
        found = role_for_value(str(role))
        assert found is not None, f"no room declares the role {role!r}"
        user = _user(
            found.value.replace("_", "-"),
            found,
            self.organisations[organisation_key] if organisation_key else None,
        )
        self.users[found] = user
        return user


def _user(username: str, role: str, organisation: Organisation | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=organisation,
                                    first_name=username.title(), email=f"{username}@example.org",
                                    is_staff=role == Role.ADMINISTRATOR)  # fmt: skip
    user.groups.add(Group.objects.get(name=str(role)))
    return user


def build_world() -> World:
    """Create the access-test city and return it."""
    municipality = Municipality.objects.create(code="GM0344", name="Utrecht")
    district = District.objects.create(code="WK034403", name="Overvecht", municipality=municipality)
    buurt_a = Neighbourhood.objects.create(code="BU03440321", name="Zamenhofdreef", district=district)
    buurt_b = Neighbourhood.objects.create(code="BU03440322", name="Neckardreef", district=district)
    kinds = Organisation.Kind
    orgs = {
        "team_a": Organisation.objects.create(name="Buurtteam A", kind=kinds.NEIGHBOURHOOD_TEAM),
        "team_b": Organisation.objects.create(name="Buurtteam B", kind=kinds.NEIGHBOURHOOD_TEAM),
        "humanitas": Organisation.objects.create(name="Humanitas", kind=kinds.VOLUNTEER_ORGANISATION),
        "rode_kruis": Organisation.objects.create(name="Rode Kruis", kind=kinds.VOLUNTEER_ORGANISATION),
        "axion": Organisation.objects.create(name="AxionContinu", kind=kinds.ACTIVITY_PROVIDER),
        "u_centraal": Organisation.objects.create(name="U Centraal", kind=kinds.WELFARE_ORGANISATION),
        "eet_mee": Organisation.objects.create(name="Eet Mee", kind=kinds.MEAL_COORDINATION),
        "gemeente": Organisation.objects.create(name="Gemeente Utrecht", kind=kinds.MUNICIPALITY),
    }
    orgs["team_a"].neighbourhoods.add(buurt_a)
    orgs["team_b"].neighbourhoods.add(buurt_b)
    home = {
        Role.RESIDENT: None, Role.VOLUNTEER: "humanitas", Role.MEAL_HOST: "eet_mee",
        Role.NEIGHBOURHOOD_PROFESSIONAL: "team_a", Role.COORDINATOR: "humanitas", Role.ACTIVITY_PROVIDER: "axion",
        Role.SOCIAL_BROKER: "u_centraal", Role.POLICY_OFFICER: "gemeente", Role.ADMINISTRATOR: "gemeente",
    }  # fmt: skip
    users: dict[Role | AddedRole, User] = {
        role: _user(role.value.replace("_", "-"), role, orgs[key] if key else None)
        for role, key in home.items()
    }
    other = _user("buurtteam-b", Role.NEIGHBOURHOOD_PROFESSIONAL, orgs["team_b"])

    def resident(first: str, last: str, buurt: Neighbourhood) -> Resident:
        return Resident.objects.create(
            first_name=first, last_name=last, date_of_birth=BIRTH_MARKER, street=STREET_MARKER, postcode="3561AB",
            city="Utrecht", neighbourhood=buurt, phone="06-12345678", email=f"{first.lower()}@example.nl", languages=["nl"],
        )  # fmt: skip

    resident_a = resident("Alida", "Aaldering", buurt_a)
    resident_b = resident("Bert", "Bakker", buurt_b)
    resident_self = resident("Sien", "Smit", buurt_a)
    resident_self.user = users[Role.RESIDENT]
    resident_self.save(update_fields=["user"])
    professional = users[Role.NEIGHBOURHOOD_PROFESSIONAL]

    def link(person: Resident, kind: str, org: str, user: User | None = None) -> None:
        ResidentLink.objects.create(
            resident=person, kind=kind, organisation=orgs[org], user=user, source="test"
        )

    def share(person: Resident, org: str) -> None:
        ConsentEvent.objects.create(resident=person, purpose=ConsentPurpose.SHARING, organisation=orgs[org], given=True,
                                    method=ConsentMethod.VERBAL, recorded_by=professional)  # fmt: skip

    link(resident_a, ResidentLink.Kind.CASE, "team_a")
    link(resident_b, ResidentLink.Kind.CASE, "team_b")
    for partner, kind in (("humanitas", ResidentLink.Kind.REFERRAL), ("axion", ResidentLink.Kind.REGISTRATION),
                          ("u_centraal", ResidentLink.Kind.REFERRAL)):  # fmt: skip
        link(resident_a, kind, partner)
        share(resident_a, partner)
    # resident_b was referred to Rode Kruis and to Humanitas, but never consented to sharing with Humanitas.
    link(resident_b, ResidentLink.Kind.REFERRAL, "humanitas")
    # resident_b also asked Rode Kruis for help themselves, and consented to sharing with Humanitas
    # only for a referral that was never made: neither gives Humanitas a reason to see them.
    link(resident_b, ResidentLink.Kind.REQUEST, "rode_kruis")
    # resident_b was referred to team A, but only a case (not a referral) lets a buurtteam in.
    link(resident_b, ResidentLink.Kind.REFERRAL, "team_a")
    link(resident_a, ResidentLink.Kind.MATCH, "humanitas", users[Role.VOLUNTEER])
    link(resident_a, ResidentLink.Kind.MATCH, "eet_mee", users[Role.MEAL_HOST])
    world = World(
        organisations=orgs, users=users, other_team_user=other,
        residents={"a": resident_a, "b": resident_b, "self": resident_self},
    )  # fmt: skip
    for room in rooms_in_dependency_order(lambda room: room.demo_after):
        if room.test_world is not None:
            room.test_world(world)
    return world


def login_verified(client: Any, user: User) -> None:
    """Log the test client in as the user, with a confirmed TOTP device verified this session."""
    client.force_login(user)
    staff = [name for name in user.groups.values_list("name", flat=True) if role_needs_two_factor(name)]
    if staff:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, defaults={"name": "test", "confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def main_region(html: str) -> str:
    """The page's <main> element only: what a test means by 'the page shows', without the header's
    session timestamp or the footer."""
    start, end = html.find("<main"), html.find("</main>")
    assert start != -1 and end != -1, "page has no <main> region"
    return html[start:end]
