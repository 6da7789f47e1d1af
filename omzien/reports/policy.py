# SPDX-License-Identifier: EUPL-1.2
"""The room's policy values (declared in room.py, kept in the policy store)."""

from __future__ import annotations

from decimal import Decimal

from omzien import policy

WIDE_INTERVAL_KEY = "reports.wide_interval"
WIDE_INTERVAL_DEFAULT = Decimal("0.20")


def wide_interval() -> float:
    """An interval wider than this (as a proportion; 0.20 = 20 percentage points) is hatched on the map."""
    return float(policy.get(WIDE_INTERVAL_KEY))
