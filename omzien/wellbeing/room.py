# SPDX-License-Identifier: EUPL-1.2
"""The wellbeing room's declarations (room contract: omzien/lib/rooms.py)."""

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl, Room

ROOM = Room(
    label="wellbeing",
    policies=(
        PolicyDecl(
            key="wellbeing.urgency_by_category",
            label=_("Matching urgency per loneliness category"),
            kind="json",
            # 3 comes first for scarce places; a category not listed (or no measurement) counts as 1.
            default={"very_severe": 3, "severe": 3, "moderate": 2, "lonely": 2, "not_lonely": 1},
            help_text=_(
                "Urgency 1-3 given to a resident's latest loneliness category when scarce places are shared "
                "out (waiting lists, allocation). Categories: very_severe, severe, moderate, lonely, "
                "not_lonely; any other counts as 1."
            ),
        ),
    ),
)
