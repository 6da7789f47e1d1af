# SPDX-License-Identifier: EUPL-1.2
"""The residents room's declaration: the person record's pages, permissions, link kinds and demo people."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.lib.rooms import WITH_RESIDENTS, LinkKindDecl, MenuEntry, ProcessingPurpose, Room, UrlRule
from omzien.residents.models import ResidentLink

PROFESSIONAL = frozenset({Role.NEIGHBOURHOOD_PROFESSIONAL})
# What each role sees of a resident through a link (data minimisation, AVG art. 5).
ALL_FIELDS = (
    "first_name", "last_name", "date_of_birth", "street", "postcode", "city", "neighbourhood", "phone",
    "email", "languages", "preferred_contact",
)  # fmt: skip
PARTNER_FIELDS = (
    "first_name",
    "last_name",
    "neighbourhood",
    "phone",
    "email",
    "languages",
    "preferred_contact",
)
MATCH_FIELDS = ("first_name", "neighbourhood", "languages", "phone")


def resident_a(name: str, world: Any) -> dict[str, Any]:
    """The resident that team A and its partners have a reason to see (lib.testing.world)."""
    return {"public_id": world.residents["a"].public_id}


def _demo(ctx: Any) -> None:
    from omzien.residents.demo import demo_residents_seed

    demo_residents_seed(ctx)


Kind = ResidentLink.Kind
ROOM = Room(
    label="residents",
    urls="",
    permissions={
        Role.VOLUNTEER: ("residents.view_resident",),
        Role.MEAL_HOST: ("residents.view_resident",),
        Role.NEIGHBOURHOOD_PROFESSIONAL: (
            "residents.view_resident",
            "residents.add_resident",
            "residents.change_resident",
            "residents.record_consent",
        ),
        Role.COORDINATOR: ("residents.view_resident",),
        Role.ACTIVITY_PROVIDER: ("residents.view_resident",),
        Role.SOCIAL_BROKER: ("residents.view_resident",),
        Role.POLICY_OFFICER: ("residents.view_aggregates",),
    },  # fmt: skip
    menu=(
        MenuEntry(_("My details"), "residents:mine", frozenset({Role.RESIDENT}), order=30),
        MenuEntry(
            _("Who viewed my details"), "residents:my_access_log", frozenset({Role.RESIDENT}), order=31
        ),
        MenuEntry(_("My matches"), "residents:list", frozenset({Role.VOLUNTEER}), order=30),
        MenuEntry(_("Clients"), "residents:list", PROFESSIONAL, order=30),
        MenuEntry(_("New resident"), "residents:create", PROFESSIONAL, order=31),
        MenuEntry(
            # Not "Referrals": casework's closed-loop referrals have that menu entry (one name per thing).
            _("Residents we support"), "residents:list", frozenset({Role.COORDINATOR, Role.SOCIAL_BROKER}), order=30
        ),
        MenuEntry(_("Participants"), "residents:list", frozenset({Role.ACTIVITY_PROVIDER}), order=30),
        MenuEntry(_("Figures"), "residents:figures", frozenset({Role.POLICY_OFFICER}), order=30),
    ),
    # The access functions decide whom; these rules decide which roles reach the page.
    url_policy={
        "residents:list": UrlRule(allowed=WITH_RESIDENTS, personal_data=True),
        "residents:create": UrlRule(allowed=PROFESSIONAL, personal_data=True),
        "residents:detail": UrlRule(allowed=WITH_RESIDENTS, sample_kwargs=resident_a, personal_data=True),
        "residents:consent": UrlRule(allowed=PROFESSIONAL, sample_kwargs=resident_a, personal_data=True),
        "residents:mine": UrlRule(allowed=frozenset({Role.RESIDENT}), personal_data=True),
        "residents:my_access_log": UrlRule(allowed=frozenset({Role.RESIDENT}), personal_data=True),
        "residents:figures": UrlRule(allowed=frozenset({Role.POLICY_OFFICER})),
    },
    # The kinds of the first rooms, kept here until the casework and volunteers rooms take them over
    # (the activities room declares 'registration').
    link_kinds=(
        LinkKindDecl(
            Kind.CASE,
            Kind.CASE.label,
            {Role.NEIGHBOURHOOD_PROFESSIONAL: ALL_FIELDS},
            needs_sharing_consent=False,
        ),
        LinkKindDecl(
            Kind.REFERRAL,
            Kind.REFERRAL.label,
            {Role.COORDINATOR: PARTNER_FIELDS, Role.SOCIAL_BROKER: PARTNER_FIELDS},
        ),
        # The resident came to the organisation themselves: no separate sharing consent needed.
        LinkKindDecl(
            Kind.REQUEST,
            Kind.REQUEST.label,
            {Role.COORDINATOR: PARTNER_FIELDS, Role.SOCIAL_BROKER: PARTNER_FIELDS},
            needs_sharing_consent=False,
        ),
        LinkKindDecl(
            Kind.MATCH,
            Kind.MATCH.label,
            {Role.VOLUNTEER: MATCH_FIELDS, Role.MEAL_HOST: MATCH_FIELDS},
            needs_sharing_consent=False,
            personal=True,
        ),
    ),  # fmt: skip
    demo=_demo,
    demo_after=("accounts",),
    purposes=(
        ProcessingPurpose(
            key="neighbourhood_team_support",
            name=_("Support by the neighbourhood team"),
            legal_ground=_("Public task of the municipality under the Wmo 2015 (AVG art. 6(1)(e)); health data: "
                           "AVG art. 9(2)(h) with the Wmo 2015, art. 5.1.1"),
            data_categories=(_("name, date of birth, address and contact details"), _("household and network"),
                             _("which organisations work with the resident, and the resident's consents")),
            subject_categories=(_("residents who receive support"),),
            recipients=(_("the resident's neighbourhood team"),
                        _("organisations the resident consented to share with, only the fields they need")),
            retention=_("as long as the support lasts, and afterwards as long as the municipal retention policy sets"),
            special_categories=True,
        ),
    ),  # fmt: skip
)
