# SPDX-License-Identifier: EUPL-1.2
"""Access functions for signals: 404 alike for "missing" and "not your team's", and every read logged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework.models import Case, FollowUp, Referral, ReferralStatus, Signal, Source
from omzien.casework.selectors import referrals_received, reported_signals, team_of, team_signals
from omzien.casework.services import PURPOSE, REPORTER_FIELDS, RESIDENT_FIELDS, signal_subject
from omzien.lib.paging import page_number
from omzien.residents.models import ConsentEvent, ConsentPurpose

OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
# What the queue shows of each signal (an entry per signal shown names these fields).
QUEUE_FIELDS = ("first_name", "last_name", "postcode", "house_number")
PARTNER_FIELDS = ("first_name", "last_name", "postcode", "status")


def get_signal_for_user(
    request: Any,
    public_id: uuid.UUID | str,
    *,
    purpose: str = PURPOSE,
    action: str = Action.READ,
    fields: tuple[str, ...] = RESIDENT_FIELDS + REPORTER_FIELDS,
    for_update: bool = False,
) -> Signal:
    """Return the signal if it is in the user's team's queue; 404 alike for missing and not yours, logged."""
    actor = events.actor_for_request(request)
    signal = (
        team_signals(request.user)
        .select_related("resident", "team", "assigned_to", "neighbourhood", "duplicate_of", "reporter_organisation")
        .filter(public_id=public_id)
        .first()
    )
    if signal is None:
        # The signal of another team is named in the entry, so the attempt can be traced to it.
        events.record_denied(
            action=action, actor=actor,
            subject=events.Subject(object_type="signal", object_id=str(public_id)), purpose=purpose,
        )  # fmt: skip
        raise Http404("No such signal.")
    events.record(action=action, actor=actor, subjects=[signal_subject(signal, fields)], purpose=purpose)
    return signal


def get_signal_for_token(token: Any, public_id: uuid.UUID | str) -> Signal:
    """Return a signal the token's organisation reported through the partner API; 404 alike otherwise.

    The partner API logs every request, with the signal touched, itself (``services.token_use_log``).
    """
    signal = (
        Signal.objects.select_related("resident")
        .filter(public_id=public_id, reporter_organisation=token.organisation, source=Source.PARTNER_API)
        .first()
    )
    if signal is None:
        raise Http404("No such signal.")
    return signal


def signals_shown_to_user(request: Any, signals: Sequence[Signal], *, fields: tuple[str, ...] = QUEUE_FIELDS) -> None:
    """Log one list entry per signal shown (one insert for the whole page)."""
    events.record_listed(actor=events.actor_for_request(request), shown=[signal_subject(s, fields) for s in signals],
                         fields=fields, purpose=PURPOSE)  # fmt: skip


def reported_signals_for_user(request: Any, limit: int = 100) -> list[Signal]:
    """The signals the reporter may follow (their organisation's or their own), newest first, logged."""
    signals = list(reported_signals(request.user)[:limit])
    events.record_listed(actor=events.actor_for_request(request), fields=PARTNER_FIELDS, purpose="signal_follow_up",
                         shown=[signal_subject(signal, PARTNER_FIELDS) for signal in signals])  # fmt: skip
    return signals


# Cases, referrals and follow-ups.

CASE_FIELDS = ("first_name", "last_name", "date_of_birth", "phone", "intake", "network", "measurements", "referrals")


def _case_denied(request: Any, object_type: str, public_id: Any, purpose: str, action: str) -> None:
    events.record_denied(action=action, actor=events.actor_for_request(request),
                         subject=events.Subject(object_type=object_type, object_id=str(public_id)), purpose=purpose)  # fmt: skip


def get_case_for_user(
    request: Any, public_id: uuid.UUID | str, *, fields: tuple[str, ...] = CASE_FIELDS, action: str = Action.READ,
    purpose: str = "case_support",
) -> Case:  # fmt: skip
    """Return the case if it is one of the user's team; 404 alike for missing and another team's, logged."""
    user = request.user
    team = team_of(user)
    case = None
    if team is not None and user.has_perm("casework.handle_case"):
        case = (
            Case.objects.select_related("resident__neighbourhood__district", "team", "professional", "signal")
            .defer("resident__neighbourhood__boundary", "resident__neighbourhood__district__boundary")
            .filter(public_id=public_id, team=team)
            .first()
        )
    if case is None:
        _case_denied(request, "case", public_id, purpose, action)
        raise Http404("No such case.")
    events.record(action=action, actor=events.actor_for_request(request), purpose=purpose,
                  subjects=[events.resident_subject(case.resident, "case", case.public_id, fields)])  # fmt: skip
    return case


def _sharing_stands(referral: Referral) -> bool:
    """The resident's latest consent to share with the receiving organisation still stands."""
    latest = (
        ConsentEvent.objects.filter(resident_id=referral.resident_id, purpose=ConsentPurpose.SHARING,
                                    organisation_id=referral.target_organisation_id or 0)
        .order_by("-recorded_at", "-pk").values_list("given", flat=True).first()
    )  # fmt: skip
    return bool(latest)


def get_referral_for_user(
    request: Any, public_id: uuid.UUID | str, *, action: str = Action.READ, purpose: str = "referral"
) -> tuple[Referral, bool]:
    """Return the referral and whether the user reads it as its receiver; 404 alike otherwise, logged.

    The case's team sees all of it. The receiving organisation (a user who answers referrals, of that
    organisation) sees an open referral, and only what the resident agreed to share, while the
    resident's consent to share with it stands.
    """
    user = request.user
    referral = (
        Referral.objects.select_related("resident", "case__team", "activity", "target_organisation", "sent_by")
        .filter(public_id=public_id)
        .first()
    )
    as_receiver = False
    allowed = False
    if referral is not None:
        team = team_of(user)
        if team is not None and referral.case.team_id == team.pk and user.has_perm("casework.handle_case"):
            allowed = True
        elif (
            user.has_perm("casework.answer_referral")
            and user.organisation_id is not None
            and referral.target_organisation_id == user.organisation_id
            and referral.is_open
            and (referral.consent_id is None or _sharing_stands(referral))
        ):
            allowed = as_receiver = True
    if referral is None or not allowed:
        pseudo = referral.resident.pseudo_id if referral is not None else None
        events.record_denied(action=action, actor=events.actor_for_request(request), purpose=purpose,
                             subject=events.Subject(resident_pseudo_id=pseudo, object_type="referral",
                                                    object_id=str(public_id)))  # fmt: skip
        raise Http404("No such referral.")
    fields = tuple(referral.shared) if as_receiver else ("resident", "message", "shared", "status")
    events.record(action=action, actor=events.actor_for_request(request), purpose=purpose,
                  subjects=[events.resident_subject(referral.resident, "referral", referral.public_id, fields)])  # fmt: skip
    return referral, as_receiver


def get_follow_up_for_user(request: Any, public_id: uuid.UUID | str, *, action: str = Action.READ) -> FollowUp:
    """Return the follow-up if its case is one of the user's team; 404 alike otherwise, logged."""
    user = request.user
    team = team_of(user)
    follow_up = None
    if team is not None and user.has_perm("casework.handle_case"):
        follow_up = FollowUp.objects.select_related("case", "resident").filter(public_id=public_id, case__team=team).first()
    if follow_up is None:
        _case_denied(request, "follow_up", public_id, "case_support", action)
        raise Http404("No such follow-up.")
    events.record(action=action, actor=events.actor_for_request(request), purpose="case_support",
                  subjects=[events.resident_subject(follow_up.resident, "follow_up", follow_up.public_id,
                                                    ("first_name", "last_name", "measurements"))])  # fmt: skip
    return follow_up


def referrals_received_for_user(request: Any, status: str = "", per_page: int = 50) -> tuple[Any, list[Referral]]:
    """One page of the open referrals to the user's organisation whose sharing consent stands (of one status, or
    all open ones), logged (shared fields only): the page and its referrals."""
    statuses = (status,) if status in OPEN_REFERRAL else OPEN_REFERRAL
    page = Paginator(referrals_received(request.user).filter(status__in=statuses), per_page).get_page(
        page_number(request)
    )
    shown = list(page.object_list)
    events.record_listed(
        actor=events.actor_for_request(request), fields=("shared",), purpose="referral",
        shown=[events.resident_subject(r.resident, "referral", r.public_id, tuple(r.shared)) for r in shown],
    )  # fmt: skip
    return page, shown


def referrals_received_counts(user: Any) -> dict[str, int]:
    """How many open referrals of each status the user's organisation has (one query; no person in it)."""
    counts = referrals_received(user).filter(status__in=OPEN_REFERRAL).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in OPEN_REFERRAL}
    )
    return {status: counts[status] or 0 for status in OPEN_REFERRAL}
