# SPDX-License-Identifier: EUPL-1.2
"""Writes of the HSDS room: the service-at-location key index (the directory itself is written by
the activities room's services)."""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef

from omzien.activities.models import Activity
from omzien.hsds.documents import derived_id
from omzien.hsds.models import ServiceAtLocationKey


def service_at_location_keys_add() -> int:
    """Add the keys of every (activity, location) pair not yet in the index; how many were added."""
    known = ServiceAtLocationKey.objects.filter(activity=OuterRef("pk"), location=OuterRef("location"))
    missing = (
        Activity.objects.filter(location__isnull=False)
        .filter(~Exists(known))
        .order_by()
        .values_list("pk", "public_id", "location_id", "location__public_id")
    )
    rows = [
        ServiceAtLocationKey(key=uuid.UUID(derived_id(f"{service}:{place}", "service_at_location")),
                             activity_id=pk, location_id=location_id)
        for pk, service, location_id, place in missing
    ]  # fmt: skip
    ServiceAtLocationKey.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
