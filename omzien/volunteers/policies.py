# SPDX-License-Identifier: EUPL-1.2
"""The municipal policies this room reads, and the one place that reads them."""

from __future__ import annotations

from datetime import timedelta
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
MATCH_RETENTION = PolicyDecl(
    key="volunteers.match_retention",
    label=_("How long a closed request for a person is kept with its pairs' details"),
    kind="duration_days",
    default=timedelta(days=2 * 365),
    help_text=_(
        "Counted from the day the request closed (its last pair ended, or it closed without one). Then the person's "
        "details, the notes of visits and check-ins and the reasons are removed; the pair stays as an anonymous count."
    ),
)
VOLUNTEER_RETENTION = PolicyDecl(
    key="volunteers.volunteer_retention",
    label=_("How long a volunteer's details are kept after they stopped"),
    kind="duration_days",
    default=timedelta(days=2 * 365),
    help_text=_(
        "Counted from the last change of their last intake, at every organisation, and their last pair. Then name, "
        "contact details, profile, references and VOG dates are removed; hours and trainings stay as counts."
    ),
)
# MATCH_RETENTION and VOLUNTEER_RETENTION are declared through the room's RetentionRules (the policy store
# reads them from there).
POLICIES = (VOG_MAX_AGE, VOG_REMINDER)


def policy_value(declaration: PolicyDecl) -> Any:
    """The policy's current value, from the municipal policy store."""
    from omzien import policy

    return policy.get(declaration.key)
