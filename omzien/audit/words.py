# SPDX-License-Identifier: EUPL-1.2
"""The access log's codes as words for people: the role and the purpose of each entry.

Entries keep the codes (the hash chain covers them; the auditor filters by them); the pages show the
words in the page's language. A role is named by the room that declares it; a purpose by the table
below (a purpose no room registered here is shown with its underscores as spaces, never as a bare code).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import rooms

PURPOSES = {
    "caseload": _("working with the resident (own caseload)"),
    "follow_up": _("following up the resident"),
    "own_record": _("the resident's own record"),
    "consent": _("recording consent"),
    "sharing": _("sharing with a partner organisation"),
    "measurement": _("loneliness measurement"),
    "contact_request": _("contact request from the self-test"),
    "activity_registration": _("registration for an activity"),
    "participants": _("participants of an activity"),
    "attendance": _("attendance at an activity"),
    "waiting_list": _("waiting list of an activity"),
    "allocation_round": _("allocation round of places"),
    "account_management": _("account management"),
    "login": _("logging in"),
    "training": _("training of volunteers"),
    "api_token": _("access key for the API"),
    "partner_api": _("partner organisation's system (API)"),
    "audit": _("checking the access log"),
    "signal_triage": _("assessing a signal"),
    "signal_follow_up": _("following up a signal"),
    "signal_duplicate_check": _("checking a signal for duplicates"),
    "volunteer_coordination": _("coordinating volunteers"),
    "carer_support": _("supporting informal carers"),
}


def role_label(value: str) -> str:
    """The role in words ("buurtteamprofessional"), as the room that declares it names it."""
    if not value:
        return ""
    for room in rooms():
        for decl in room.roles:
            if str(decl.value) == value:
                return str(decl.label)
    return value.replace("_", " ")


def purpose_label(value: str) -> str:
    """Why the record was read, in words."""
    if not value:
        return ""
    return str(PURPOSES[value]) if value in PURPOSES else value.replace("_", " ")
