# SPDX-License-Identifier: EUPL-1.2
"""Access functions for signals: 404 alike for "missing" and "not your team's", and every read logged."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework.models import Signal, Source
from omzien.casework.selectors import reported_signals, team_signals
from omzien.casework.services import PURPOSE, REPORTER_FIELDS, RESIDENT_FIELDS, signal_subject

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
