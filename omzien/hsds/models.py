# SPDX-License-Identifier: EUPL-1.2
"""The one table the HSDS room keeps: an index of service-at-location ids.

A service-at-location id is derived (UUIDv5) from the service's and the location's ids, so it stays
the same across exports and installations, but it cannot be computed backwards from a request.
This index makes ``/service_at_locations/{id}`` one primary-key look-up; it is filled for the pairs
that are missing when an id is not found (``services.service_at_location_keys_add``), and a row
whose activity has moved no longer matches (the look-up checks the location too).
"""

from __future__ import annotations

from django.db import models

from omzien.activities.models import Activity, Location


class ServiceAtLocationKey(models.Model):
    key = models.UUIDField(primary_key=True)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "location"], name="hsds_one_key_per_pair")
        ]

    def __str__(self) -> str:
        return str(self.key)
