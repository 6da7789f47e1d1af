# SPDX-License-Identifier: EUPL-1.2
"""The municipal policies the initiatives room reads: the decision term, the objection body, retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl

DECISION_WEEKS = PolicyDecl(
    key="initiatives.decision_weeks",
    label=_("Decision term of an application to the initiative fund (weeks)"),
    kind="int",
    default=8,
    help_text=_(
        "Within how many weeks after receipt the social broker decides on an application. Without a term in "
        "the subsidy regulation, the Awb (art. 4:13) sets a reasonable term of at most eight weeks."
    ),
)
OBJECTION_ADDRESS = PolicyDecl(
    key="initiatives.objection_address",
    label=_("Where an objection to a decision on the initiative fund goes"),
    kind="text",
    default="College van burgemeester en wethouders van Utrecht, Postbus 16200, 3500 CE Utrecht",
    help_text=_("Printed in the objection clause of every decision letter (Awb art. 3:45)."),
)
PHONE = PolicyDecl(
    key="initiatives.phone",
    label=_("Phone number for questions about the initiative fund"),
    kind="text",
    default="14 030",
    help_text=_(
        "Printed in decision letters when the social broker's organisation has no phone number of its own "
        "(the municipality's general number by default)."
    ),
)
RETENTION = PolicyDecl(
    key="initiatives.application_retention",
    label=_("How long the contact details of an application are kept"),
    kind="duration_days",
    default=timedelta(days=7 * 365),
    help_text=_(
        "Counted from the decision (a refusal) or the final settlement (a grant). Subsidy files are kept seven "
        "years for the accounts; after that the contact details are removed and the figures stay."
    ),
)
POLICIES = (DECISION_WEEKS, OBJECTION_ADDRESS, PHONE)


def policy_value(declaration: PolicyDecl) -> Any:
    """The policy's current value, from the municipal policy store."""
    from omzien import policy

    return policy.get(declaration.key)
