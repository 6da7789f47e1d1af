# SPDX-License-Identifier: EUPL-1.2
"""The geo room's declaration: the administrator keeps the wijken, buurten and postcodes in the admin."""

from __future__ import annotations

from omzien.lib.rooms import Room

ROOM = Room(
    label="geo",
    permissions={
        "administrator": (
            "geo.view_municipality",
            "geo.view_district",
            "geo.view_neighbourhood",
            "geo.change_neighbourhood",
            "geo.view_postcode",
        ),
    },  # fmt: skip
)
