# SPDX-License-Identifier: EUPL-1.2
"""The room's policy values, read in one place (to be read from omzien.policy once the policy store lands)."""

from __future__ import annotations

from decimal import Decimal

WIDE_INTERVAL_KEY = "reports.wide_interval"
WIDE_INTERVAL_DEFAULT = Decimal("0.20")


def wide_interval() -> float:
    """An interval wider than this (as a proportion; 0.20 = 20 percentage points) is hatched on the map."""
    try:
        from omzien import policy  # type: ignore[attr-defined]

        return float(policy.get(WIDE_INTERVAL_KEY))
    except (ImportError, AttributeError, LookupError):
        return float(WIDE_INTERVAL_DEFAULT)
