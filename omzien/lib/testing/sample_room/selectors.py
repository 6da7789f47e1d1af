# SPDX-License-Identifier: EUPL-1.2
"""Reads of the sample room."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from omzien.residents.models import Resident
from omzien.residents.permissions import residents_visible_to

LINK_KIND = "neighbourhood_visit"


def visited_residents(user: Any) -> QuerySet[Resident]:
    """The residents the user visits: those they see through an active visit link of their organisation."""
    return (
        residents_visible_to(user)
        .filter(
            links__kind=LINK_KIND, links__organisation_id=user.organisation_id, links__ended_at__isnull=True
        )
        .distinct()
    )
