# SPDX-License-Identifier: EUPL-1.2
"""The audit room's declaration: the access log's auditor view."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import MenuEntry, ProcessingPurpose, Room, UrlRule

ADMINISTRATOR = frozenset({"administrator"})

ROOM = Room(
    label="audit",
    urls="audit/",
    permissions={"administrator": ("audit.view_accesslogentry",)},
    menu=(MenuEntry(_("Access log"), "audit:entries", ADMINISTRATOR, order=40),),
    url_policy={"audit:entries": UrlRule(allowed=ADMINISTRATOR)},
    purposes=(
        ProcessingPurpose(
            key="access_log",
            name=_("Logging who looked at whose data"),
            legal_ground=_("Legal obligation to secure health data (AVG art. 32; NEN 7513)"),
            data_categories=(_("who looked, when, at which record and why"), _("the address the request came from")),
            subject_categories=(_("residents"), _("staff and volunteers")),
            recipients=(_("the privacy officer"), _("the resident, about their own record")),
            retention=_("five years"),
        ),
    ),  # fmt: skip
)
