# SPDX-License-Identifier: EUPL-1.2
"""The accounts room's declaration: the nine roles, organisation kinds, login pages, the demo's accounts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role
from omzien.lib.rooms import (
    EVERY_ROLE,
    PUBLIC,
    MenuEntry,
    OrganisationKindDecl,
    ProcessingPurpose,
    RoleDecl,
    Room,
    UrlRule,
)

_R = Role
ROLES = (
    RoleDecl(_R.RESIDENT, _R.RESIDENT.label, two_factor=False, demo_username="demo-bewoner",
             start_text=_("Here you see your details and who has looked at them.")),
    RoleDecl(_R.VOLUNTEER, _R.VOLUNTEER.label, two_factor=False, sees_residents=True,
             demo_username="demo-vrijwilliger", demo_organisation="Humanitas",
             start_text=_("Here you see the residents you have been matched with, and only what they agreed to share.")),
    RoleDecl(_R.MEAL_HOST, _R.MEAL_HOST.label, two_factor=False, sees_residents=True,
             demo_username="demo-gastgezin", demo_organisation="Eet Mee",
             start_text=_("Here you see the guests who eat with you, and only what they agreed to share.")),
    RoleDecl(_R.NEIGHBOURHOOD_PROFESSIONAL, _R.NEIGHBOURHOOD_PROFESSIONAL.label, sees_residents=True,
             demo_username="demo-buurtteam", demo_organisation="Buurtteam Overvecht",
             start_text=_("Here you find the residents with a case at your neighbourhood team, and you add new residents.")),
    RoleDecl(_R.COORDINATOR, _R.COORDINATOR.label, sees_residents=True, demo_username="demo-coordinator",
             demo_organisation="Humanitas",
             start_text=_("Here you find the residents who were referred to your organisation or asked it for help.")),
    RoleDecl(_R.ACTIVITY_PROVIDER, _R.ACTIVITY_PROVIDER.label, sees_residents=True, demo_username="demo-aanbieder",
             demo_organisation="AxionContinu",
             start_text=_("Here you find the residents registered for your activities.")),
    RoleDecl(_R.SOCIAL_BROKER, _R.SOCIAL_BROKER.label, sees_residents=True, demo_username="demo-makelaar",
             demo_organisation="U Centraal",
             start_text=_("Here you find the residents' initiatives of your wijken, the community centres and your network, and the residents referred to your organisation.")),
    RoleDecl(_R.POLICY_OFFICER, _R.POLICY_OFFICER.label, demo_username="demo-beleid",
             demo_organisation="Gemeente Utrecht",
             start_text=_("Here you find figures for the whole city. You never see individual residents.")),
    RoleDecl(_R.ADMINISTRATOR, _R.ADMINISTRATOR.label, demo_username="demo-beheer",
             demo_organisation="Gemeente Utrecht",
             start_text=_("Here you manage accounts and organisations, and you read the access log. You do not see cases.")),
)  # fmt: skip


def _demo(ctx: Any) -> None:
    from omzien.accounts.demo import demo_accounts_seed

    demo_accounts_seed(ctx)


ROOM = Room(
    label="accounts",
    urls="account/",
    roles=ROLES,
    # The kinds every installation has; other rooms add theirs (a GP practice, a housing corporation...).
    organisation_kinds=tuple(OrganisationKindDecl(kind.value, kind.label) for kind in Organisation.Kind),
    permissions={
        Role.ADMINISTRATOR: (
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "auth.view_group",
            # Confirming or refusing another administrator's privileged change (four eyes).
            "accounts.view_rolegrantrequest",
            "accounts.change_rolegrantrequest",
            # Unlocking accounts is the administrator's work; removing a lost authenticator app is asked
            # for by one administrator and done when a second one confirms (four eyes: with a password
            # set in the admin, one administrator could otherwise take over a professional's account).
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
            "otp_totp.view_totpdevice",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(_("Start"), "accounts:start", EVERY_ROLE, order=0),
        MenuEntry(_("Administration"), "admin:index", frozenset({Role.ADMINISTRATOR}), order=30),
    ),
    url_policy={
        # Logging in and out is public; the rest needs a logged-in user of any role.
        "accounts:login": UrlRule(allowed=frozenset({PUBLIC}), ok_status=(200, 302)),
        "accounts:logout": UrlRule(allowed=frozenset({PUBLIC}), method="post", ok_status=(302,)),
        "accounts:two_factor": UrlRule(allowed=EVERY_ROLE, ok_status=(200, 302)),
        "accounts:two_factor_setup": UrlRule(allowed=EVERY_ROLE, ok_status=(200, 302)),
        "accounts:session_extend": UrlRule(allowed=EVERY_ROLE, method="post"),
        # DigiD (OpenID Connect): 404 while no broker is configured, as in the tests; accounts/tests/test_oidc.py
        # runs the whole flow against a real provider.
        "accounts:oidc_login": UrlRule(allowed=frozenset({PUBLIC}), ok_status=(302, 404)),
        "accounts:oidc_callback": UrlRule(allowed=frozenset({PUBLIC}), ok_status=(403, 404)),
        "accounts:start": UrlRule(allowed=EVERY_ROLE),
        # One-role accounts are sent back with a message that they hold no other role.
        "accounts:role_switch": UrlRule(
            allowed=EVERY_ROLE, method="post", ok_status=(302,), data={"role": "resident"}
        ),
        # 404 while demo mode is off (as in the tests); test_demo_login covers it switched on.
        "accounts:demo_login": UrlRule(
            allowed=frozenset({PUBLIC}), method="post", ok_status=(302, 404), data={"role": "resident"}
        ),
        "accounts:password_reset": UrlRule(allowed=frozenset({PUBLIC})),
        "accounts:password_reset_done": UrlRule(allowed=frozenset({PUBLIC})),
        "accounts:password_reset_confirm": UrlRule(
            allowed=frozenset({PUBLIC}),
            sample_kwargs=lambda name, world: {"uidb64": "MQ", "token": "set-password"},
        ),
        "accounts:password_reset_complete": UrlRule(allowed=frozenset({PUBLIC})),
    },
    demo=_demo,
    purposes=(
        ProcessingPurpose(
            key="accounts",
            name=_("Accounts and logging in"),
            legal_ground=_("Necessary for the service the user asked for and for its security (AVG art. 6(1)(b) "
                           "and (c))"),
            data_categories=(_("name, e-mail address, role and organisation"), _("login attempts"),
                             _("for residents who log in with DigiD: a keyed hash of the citizen service number "
                               "(BSN), never the number itself (Wabb art. 10)")),
            subject_categories=(_("residents, volunteers and staff with an account"),),
            recipients=(_("administrators"),),
            retention=_("until the account is closed"),
        ),
    ),  # fmt: skip
)
