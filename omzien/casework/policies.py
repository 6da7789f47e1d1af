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
INTAKE_DAYS = PolicyDecl(
    key="casework.intake_working_days",
    label=_("Intake due after a case is opened (working days)"),
    kind="int",
    default=10,
    help_text=_("How many working days after a case is opened its intake shows as due in the worklist."),
)
STUCK_DAYS = PolicyDecl(
    key="casework.referral_stuck_working_days",
    label=_("A referral without an answer shows as stuck after (working days)"),
    kind="int",
    default=5,
    help_text=_("Counted from the day the referral was sent; weekends and closed days do not count."),
)
FOLLOW_UP_MONTHS = PolicyDecl(
    key="casework.follow_up_months",
    label=_("Follow-up measurements (months after the route started, or after referral while waiting)"),
    kind="json",
    default=[3, 6, 12],
    help_text=_(
        "A list of whole months. Residents still waiting for a route are measured at the same intervals "
        "after their referral, so the outcome figures can compare the two."
    ),
)
FOLLOW_UP_LEAD_DAYS = PolicyDecl(
    key="casework.follow_up_lead_days",
    label=_("Follow-ups appear in the worklist this many days before they are due"),
    kind="int",
    default=14,
)
LINK_DAYS = PolicyDecl(
    key="casework.follow_up_link_days",
    label=_("A personal follow-up link is valid for (days)"),
    kind="int",
    default=14,
    help_text=_("After this the link shows that it has expired; the professional can send a new one."),
)
STATISTICS_WITHOUT_CONSENT = PolicyDecl(
    key="casework.statistics_without_consent",
    label=_("Use cases for the outcome statistics without a statistics consent (0 = no, 1 = yes)"),
    kind="int",
    default=0,
    help_text=_(
        "1 only when the council has decided that outcome statistics are part of the public task (AVG art. "
        "6(1)(e) with art. 9(2)(j) and UAVG art. 24, with pseudonymisation). With 0 only residents who gave "
        "their consent for anonymous statistics are counted."
    ),
)
CASE_RETENTION = PolicyDecl(
    key="casework.case_retention",
    label=_("How long a closed case is kept"),
    kind="duration_days",
    default=timedelta(days=5 * 365),
    help_text=_("Counted from closing, or from the end of the last referral still running then. The case goes with "
                "its intake, network maps, advice, referrals, follow-ups and the signals that led to it; the "
                "resident's measurements are the wellbeing room's."),
)  # fmt: skip

# RETENTION and CASE_RETENTION are declared by the room's RetentionRules (the policy store makes it a policy from there).
POLICIES = (DEADLINES, CALENDAR, INTAKE_DAYS, STUCK_DAYS, FOLLOW_UP_MONTHS, FOLLOW_UP_LEAD_DAYS, LINK_DAYS,
            STATISTICS_WITHOUT_CONSENT)  # fmt: skip


def policy_value(declaration: PolicyDecl) -> Any:
    """The policy's current value, from the municipal policy store."""
    from omzien import policy

    return policy.get(declaration.key)
