# SPDX-License-Identifier: EUPL-1.2
"""The access log's codes as words for people: the role and the purpose of each entry.

Entries keep the codes (the hash chain covers them; the auditor filters by them); the pages show the
words in the page's language. A role is named by the room that declares it; a purpose by the ground
floor's table below or the room that records it (`Room.access_purposes`); one nobody named is shown
with its underscores as spaces, never as a bare code.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import access_purpose_words, rooms

PURPOSES = {
    "caseload": _("working with the resident (own caseload)"),
    "follow_up": _("following up the resident"),
    "own_record": _("the resident's own record"),
    "consent": _("recording consent"),
    "sharing": _("sharing with a partner organisation"),
    "account_management": _("account management"),
    "login": _("logging in"),
    "audit": _("checking the access log"),
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
    words = PURPOSES.get(value) or access_purpose_words().get(value)
    return str(words) if words is not None else value.replace("_", " ")
