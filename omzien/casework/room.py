# SPDX-License-Identifier: EUPL-1.2
"""The casework room's declaration: signals from every channel, the team queue, the phone line, the partner API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.casework.policies import CASE_RETENTION, POLICIES, RETENTION
from omzien.lib.rooms import (
    PUBLIC,
    AlgorithmDecl,
    DataExportSection,
    ErasureStep,
    MenuEntry,
    OrganisationKindDecl,
    ProcessingPurpose,
    ReportSection,
    ResidentPageEntry,
    RetentionRule,
    RoleDecl,
    Room,
    StartCard,
    UrlRule,
)

PARTNER_ROLE = "partner_professional"
PHONE_LINE_ROLE = "phone_line_volunteer"
PROFESSIONAL = frozenset({Role.NEIGHBOURHOOD_PROFESSIONAL.value})
PHONE_LINE = frozenset({PHONE_LINE_ROLE})
PARTNER = frozenset({PARTNER_ROLE})
# Who reports a worry while logged in: partner professionals, social brokers and volunteers.
REPORTERS = frozenset({PARTNER_ROLE, Role.SOCIAL_BROKER.value, Role.VOLUNTEER.value, Role.COORDINATOR.value})
EVERYONE = frozenset({PUBLIC})
# Who answers referrals to their organisation.
RECEIVERS = frozenset({Role.COORDINATOR.value, Role.SOCIAL_BROKER.value, Role.ACTIVITY_PROVIDER.value})
PARTNER_KINDS = (
    OrganisationKindDecl("huisartsenpraktijk", _("GP practice")),
    OrganisationKindDecl("woningcorporatie", _("housing corporation")),
    OrganisationKindDecl("politie", _("police")),
    OrganisationKindDecl("apotheek", _("pharmacy")),
)


def _worklist(user: Any) -> int:
    from omzien.casework.selectors import worklist_count

    return worklist_count(user)


def _own_worklist(user: Any) -> int:
    from omzien.casework.selectors import worklist_menu_count

    return worklist_menu_count(user)


def _referrals_open(user: Any) -> int:
    from omzien.casework.selectors import referrals_received

    return referrals_received(user).filter(status="sent").count()


def _extra(key: str, **more: Any) -> Any:
    def sample(name: str, world: Any) -> dict[str, Any]:
        return {"public_id": world.extra["casework"][key].public_id, **more}

    return sample


def _token(name: str, world: Any) -> dict[str, Any]:
    return {"token": world.extra["casework"]["link_token"]}


def _signal(key: str) -> Any:
    def sample(name: str, world: Any) -> dict[str, Any]:
        return {"public_id": world.extra["casework"][key].public_id}

    return sample


def _demo(ctx: Any) -> None:
    from omzien.casework.demo import casework_demo_seed
    from omzien.casework.services import route_defaults_ensure

    route_defaults_ensure()  # after a test's flush the migration's table is gone
    casework_demo_seed(ctx)


def _test_world(world: Any) -> None:
    from omzien.casework.demo import casework_test_world
    from omzien.casework.services import route_defaults_ensure

    route_defaults_ensure()  # after a test's flush the migration's table is gone
    casework_test_world(world)


def _expire(now: Any, dry_run: bool) -> int:
    from omzien.casework.services import signals_expire

    return signals_expire(now, dry_run)


def _export(resident: Any) -> Any:
    from omzien.casework.selectors import signals_of_resident_export

    return signals_of_resident_export(resident)


def _export_cases(resident: Any) -> Any:
    from omzien.casework.selectors import cases_of_resident_export

    return cases_of_resident_export(resident)


def _expire_cases(now: Any, dry_run: bool) -> int:
    from omzien.casework.services import cases_expire

    return cases_expire(now, dry_run)


def _erase(resident: Any) -> Any:
    from omzien.casework.services import signals_of_resident_erase

    return signals_of_resident_erase(resident)


def _figures(context: Any) -> Any:
    """Signals per source and outcome, and the phone line's calls (counts only, never a person)."""
    from omzien.casework.selectors import signals_by_source_and_outcome

    return {"signals": signals_by_source_and_outcome()}


URL_POLICY: dict[str, UrlRule] = {
    # The public form and its acknowledgement: no login, nothing personal shown back.
    "casework:public_report": UrlRule(allowed=EVERYONE),
    "casework:public_report_done": UrlRule(allowed=EVERYONE),
    # Logged-in reporters and the signals they may follow.
    "casework:report": UrlRule(allowed=REPORTERS),
    "casework:reported": UrlRule(allowed=REPORTERS, personal_data=True),
    # The team's queue and triage (the access function limits them to the team's own signals).
    "casework:queue": UrlRule(allowed=PROFESSIONAL, personal_data=True),
    "casework:signal": UrlRule(allowed=PROFESSIONAL, sample_kwargs=_signal("signal_a"), personal_data=True),
    "casework:signal_assign": UrlRule(
        allowed=PROFESSIONAL,
        method="post",
        ok_status=(200, 302),
        sample_kwargs=_signal("signal_a"),
        personal_data=True,
    ),
    "casework:signal_note": UrlRule(
        allowed=PROFESSIONAL,
        method="post",
        ok_status=(302,),
        sample_kwargs=_signal("signal_a"),
        data={"text": "Gebeld, geen gehoor."},
        personal_data=True,
    ),  # fmt: skip
    "casework:signal_duplicate": UrlRule(
        allowed=PROFESSIONAL,
        method="post",
        ok_status=(302,),
        sample_kwargs=_signal("signal_a"),
        personal_data=True,
    ),
    # Posted without an outcome: the page comes back with the message, the signal stays open.
    "casework:signal_decide": UrlRule(
        allowed=PROFESSIONAL,
        method="post",
        ok_status=(200,),
        sample_kwargs=_signal("signal_a"),
        personal_data=True,
    ),
    "casework:signal_notice": UrlRule(
        allowed=PROFESSIONAL, sample_kwargs=_signal("signal_a"), personal_data=True
    ),
    # The phone line's volunteers.
    "casework:calls": UrlRule(allowed=PHONE_LINE),
    # Cases: the team's professionals (the access functions limit them to their own team's cases).
    "casework:worklist": UrlRule(allowed=PROFESSIONAL, personal_data=True),
    "casework:clients": UrlRule(allowed=PROFESSIONAL, personal_data=True),
    "casework:case_new": UrlRule(allowed=PROFESSIONAL, sample_kwargs=_extra("walk_in"), personal_data=True),
    "casework:case": UrlRule(allowed=PROFESSIONAL, sample_kwargs=_extra("case_a"), personal_data=True),
    "casework:intake": UrlRule(allowed=PROFESSIONAL, sample_kwargs=_extra("case_new"), personal_data=True),
    "casework:advice": UrlRule(allowed=PROFESSIONAL, sample_kwargs=_extra("case_a"), personal_data=True),
    "casework:referral_new": UrlRule(
        allowed=PROFESSIONAL, sample_kwargs=_extra("case_a", route="visiting_service"), personal_data=True
    ),
    # Posted empty: the case page comes back with the form's message, nothing changed.
    "casework:case_wmo": UrlRule(
        allowed=PROFESSIONAL, method="post", sample_kwargs=_extra("case_a"), personal_data=True
    ),
    "casework:case_close": UrlRule(
        allowed=PROFESSIONAL, method="post", sample_kwargs=_extra("case_a"), personal_data=True
    ),
    "casework:case_assign": UrlRule(
        allowed=PROFESSIONAL, method="post", sample_kwargs=_extra("case_a"), personal_data=True
    ),
    "casework:follow_up": UrlRule(
        allowed=PROFESSIONAL, sample_kwargs=_extra("follow_up_a"), personal_data=True
    ),
    "casework:follow_up_link": UrlRule(
        allowed=PROFESSIONAL, method="post", sample_kwargs=_extra("follow_up_a"), personal_data=True
    ),
    # Referrals: the case's team, and the receiving organisation (the test world's referral goes to the
    # coordinator's organisation; a social broker or activity provider elsewhere gets a logged 404).
    "casework:referrals_received": UrlRule(allowed=RECEIVERS, personal_data=True),
    "casework:referral": UrlRule(
        allowed=PROFESSIONAL | {Role.COORDINATOR.value},
        sample_kwargs=_extra("referral_a"),
        personal_data=True,
    ),  # fmt: skip
    "casework:referral_answer": UrlRule(
        allowed=PROFESSIONAL | {Role.COORDINATOR.value},
        method="post",
        sample_kwargs=_extra("referral_a"),
        personal_data=True,
    ),  # fmt: skip
    # The resident's personal follow-up link: no account; it shows no personal data.
    "casework:answer": UrlRule(allowed=EVERYONE, sample_kwargs=_token),
    # The partner API answers only to an organisation key, never to a session: 401 for everyone here.
    "casework:api_signals": UrlRule(allowed=EVERYONE, method="post", ok_status=(401,)),
    "casework:api_signal": UrlRule(allowed=EVERYONE, ok_status=(401,), sample_kwargs=_signal("signal_a")),
}

ROOM = Room(
    label="casework",
    resident_page=(
        ResidentPageEntry(
            _("Case at your team (open one if there is none)"),
            "casework:case_new",
            "casework.handle_case",
            testid="case-new",
            order=20,
        ),
    ),
    urls="",
    roles=(
        RoleDecl(
            PARTNER_ROLE,
            _("partner professional"),
            two_factor=True,
            sees_residents=False,
            demo_username="demo-partner",
            demo_organisation="Huisartsenpraktijk Overvecht",
            start_text=_(
                "Here you report a worry about a resident to the neighbourhood team, and follow your reports."
            ),
        ),
        RoleDecl(
            PHONE_LINE_ROLE,
            _("phone line volunteer"),
            two_factor=False,
            demo_username="demo-luisterlijn",
            demo_organisation="De Luisterlijn",
            start_text=_(
                "Here you log the calls you take, anonymously. With the caller's consent a call goes to the neighbourhood team."
            ),
        ),
    ),  # fmt: skip
    organisation_kinds=PARTNER_KINDS,
    permissions={
        Role.NEIGHBOURHOOD_PROFESSIONAL: (
            "casework.triage_signal",
            "casework.handle_case",
            "casework.view_referral",
        ),
        PARTNER_ROLE: ("casework.report_signal",),
        Role.SOCIAL_BROKER: ("casework.report_signal", "casework.answer_referral", "casework.view_referral"),
        Role.VOLUNTEER: ("casework.report_signal",),
        Role.COORDINATOR: ("casework.report_signal", "casework.answer_referral", "casework.view_referral"),
        Role.ACTIVITY_PROVIDER: ("casework.answer_referral", "casework.view_referral"),
        PHONE_LINE_ROLE: ("casework.log_call",),
        Role.ADMINISTRATOR: (
            "casework.view_partnertoken",
            "casework.add_partnertoken",
            "casework.change_partnertoken",
            "casework.view_tokenuse",
            "casework.view_route",
            "casework.add_route",
            "casework.change_route",
            "casework.view_routetable",
            "casework.add_routetable",
            "casework.change_routetable",
            "casework.delete_routetable",
            "casework.view_routerule",
            "casework.add_routerule",
            "casework.change_routerule",
            "casework.delete_routerule",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(_("Signals"), "casework:queue", PROFESSIONAL, count=_worklist, order=15),
        MenuEntry(_("Worklist"), "casework:worklist", PROFESSIONAL, count=_own_worklist, order=12),
        MenuEntry(_("Cases"), "casework:clients", PROFESSIONAL, order=13),
        MenuEntry(
            _("Referrals received"), "casework:referrals_received", RECEIVERS, count=_referrals_open, order=14
        ),
        MenuEntry(_("Report a worry"), "casework:report", PARTNER, order=10),
        MenuEntry(_("My reports"), "casework:reported", PARTNER, order=11),
        MenuEntry(_("Report a worry"), "casework:report", REPORTERS - PARTNER, order=45),
        MenuEntry(_("Phone line"), "casework:calls", PHONE_LINE, order=10),
    ),
    start_cards=(
        StartCard(
            _("Signals"),
            _(
                "Worries about residents in your team's neighbourhoods: new, overdue and assigned to you, each with its deadline."
            ),
            "casework:queue",
            PROFESSIONAL,
            order=5,
        ),
        StartCard(
            _("Worklist"),
            _("Your intakes, stuck referrals and follow-ups due, and your team's."),
            "casework:worklist",
            PROFESSIONAL,
            order=4,
        ),
        StartCard(
            _("Referrals received"),
            _(
                "Residents referred to your organisation by a neighbourhood team: accept or decline, and say when it started and ended."
            ),
            "casework:referrals_received",
            RECEIVERS,
            order=6,
        ),
        StartCard(
            _("Report a worry"),
            _(
                "Worried about someone? The neighbourhood team of their neighbourhood looks at it within a few working days."
            ),
            "casework:report",
            REPORTERS,
        ),
        StartCard(
            _("Phone line"),
            _("Log a call anonymously; with the caller's consent the neighbourhood team contacts them."),
            "casework:calls",
            PHONE_LINE,
        ),
        # On the public home page.
        StartCard(
            _("Worried about someone?"),
            _(
                "Is a neighbour or family member very lonely, or not doing well? Tell the neighbourhood team, without an account."
            ),
            "casework:public_report",
            EVERYONE,
            order=15,
        ),
    ),  # fmt: skip
    url_policy=URL_POLICY,
    demo=_demo,
    demo_after=("accounts", "residents", "wellbeing", "activities"),
    test_world=_test_world,
    policies=POLICIES,
    retention=(
        RetentionRule(
            key="casework_signals",
            description=RETENTION.label,
            policy_key=RETENTION.key,
            default=RETENTION.default,
            apply=_expire,
            basis="AVG art. 5(1)(e); Wmo 2015 art. 5.1.1 (signals that became a case follow the case)",
        ),
        RetentionRule(
            key="casework_cases",
            description=CASE_RETENTION.label,
            policy_key=CASE_RETENTION.key,
            default=CASE_RETENTION.default,
            apply=_expire_cases,
            basis="AVG art. 5(1)(e); Wmo 2015 art. 5.1.1; term from the municipality's archival selection "
            "list (Archiefwet 1995 art. 5; VNG Selectielijst 2020), default five years after closing",
        ),
    ),  # fmt: skip
    purposes=(
        ProcessingPurpose(
            key="signal_triage",
            name=_("Signals about residents (zorgmeldingen) and their triage"),
            legal_ground=_(
                "Public task of the municipality (AVG art. 6(1)(e); Wmo 2015 art. 2.3.2 and 5.1.1)"
            ),
            data_categories=(
                _("name, address, date of birth and phone of the resident"),
                _("what the reporter noticed"),
                _("the reporter's name and contact details"),
                _("the triage decision"),
            ),
            subject_categories=(_("residents someone is worried about"), _("reporters")),
            recipients=(
                _("the neighbourhood team of the resident's neighbourhood"),
                _("Veilig Thuis or the crisis service, when the Meldcode leads there"),
            ),
            retention=_("one year after the decision, unless the signal became part of a case"),
            special_categories=True,
        ),
        ProcessingPurpose(
            key="case_support",
            name=_(
                "Support by the neighbourhood team: intake, network map, route advice, referrals and follow-up"
            ),
            legal_ground=_(
                "Public task of the municipality (AVG art. 6(1)(e); Wmo 2015 art. 2.3.2 and 5.1.1), with "
                "the resident's consent for support; sharing with an organisation on the resident's consent"
            ),
            data_categories=(
                _("name, address, date of birth and phone of the resident"),
                _("goals, interests and barriers"),
                _("the people around the resident (network map)"),
                _("loneliness measurements"),
                _("referrals and their answers"),
            ),
            subject_categories=(_("residents supported by a neighbourhood team"),),
            recipients=(
                _("the neighbourhood team"),
                _("organisations the resident is referred to, only what the resident agreed to share"),
                _("the council, as anonymous figures of residents who agreed to statistics"),
            ),
            retention=_(
                "five years after the case closed and its last referral ended (policy), then removed with its signals"
            ),
            special_categories=True,
        ),
        ProcessingPurpose(
            key="phone_line",
            name=_("Anonymous log of phone line calls"),
            legal_ground=_("No personal data: date, duration, topic and advice only"),
            data_categories=(_("date, duration, topic, advice"),),
            subject_categories=(_("callers (anonymous)"),),
            recipients=(_("the council, as counts"),),
            retention=_("as long as the counts are needed"),
        ),
    ),
    data_export=(
        DataExportSection("signals", _("Signals about you"), _export),
        DataExportSection(
            "cases",
            _(
                "Your support by the neighbourhood team: intake, network map, routes, "
                "referrals and follow-ups"
            ),
            _export_cases,
        ),
    ),  # fmt: skip
    erasure=(
        ErasureStep(
            "casework_signals",
            _erase,
            labels={
                "signals": _("Signals (worries reported about the resident) removed"),
                "notes": _("Notes on those signals removed"),
            },
        ),
    ),  # fmt: skip
    algorithms=(
        AlgorithmDecl(
            key="route-advice",
            name=_("Route advice for a resident's support"),
            description=_(
                "From the intake and the latest loneliness measurement, a rule table proposes routes "
                "(for example a visiting volunteer, a day activity, support for a carer), each with the "
                "reasons that led to it and the points to keep in mind."
            ),
            goal=_(
                "Helps the neighbourhood team's professional consider every suitable route, the same way for "
                "everyone. The resident and the professional choose the routes together; the advice decides "
                "nothing by itself."
            ),
            data=_(
                "The kind of loneliness (social, emotional) and its category from the latest measurement; from "
                "the intake: whether the resident cares for someone, other problems, and barriers such as "
                "mobility, language, digital skills, money or shame."
            ),
            methods=_(
                "Fixed rules, no learning: each rule names a condition and a route. The rule table is "
                "municipal policy with versions; every stored advice keeps the version it came from."
            ),
            human_oversight=_(
                "The professional sees every proposal with its reasons and chooses the routes with the "
                "resident; choosing a route that was not proposed asks for a note saying why."
            ),
            legal_basis=_("Wmo 2015 art. 2.3.2 (investigation of the need for support)"),
            risks=_(
                "A rule table can miss a situation; the professional can always choose another route, and the "
                "choices against the advice show where the table needs changing."
            ),
            processing_purpose="case_support",
        ),
    ),  # fmt: skip
    report_sections=(ReportSection("signals", _("Signals per source and outcome"), _figures, order=30),),
    access_purposes={
        "api_token": _("access key for the API"),
        "partner_api": _("partner organisation's system (API)"),
        "signal_triage": _("assessing a signal"),
        "signal_follow_up": _("following up a signal"),
        "signal_duplicate_check": _("checking a signal for duplicates"),
        "case_support": _("support in a case of the neighbourhood team"),
        "case_worklist": _("the worklist of a neighbourhood team"),
        "referral": _("a referral to an organisation"),
        "follow_up_link": _("a follow-up answered through a personal link"),
        "route_table": _("the route rule table"),
    },
)
