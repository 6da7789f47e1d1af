# SPDX-License-Identifier: EUPL-1.2
"""The rights room's declaration: residents' AVG requests and export, the privacy officer, retention,
and the statements a municipal site publishes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.lib.rooms import (
    PUBLIC,
    DataExportSection,
    MenuEntry,
    ProcessingPurpose,
    ResidentPageEntry,
    RetentionRule,
    RoleDecl,
    Room,
    StartCard,
    UrlRule,
)
from omzien.rights.policies import EXPORT_PDF_RETENTION, POLICIES, REQUEST_RETENTION

OFFICER_ROLE = "privacy_officer"
OFFICER = frozenset({OFFICER_ROLE})
RESIDENT = frozenset({Role.RESIDENT.value})
PROFESSIONAL = frozenset({Role.NEIGHBOURHOOD_PROFESSIONAL.value})
EVERYONE = frozenset({PUBLIC})


def _open(user: Any) -> int:
    from omzien.rights.selectors import open_request_count

    return open_request_count(user)


def _record(resident: Any) -> Any:
    from omzien.rights.selectors import resident_record_export

    return resident_record_export(resident)


def _requests(resident: Any) -> Any:
    from omzien.rights.selectors import privacy_requests_export

    return privacy_requests_export(resident)


def _expire(now: Any, dry_run: bool) -> int:
    from omzien.rights.services import privacy_requests_expire

    return privacy_requests_expire(now, dry_run)


def _expire_pdfs(now: Any, dry_run: bool) -> int:
    from omzien.rights.services import export_pdfs_expire

    return export_pdfs_expire(now, dry_run)


def _demo(ctx: Any) -> None:
    """The demo resident's DigiD login (the demo provider's user 'demo-bewoner') is linked already; the
    provider's 'nieuwe-bewoner' is not: a professional makes a link code on a client's page for that."""
    from django.conf import settings

    from omzien.accounts.demo_provider import DEMO_BSN_LINKED
    from omzien.accounts.models import OidcIdentity
    from omzien.accounts.oidc import subject_hash

    resident_user = ctx.users.get(Role.RESIDENT.value)
    if settings.OMZIEN_OIDC_SUBJECT_KEY and resident_user is not None:
        OidcIdentity.objects.create(user=resident_user, subject_hash=subject_hash(DEMO_BSN_LINKED))


def _test_world(world: Any) -> None:
    """The privacy officer's persona at the municipality, and an open erasure request of resident A."""
    from omzien.rights.services import request_submit

    world.add_user(OFFICER_ROLE, "gemeente")
    world.extra["rights"] = {
        "request": request_submit(resident=world.residents["a"], kind="erasure", explanation="",
                                  acting_user=world.user(Role.RESIDENT)),
    }  # fmt: skip


def _resident_a(name: str, world: Any) -> dict[str, Any]:
    return {"public_id": world.residents["a"].public_id}


def _request(name: str, world: Any) -> dict[str, Any]:
    return {"public_id": world.extra["rights"]["request"].public_id}


URL_POLICY: dict[str, UrlRule] = {
    "rights:mine": UrlRule(allowed=RESIDENT, personal_data=True),
    "rights:my_support": UrlRule(allowed=RESIDENT, personal_data=True),
    "rights:my_consents": UrlRule(allowed=RESIDENT, personal_data=True),
    "rights:export_json": UrlRule(allowed=RESIDENT, personal_data=True),
    # Without a PDF made for them (the test world has none) the resident is sent to their privacy page.
    "rights:export_pdf": UrlRule(allowed=RESIDENT, ok_status=(302,), personal_data=True),
    # GET: how the resident's PDF is doing (status only); POST asks for one (the rights tests).
    "rights:export_pdf_prepare": UrlRule(allowed=RESIDENT),
    "rights:queue": UrlRule(allowed=OFFICER, personal_data=True),
    "rights:detail": UrlRule(allowed=OFFICER, sample_kwargs=_request, personal_data=True),
    # Posted empty: the page says what is missing, nothing changes.
    "rights:extend": UrlRule(allowed=OFFICER, method="post", ok_status=(400,), sample_kwargs=_request,
                             personal_data=True),
    # The test world's request is an open erasure: lifting answers 400 with the reason, nothing changes.
    "rights:lift": UrlRule(allowed=OFFICER, method="post", ok_status=(400,), sample_kwargs=_request, personal_data=True),
    "rights:decide": UrlRule(allowed=OFFICER, method="post", ok_status=(400,), sample_kwargs=_request,
                             personal_data=True),
    # The professional makes a one-time DigiD link code for a client of theirs (resident A is team A's).
    "rights:link_code_create": UrlRule(allowed=PROFESSIONAL, method="post", sample_kwargs=_resident_a,
                                       personal_data=True),
    # Without a verified DigiD login waiting in the session it only says "log in with DigiD first".
    "rights:link_account": UrlRule(allowed=EVERYONE),
    "rights:privacy_statement": UrlRule(allowed=EVERYONE),
    "rights:register_csv": UrlRule(allowed=EVERYONE),
    "rights:algorithms_csv": UrlRule(allowed=EVERYONE),
    "rights:matrix": UrlRule(allowed=EVERYONE),
    "rights:cookies": UrlRule(allowed=EVERYONE),
    "rights:accessibility": UrlRule(allowed=EVERYONE),
}  # fmt: skip

ROOM = Room(
    label="rights",
    resident_page=(
        ResidentPageEntry(
            _("Make a link code"), "rights:link_code_create", "residents.change_resident", method="post",
            heading=_("Logging in with DigiD"), testid="make-link-code", order=90,
            text=_("The first time the resident logs in with DigiD, they type a one-time link code. Make one and hand "
                   "it over in person or by letter; a new code makes earlier ones stop working."),
        ),
        ResidentPageEntry(_("My support: plan, referrals, activities and how I was doing"), "rights:my_support",
                          page="own", order=10),
        ResidentPageEntry(_("My consents: who may see my data"), "rights:my_consents", page="own", order=20),
        ResidentPageEntry(_("Download all my data, or ask to correct or erase it"), "rights:mine", page="own",
                          order=30),
    ),  # fmt: skip
    urls="",
    roles=(
        # Not the administrator: the privacy officer handles requests and sees nothing of the case files.
        RoleDecl(
            OFFICER_ROLE,
            _("privacy officer"),
            two_factor=True,
            sees_residents=False,
            demo_username="demo-privacy",
            demo_organisation="Gemeente Utrecht",
            start_text=_(
                "Here you handle residents' requests under the AVG: access, correction, erasure, restriction and objection, each within its legal deadline."
            ),
        ),
    ),  # fmt: skip
    permissions={OFFICER_ROLE: ("rights.handle_privacy_request",)},
    menu=(
        MenuEntry(_("Privacy requests"), "rights:queue", OFFICER, count=_open, order=10),
        MenuEntry(_("My support"), "rights:my_support", RESIDENT, order=29),
        MenuEntry(_("My consents"), "rights:my_consents", RESIDENT, order=33),
        MenuEntry(_("My privacy"), "rights:mine", RESIDENT, order=32),
    ),
    start_cards=(
        StartCard(
            _("Privacy requests"),
            _(
                "Residents' requests under the AVG, soonest deadline first: extend with a reason, decide with reasons."
            ),
            "rights:queue",
            OFFICER,
            order=5,
        ),
        StartCard(
            _("My support"),
            _(
                "Your plan and routes, where you were referred, your volunteer or host, your activities and how you were doing."
            ),
            "rights:my_support",
            RESIDENT,
            order=10,
        ),
        StartCard(
            _("My consents"),
            _("Who may see your data. Withdraw a consent online; the page says what that changes."),
            "rights:my_consents",
            RESIDENT,
            order=35,
        ),
        StartCard(
            _("My privacy"),
            _("Download all your data, or ask to correct, erase or restrict it, or object to its use."),
            "rights:mine",
            RESIDENT,
            order=40,
        ),
    ),  # fmt: skip
    url_policy=URL_POLICY,
    test_world=_test_world,
    demo=_demo,
    demo_after=("accounts", "residents"),
    policies=POLICIES,
    data_export=(
        DataExportSection(
            "resident", _("Your details, consents and the organisations that work with you"), _record
        ),
        DataExportSection("privacy_requests", _("Your privacy requests"), _requests),
    ),
    retention=(
        RetentionRule(
            key="privacy_requests",
            description=REQUEST_RETENTION.label,
            policy_key=REQUEST_RETENTION.key,
            default=REQUEST_RETENTION.default,
            apply=_expire,
            basis="AVG art. 5(1)(e) and 5(2)",
        ),
        RetentionRule(
            key="export_pdfs",
            description=EXPORT_PDF_RETENTION.label,
            policy_key=EXPORT_PDF_RETENTION.key,
            default=EXPORT_PDF_RETENTION.default,
            apply=_expire_pdfs,
            basis="AVG art. 5(1)(c) and (e)",
        ),
    ),  # fmt: skip
    purposes=(
        ProcessingPurpose(
            key="privacy_requests",
            name=_(
                "Handling residents' requests under the AVG (access, correction, erasure, restriction, objection)"
            ),
            legal_ground=_("Legal obligation (AVG art. 6(1)(c) with articles 12 to 21)"),
            data_categories=(
                _("name and contact details of the requester"),
                _("the request and the decision"),
            ),
            subject_categories=(_("residents who make a request"),),
            recipients=(_("the municipality's privacy officer"),),
            retention=_(
                "the request and decision: as long as the accountability duty requires (AVG art. 5(2)); after an erasure without the name"
            ),
        ),
    ),  # fmt: skip
    access_purposes={
        "privacy_request": _("a request under the AVG"),
        "data_export": _("downloading your own data"),
        "account_link": _("linking your DigiD login to your record"),
    },
)
