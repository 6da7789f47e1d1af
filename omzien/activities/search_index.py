# SPDX-License-Identifier: EUPL-1.2
"""The activities' search index: coordinates, session bits and the sessions copied onto the activity row.

The location and the schedules stay the truth; every write path that changes them (the services,
uploads, imports, the demo) calls ``refresh`` for the activities it touched, and a test compares
the index with the truth after each of those paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

from omzien.activities.models import Activity, Schedule
from omzien.activities.schedules import PARTS_OF_DAY

PARTS = list(PARTS_OF_DAY)  # morning, afternoon, evening: bit 3 × weekday + part


def part_of(start: time) -> int:
    return next(i for i, name in enumerate(PARTS) if PARTS_OF_DAY[name][0] <= start < PARTS_OF_DAY[name][1])


def mask_for(weekday: int | None, part: str) -> int:
    """The bits that a search for this day and/or part of the day accepts (0: no condition)."""
    days = [weekday] if weekday is not None else range(7)
    parts = [PARTS.index(part)] if part in PARTS else range(3)
    if weekday is None and part not in PARTS:
        return 0
    return sum(1 << (3 * d + p) for d in days for p in parts)


def index_values(lat: float | None, lon: float | None, slots: Iterable[tuple[int, time, time, int]]) -> dict[str, Any]:
    """The index columns of one activity: its location's coordinates and its sessions (in schedule order)."""
    mask, sessions = 0, []
    for weekday, start, end, weeks in sorted(slots, key=lambda slot: (slot[0], slot[1])):
        mask |= 1 << (3 * weekday + part_of(start))
        sessions.append([weekday, f"{start:%H:%M}", f"{end:%H:%M}", weeks])
    return {"lat": lat, "lon": lon, "session_mask": mask, "sessions": sessions}


def refresh(activity_ids: Iterable[int] | None = None) -> int:
    """Recompute the index for the given activities (all when None); return how many rows."""
    activities = Activity.objects.select_related("location")
    if activity_ids is not None:
        activities = activities.filter(pk__in=list(activity_ids))
    rows = list(
        activities.only("pk", "lat", "lon", "session_mask", "sessions", "location__lat", "location__lon")
    )
    slots: dict[int, list[tuple[int, time, time, int]]] = {}
    schedules = Schedule.objects.filter(activity__in=[a.pk for a in rows]).order_by("pk")
    for activity_id, weekday, start, end, weeks in schedules.values_list(
        "activity_id", "weekday", "starts_at", "ends_at", "interval_weeks"
    ):
        slots.setdefault(activity_id, []).append((weekday, start, end, weeks))
    for activity in rows:
        location = activity.location
        values = index_values(location.lat if location else None, location.lon if location else None,
                              slots.get(activity.pk, []))  # fmt: skip
        for name, value in values.items():
            setattr(activity, name, value)
    Activity.objects.bulk_update(rows, ["lat", "lon", "session_mask", "sessions"], batch_size=1000)
    return len(rows)
