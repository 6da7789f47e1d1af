# SPDX-License-Identifier: EUPL-1.2
"""The audit room's declaration: the access log's auditor view."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import MenuEntry, Room, UrlRule

ADMINISTRATOR = frozenset({"administrator"})

ROOM = Room(
    label="audit",
    urls="audit/",
    permissions={"administrator": ("audit.view_accesslogentry",)},
    menu=(MenuEntry(_("Access log"), "audit:entries", ADMINISTRATOR, order=40),),
    url_policy={"audit:entries": UrlRule(allowed=ADMINISTRATOR)},
)
