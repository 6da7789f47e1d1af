# SPDX-License-Identifier: EUPL-1.2
"""Periodic work of the rights room, run by ``omzien tick``."""

from omzien.lib.tick import periodic_job
from omzien.rights import services


@periodic_job(
    "apply_retention",
    "Once a day, remove what every room's retention rules say has expired; keep the report.",
)
def apply_retention() -> int:
    return services.retention_run_daily()
