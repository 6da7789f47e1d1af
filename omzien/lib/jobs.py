# SPDX-License-Identifier: EUPL-1.2
"""Expired throttle counters are removed by ``omzien tick``."""

from __future__ import annotations

from omzien.lib import throttle
from omzien.lib.tick import periodic_job


@periodic_job("lib.purge_rate_counters", "Remove throttle counters whose window has ended.")
def purge_rate_counters() -> int:
    return throttle.purge_expired()
