# SPDX-License-Identifier: EUPL-1.2
"""The demo city's organisations and accounts: a demo user per role, logged in with one click on the
home page (demo mode only), and a colleague in every buurtteam."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from omzien import policy
from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role, role_decls, role_for_value
from omzien.geo.models import District

DEMO_PASSWORD = "omzien-demo"  # noqa: S105 - printed on the home page's demo panel; demo mode only
# The demo's password hash, made once per process (hashing is slow on purpose).
_password_hash: dict[str, str] = {}

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
    ("CSP 't Zonnetje", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst voor Chinese ouderen, in hun eigen taal."),
    ("Stichting MORIA", Kind.VOLUNTEER_ORGANISATION, "Bezoekdienst voor Surinaamse ouderen."),
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


def _helpline_organisation() -> tuple[str, str, str]:
    """The listening helpline as the policy names it (the seed letter's "Telefonische Hulpdienst",
    called De Luisterlijn since 2019), so the demo shows the number every page shows."""
    talk = policy.get("helplines")["talk"]
    numbers = " / ".join(talk["numbers"])
    return talk["name"], Kind.HELPLINE, f"Dag en nacht een luisterend oor: {numbers}."


def demo_usernames() -> dict[Any, str]:
    """The demo user of each role that has one (role -> username), in role order."""
    return {
        role_for_value(value): decl.demo_username
        for value, decl in role_decls().items()
        if decl.demo_username
    }


def __getattr__(name: str) -> Any:
    # ``DEMO_USERNAMES`` was a constant before rooms declared their roles.
    if name == "DEMO_USERNAMES":
        return demo_usernames()
    raise AttributeError(name)


def demo_password_hash() -> str:
    if "hash" not in _password_hash:
        _password_hash["hash"] = make_password(DEMO_PASSWORD)
    return _password_hash["hash"]


def demo_user_create(ctx: Any, role: str, username: str, organisation: Organisation | None) -> User:
    """Create a demo account with the demo password in the role's group; record it in ``ctx.users``."""
    fake = ctx.fake
    user = User.objects.create(
        username=username, first_name=fake.first_name(), last_name=fake.last_name(),
        email=f"{username}@demo.omzien.localhost", password=demo_password_hash(), organisation=organisation,
        is_staff=role == Role.ADMINISTRATOR,
    )  # fmt: skip
    user.groups.add(Group.objects.get(name=str(role)))
    ctx.users.setdefault(str(role), user)
    return user


def demo_accounts_seed(ctx: Any) -> None:
    """The letter's organisations, a buurtteam per wijk, and a demo user for every role whose
    organisation exists by now (a room that adds a role and its organisation makes its own)."""
    for name, kind, description in [*ORGANISATIONS, _helpline_organisation()]:
        ctx.organisations[name] = Organisation.objects.create(name=name, kind=kind, description=description)
    for district in District.objects.order_by("code"):
        team = Organisation.objects.create(
            name=f"Buurtteam {district.name}", kind=Kind.NEIGHBOURHOOD_TEAM,
            description=f"Het buurtteam voor wijk {district.name}.",
        )  # fmt: skip
        team.neighbourhoods.set(district.neighbourhoods.all())
        ctx.organisations[team.name] = team
    for value, decl in role_decls().items():
        if not decl.demo_username:
            continue
        if decl.demo_organisation is None:
            demo_user_create(ctx, value, decl.demo_username, None)
        elif decl.demo_organisation in ctx.organisations:
            demo_user_create(ctx, value, decl.demo_username, ctx.organisations[decl.demo_organisation])
    # A colleague in every buurtteam, so each team has someone to log in as.
    own_team = role_decls()[Role.NEIGHBOURHOOD_PROFESSIONAL].demo_organisation
    for name, organisation in ctx.organisations.items():
        if organisation.kind == Kind.NEIGHBOURHOOD_TEAM and name != own_team:
            slug = name.removeprefix("Buurtteam ").lower().replace(" ", "-")
            colleague = User.objects.create(
                username=f"demo-buurtteam-{slug}", first_name=ctx.fake.first_name(), last_name=ctx.fake.last_name(),
                email=f"buurtteam-{slug}@demo.omzien.localhost", password=demo_password_hash(),
                organisation=organisation,
            )  # fmt: skip
            colleague.groups.add(Group.objects.get(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value))
