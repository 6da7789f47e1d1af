# SPDX-License-Identifier: EUPL-1.2
"""Casework's models: signals (part 1) and cases with their intake, route advice, referrals and follow-ups."""

from omzien.casework.models.cases import (
    BARRIER_LABELS,
    Barrier,
    Case,
    CaseEvent,
    CloseReason,
    FollowUp,
    FollowUpLink,
    Intake,
    NetworkMap,
    NetworkTie,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Route,
    RouteAdvice,
    RouteRule,
    RouteTable,
    Stage,
)
from omzien.casework.models.signals import (
    MELDCODE_STEPS,
    Answer,
    Outcome,
    PartnerToken,
    PhoneCall,
    ReporterRelation,
    Signal,
    SignalEvent,
    SignalNote,
    Source,
    Status,
    TokenUse,
    Urgency,
)

__all__ = [
    "BARRIER_LABELS", "MELDCODE_STEPS", "Answer", "Barrier", "Case", "CaseEvent", "CloseReason", "FollowUp",
    "FollowUpLink", "Intake", "NetworkMap", "NetworkTie", "Outcome", "PartnerToken", "PhoneCall", "Referral",
    "ReferralEvent", "ReferralStatus", "ReporterRelation", "Route", "RouteAdvice", "RouteRule", "RouteTable",
    "Signal", "SignalEvent", "SignalNote", "Source", "Stage", "Status", "TokenUse", "Urgency",
]
