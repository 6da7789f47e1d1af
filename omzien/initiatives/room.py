# SPDX-License-Identifier: EUPL-1.2
"""The initiatives room's declaration: residents' initiatives and their fund, community centres, the broker's network."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.initiatives.policies import POLICIES, RETENTION
from omzien.lib.rooms import (
    PUBLIC,
    DataExportSection,
    ErasureStep,
    MenuEntry,
    ProcessingPurpose,
    ReportSection,
    RetentionRule,
    Room,
    StartCard,
    UrlRule,
)

BROKER = frozenset({Role.SOCIAL_BROKER.value})
# Who books rooms in community centres: the brokers, and partners who run activities there.
BOOKERS = frozenset({Role.SOCIAL_BROKER.value, Role.ACTIVITY_PROVIDER.value, Role.COORDINATOR.value})
REACH = frozenset({Role.SOCIAL_BROKER.value, Role.POLICY_OFFICER.value})
EVERYONE = frozenset({PUBLIC})


def _open(user: Any) -> int:
    from omzien.initiatives.selectors import open_count

    return open_count(user)


def _world(key: str, field: str = "public_id") -> Any:
    def sample(name: str, world: Any) -> dict[str, Any]:
        return {"public_id": getattr(world.extra["initiatives"][key], field)}

    return sample


def _demo(ctx: Any) -> None:
    from omzien.initiatives.demo import initiatives_demo_seed

    initiatives_demo_seed(ctx)


def _test_world(world: Any) -> None:
    from omzien.initiatives.demo import initiatives_test_world

    initiatives_test_world(world)


def _expire(now: Any, dry_run: bool) -> int:
    from omzien import policy
    from omzien.initiatives.services import applications_expire

    return applications_expire(now, dry_run, policy.get(RETENTION.key))


def _export(resident: Any) -> Any:
    from omzien.initiatives.selectors import applications_of_resident_export

    return applications_of_resident_export(resident)


def _erase(resident: Any) -> Any:
    from omzien.initiatives.services import applications_of_resident_erase

    return applications_of_resident_erase(resident)


def _figures(context: Any) -> Any:
    """Initiatives, participants reached and room use per wijk (counts only, never a person)."""
    from django.utils import timezone

    from omzien.initiatives.selectors import reach_report

    # The reports room passes {"now": ...}; the figures are those of that moment's year.
    now = context.get("now") if isinstance(context, dict) else None
    return reach_report(timezone.localdate(now).year if now else None)


def _post(
    name: str, *, ok: tuple[int, ...] = (302,), key: str = "initiative_a", data: dict[str, Any] | None = None
) -> UrlRule:
    return UrlRule(allowed=BROKER, method="post", ok_status=ok, sample_kwargs=_world(key), data=data or {},
                   personal_data=True)  # fmt: skip


URL_POLICY: dict[str, UrlRule] = {
    "initiatives:apply": UrlRule(allowed=EVERYONE),
    "initiatives:apply_done": UrlRule(allowed=EVERYONE, ok_status=(404,)),  # without a signed receipt
    "initiatives:centres": UrlRule(allowed=EVERYONE),
    "initiatives:centre": UrlRule(allowed=EVERYONE, sample_kwargs=_world("centre")),
    "initiatives:list": UrlRule(allowed=BROKER, personal_data=True),
    "initiatives:budget": UrlRule(allowed=BROKER),
    "initiatives:reach": UrlRule(allowed=REACH),
    "initiatives:photo": UrlRule(allowed=BROKER, sample_kwargs=_world("photo"), personal_data=True),
    "initiatives:detail": UrlRule(allowed=BROKER, sample_kwargs=_world("initiative_a"), personal_data=True),
    # Posted without a step or with an empty form: the page answers with the message, nothing changes.
    "initiatives:step": _post("step"),
    "initiatives:grant": _post("grant", ok=(400,)),
    "initiatives:decline": _post("decline", ok=(400,)),
    "initiatives:evaluate": _post("evaluate", ok=(400,)),
    "initiatives:settle": _post("settle", ok=(400,)),
    "initiatives:note": _post("note", ok=(400,)),
    "initiatives:photo_add": _post("photo_add", ok=(400,)),
    "initiatives:publish": _post("publish", ok=(400,)),
    "initiatives:vacancy": _post("vacancy", ok=(400,)),
    "initiatives:letter": UrlRule(allowed=BROKER, sample_kwargs=_world("granted"), personal_data=True),
    "initiatives:letter_pdf": UrlRule(allowed=BROKER, sample_kwargs=_world("granted"), personal_data=True),
    "initiatives:calendar": UrlRule(allowed=BOOKERS, sample_kwargs=_world("centre")),
    "initiatives:book": UrlRule(allowed=BOOKERS, sample_kwargs=_world("centre")),
    # The walker posts no counts: the centre's broker gets the calendar again with the errors at their fields.
    "initiatives:visitors": UrlRule(
        allowed=BROKER, method="post", ok_status=(400,), sample_kwargs=_world("centre")
    ),
    # The confirmation page of another's booking in another wijk: 404 for the partners, the broker of the
    # wijk may cancel it.
    "initiatives:booking_cancel": UrlRule(
        allowed=BOOKERS, ok_status=(200, 404), sample_kwargs=_world("booking")
    ),
    "initiatives:network": UrlRule(allowed=BROKER, personal_data=True),
    "initiatives:worry": UrlRule(allowed=BROKER),
    "initiatives:key_figure": UrlRule(allowed=BROKER, sample_kwargs=_world("key_figure"), personal_data=True),
}

ROOM = Room(
    label="initiatives",
    urls="",
    permissions={
        Role.SOCIAL_BROKER: (
            "initiatives.handle_initiative",
            "initiatives.keep_network",
            "initiatives.book_room",
            "initiatives.view_reach",
        ),
        Role.ACTIVITY_PROVIDER: ("initiatives.book_room",),
        Role.COORDINATOR: ("initiatives.book_room",),
        Role.POLICY_OFFICER: ("initiatives.view_reach",),
        Role.ADMINISTRATOR: (
            "initiatives.view_budget",
            "initiatives.add_budget",
            "initiatives.change_budget",
            "initiatives.view_brokerarea",
            "initiatives.add_brokerarea",
            "initiatives.change_brokerarea",
            "initiatives.delete_brokerarea",
            "initiatives.view_centre",
            "initiatives.add_centre",
            "initiatives.change_centre",
            "initiatives.view_centreroom",
            "initiatives.add_centreroom",
            "initiatives.change_centreroom",
            "initiatives.delete_centreroom",
            "initiatives.view_openinghours",
            "initiatives.add_openinghours",
            "initiatives.change_openinghours",
            "initiatives.delete_openinghours",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(_("Initiatives"), "initiatives:list", BROKER, count=_open, order=12),
        MenuEntry(_("Community centres"), "initiatives:centres", BOOKERS, order=35),
        MenuEntry(_("Network"), "initiatives:network", BROKER, order=36),
        MenuEntry(_("Reach"), "initiatives:reach", REACH, order=37),
    ),
    start_cards=(
        StartCard(
            _("Residents' initiatives"),
            _(
                "Applications to the neighbourhood initiative fund of your wijken: talk, decide (with the letter), follow them and publish their meetings."
            ),
            "initiatives:list",
            BROKER,
            order=5,
        ),
        StartCard(
            _("Initiative fund"),
            _("The budget of your wijken per year: granted, settled and left."),
            "initiatives:budget",
            BROKER,
            order=6,
        ),
        StartCard(
            _("Community centres"),
            _("Rooms, opening hours and bookings per week or day; book a room, also every week."),
            "initiatives:centres",
            BOOKERS,
            order=40,
        ),
        StartCard(
            _("Network"),
            _("Key figures and organisations in your wijken, your contacts and agreements with them."),
            "initiatives:network",
            BROKER,
            order=41,
        ),
        StartCard(
            _("Reach"),
            _("Initiatives, participants and room use per wijk, on a map and in a table."),
            "initiatives:reach",
            REACH,
            order=42,
        ),
        # On the public home page.
        StartCard(
            _("Start your own initiative"),
            _(
                "A meal, a walking group, a repair café? Ask the neighbourhood initiative fund for support: the social broker helps you."
            ),
            "initiatives:apply",
            EVERYONE,
            order=25,
        ),
        StartCard(
            _("Community centres"),
            _("Where they are, their rooms and opening hours."),
            "initiatives:centres",
            EVERYONE,
            order=26,
        ),
    ),  # fmt: skip
    url_policy=URL_POLICY,
    demo=_demo,
    demo_after=("accounts", "residents", "activities", "volunteers", "casework"),
    test_world=_test_world,
    policies=POLICIES,
    retention=(
        RetentionRule(
            key="initiative_applications",
            description=RETENTION.label,
            policy_key=RETENTION.key,
            default=RETENTION.default,
            apply=_expire,
            basis="Archiefwet 1995; VNG Selectielijst 2020 (subsidies: 7 years after settlement)",
        ),
    ),  # fmt: skip
    purposes=(
        ProcessingPurpose(
            key="initiative_fund",
            name=_("Applications to the neighbourhood initiative fund and their decisions"),
            legal_ground=_("Public task of the municipality (AVG art. 6(1)(e); Awb title 4.2, subsidies)"),
            data_categories=(
                _("name, e-mail address and phone of the contact person"),
                _("the initiative and the decision"),
            ),
            subject_categories=(_("residents who apply for an initiative"),),
            recipients=(_("the social broker of the wijk"),),
            retention=_("seven years after the final settlement or the refusal"),
        ),
        ProcessingPurpose(
            key="broker_network",
            name=_("The social broker's network of key figures"),
            legal_ground=_(
                "Legitimate interest of the welfare organisation in its work in the wijk (AVG art. 6(1)(f))"
            ),
            data_categories=(_("name, role in the wijk and contact details"), _("contacts and agreements")),
            subject_categories=(_("key figures in the wijk"),),
            recipients=(_("the social brokers of the wijk"),),
            retention=_("as long as the person is part of the network"),
        ),
    ),  # fmt: skip
    data_export=(
        DataExportSection("initiatives", _("Your applications for a residents' initiative"), _export),
    ),
    erasure=(
        ErasureStep(
            "initiative_applications",
            _erase,
            legal_hold=(
                _(
                    "Granted applications for a residents' initiative: kept seven years for the accounts (Archiefwet 1995)"
                ),
            ),
            labels={"applications": _("Applications for a residents' initiative: contact details removed")},
        ),
    ),
    report_sections=(
        ReportSection(
            "initiatives", _("Residents' initiatives and community centres per wijk"), _figures, order=40
        ),
    ),
    access_purposes={
        "initiative_handling": _("handling a residents' initiative"),
        "broker_network": _("the social broker's network"),
    },
)
