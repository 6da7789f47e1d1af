# SPDX-License-Identifier: EUPL-1.2
"""The municipal policies this room reads, and the one place that reads them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl

VOG_MAX_AGE = PolicyDecl(
    key="volunteers.vog_max_age_months",
    label=_("Maximum age of a volunteer's VOG (months)"),
    kind="int",
    default=36,
    help_text=_("A VOG has no expiry date. An organisation may set its own maximum; this is the default."),
)
VOG_REMINDER = PolicyDecl(
    key="volunteers.vog_reminder_days",
    label=_("Days before a VOG is due that the volunteer and coordinator are reminded"),
    kind="int",
    default=42,
)
POLICIES = (VOG_MAX_AGE, VOG_REMINDER)


def policy_value(declaration: PolicyDecl) -> Any:
    """The policy's current value, from the municipal policy store."""
    from omzien import policy

    return policy.get(declaration.key)
