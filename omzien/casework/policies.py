# SPDX-License-Identifier: EUPL-1.2
"""The municipal policies casework reads: deadlines per urgency, the holiday calendar, retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.casework.workdays import DEFAULT_CALENDAR
from omzien.lib.rooms import PolicyDecl

DEADLINES = PolicyDecl(
    key="casework.deadline_working_days",
    label=_("Response deadline of a signal per urgency (working days)"),
    kind="json",
    default={"urgent": 1, "normal": 5},
    help_text=_(
        "How many working days after the day it came in a signal must have been looked at, per urgency "
        "(urgent, normal). Weekends and the closed days of the holiday calendar do not count."
    ),
)
CALENDAR = PolicyDecl(
    key="casework.holiday_calendar",
    label=_("Holiday calendar for working-day deadlines"),
    kind="json",
    default=DEFAULT_CALENDAR,
    help_text=_(
        "package_holidays: the Dutch holidays (English names as the holidays package gives them) that close "
        "the teams, by default those of the Algemene termijnenwet (not Good Friday); every_year: closed "
        "days as MM-DD, by default 5 May (Liberation Day, every year under that Act); local_closing_days: "
        "the municipality's own closing days as YYYY-MM-DD."
    ),
)
RETENTION = PolicyDecl(
    key="casework.signal_retention",
    label=_("How long a signal that did not lead to a case is kept"),
    kind="duration_days",
    default=timedelta(days=365),
    help_text=_("Counted from the triage decision. A signal that became part of a case is kept with the case."),
)
# RETENTION is declared by the room's RetentionRule (the policy store makes it a policy from there).
POLICIES = (DEADLINES, CALENDAR)


def policy_value(declaration: PolicyDecl) -> Any:
    """The policy's current value, from the municipal policy store."""
    from omzien import policy

    return policy.get(declaration.key)
