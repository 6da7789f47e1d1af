# SPDX-License-Identifier: EUPL-1.2
"""The sample room's declaration: everything the ground floor learns about it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import (
    AlgorithmDecl,
    DataExportSection,
    DemoContext,
    ErasureStep,
    LinkKindDecl,
    MenuEntry,
    OrganisationKindDecl,
    ProcessingPurpose,
    ReportSection,
    RetentionRule,
    RoleDecl,
    Room,
    StartCard,
    UrlRule,
)

ROLE = "neighbourhood_visitor"
VISITOR = frozenset({ROLE})
ORGANISATION_KIND = "visiting_service"
ORGANISATION = "Buurtbezoek Utrecht"
LINK_KIND = "neighbourhood_visit"


def _visits_count(user: Any) -> int:
    from omzien.lib.testing.sample_room.selectors import visited_residents

    return visited_residents(user).count()


def _demo(ctx: DemoContext) -> None:
    """A visiting service, its demo visitor, and a visit link for the first three demo residents."""
    from omzien.accounts.demo import demo_user_create
    from omzien.accounts.models import Organisation
    from omzien.residents.services import link_open

    service = Organisation.objects.create(name=ORGANISATION, kind=ORGANISATION_KIND)
    ctx.organisations[ORGANISATION] = service
    demo_user_create(ctx, ROLE, "demo-buurtbezoeker", service)
    for resident in ctx.residents[:3]:
        link_open(resident=resident, kind=LINK_KIND, organisation=service, source="sample_room.demo")
    ctx.extra["sample_room_visits"] = 3


def _test_world(world: Any) -> None:
    """The visitor's persona at a visiting service that visits resident A (not B)."""
    from omzien.accounts.models import Organisation
    from omzien.residents.services import link_open

    world.organisations["visiting_service"] = Organisation.objects.create(
        name=ORGANISATION, kind=ORGANISATION_KIND
    )
    world.add_user(ROLE, "visiting_service")
    link_open(resident=world.residents["a"], kind=LINK_KIND, organisation=world.organisations["visiting_service"],
              source="test")  # fmt: skip


def _export(resident: Any) -> dict[str, Any]:
    return {"visits": 1}


def _erase(resident: Any) -> dict[str, int]:
    return {"visits": 1}


def _purge(now: Any, dry_run: bool) -> int:
    return 0


ROOM = Room(
    label="sample_room",
    urls="buurtbezoek/",
    roles=(
        RoleDecl(
            ROLE,
            _("neighbourhood visitor"),
            two_factor=True,
            sees_residents=True,
            demo_username="demo-buurtbezoeker",
            demo_organisation=ORGANISATION,
            start_text=_("Here you find the residents your visiting service visits."),
        ),
    ),  # fmt: skip
    organisation_kinds=(OrganisationKindDecl(ORGANISATION_KIND, _("visiting service")),),
    permissions={ROLE: ("sample_room.plan_visit", "residents.view_resident")},
    menu=(MenuEntry(_("Visits"), "sample_room:visits", VISITOR, count=_visits_count, order=20),),
    start_cards=(
        StartCard(
            _("Neighbourhood visits"),
            _("The residents your service visits, and how many."),
            "sample_room:visits",
            VISITOR,
        ),
    ),  # fmt: skip
    url_policy={"sample_room:visits": UrlRule(allowed=VISITOR)},
    link_kinds=(
        LinkKindDecl(
            LINK_KIND,
            _("neighbourhood visit"),
            {ROLE: ("first_name", "neighbourhood")},
            needs_sharing_consent=False,
        ),
    ),  # fmt: skip
    demo=_demo,
    demo_after=("accounts", "residents"),
    test_world=_test_world,
    purposes=(
        ProcessingPurpose(
            key="neighbourhood_visits",
            name=_("Neighbourhood visits"),
            legal_ground=_("Consent of the resident"),
            data_categories=(_("first name"), _("neighbourhood")),
            subject_categories=(_("visited residents"),),
            recipients=(_("the visiting service"),),
            retention=_("one year after the last visit"),
        ),
    ),
    algorithms=(
        AlgorithmDecl(
            key="visit-rota",
            name=_("Visit rota"),
            description=_("Spreads the visits over the visitors."),
            data=_("The visitors' free days."),
            human_oversight=_("The coordinator changes any visit."),
        ),
    ),
    data_export=(DataExportSection("visits", _("Visits"), _export),),
    erasure=(ErasureStep("visits", _erase, labels={"visits": _("Visits removed")}),),
    retention=(RetentionRule("visits", _("Visits"), "sample_room.visit_retention", timedelta(days=365), _purge),),
    report_sections=(ReportSection("visits", _("Visits in the neighbourhood"), lambda edition: None, order=5),),
)
