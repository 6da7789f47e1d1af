# SPDX-License-Identifier: EUPL-1.2
"""The activities room's declarations (room contract: omzien/lib/rooms.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl, Room

ROOM = Room(
    label="activities",
    policies=(
        PolicyDecl(
            key="activities.offer_hours",
            label=_("Time to accept an offered place"),
            kind="duration_hours",
            default=timedelta(hours=72),
            help_text=_("How long a resident has to accept a place offered from a waiting list."),
        ),
        PolicyDecl(
            key="activities.allocation_max_km",
            label=_("Allocation distance (km)"),
            kind="decimal",
            default=Decimal(3),
            help_text=_("A city-wide allocation round proposes activities at most this far from home."),
        ),
        PolicyDecl(
            key="activities.places_start",
            label=_("Day-activity places at the start of the policy period"),
            kind="int",
            default=6000,
            help_text=_("The city's number of day-activity places when the current policy period began."),
        ),
        PolicyDecl(
            key="activities.places_target",
            label=_("Target number of day-activity places"),
            kind="int",
            default=6250,
            help_text=_("The city's target for day-activity places, shown on the occupancy page."),
        ),
        PolicyDecl(
            key="activities.confirm_after",
            label=_("Freshness period of directory entries (days)"),
            kind="duration_days",
            default=timedelta(days=183),
            help_text=_(
                "An activity's information counts as stale (marked in search, provider reminded) after this "
                "long without confirmation."
            ),
        ),
    ),
)
