# SPDX-License-Identifier: EUPL-1.2
"""Writes: recording a measurement (scored by the one engine) and a self-test contact request."""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction

import numpy as np

from omzien.accounts.models import Organisation
from omzien.audit import events
from omzien.audit.models import Action
from omzien.geo.selectors import neighbourhood_for_postcode, normalize_postcode
from omzien.residents.models import Resident
from omzien.wellbeing.instruments import INSTRUMENTS
from omzien.wellbeing.models import ContactRequest, Measurement
from omzien.wellbeing.scoring import score


def _int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def measurement_record(
    *, actor: events.Actor, acting_user: Any, resident: Resident, instrument_code: str, answers: list[int],
    context: str, mode: str, supersedes: Measurement | None = None,
) -> Measurement:  # fmt: skip
    """Score the answers with the engine and append the measurement (with its access-log entry)."""
    instrument = INSTRUMENTS[instrument_code]
    result = score(instrument, np.array([answers], dtype=np.int8))
    with transaction.atomic():
        measurement = Measurement.objects.create(
            resident=resident, instrument=instrument.code, answers=list(answers),
            total=_int_or_none(result.total[0]), social=_int_or_none(result.social[0]),
            emotional=_int_or_none(result.emotional[0]), category=result.category[0] or "",
            context=context, mode=mode, administered_by=acting_user, supersedes=supersedes,
        )  # fmt: skip
        events.record(
            action=Action.CREATE,
            actor=actor,
            subjects=[
                events.Subject(
                    resident_pseudo_id=resident.pseudo_id,
                    object_type="measurement",
                    object_id=str(measurement.pk),
                    fields=("answers", "total", "category"),
                )
            ],  # fmt: skip
            purpose="measurement",
        )
    return measurement


def contact_request_create(
    *, name: str, phone: str, email: str, postcode: str, preferred_contact: str, consent_text: str,
    category: str = "", social_lonely: bool | None = None, emotional_lonely: bool | None = None,
) -> ContactRequest:  # fmt: skip
    """Store a contact request and route it to the buurtteam responsible for the postcode's buurt."""
    code = normalize_postcode(postcode) or ""
    neighbourhood = neighbourhood_for_postcode(code) if code else None
    team = (
        Organisation.objects.filter(
            kind=Organisation.Kind.NEIGHBOURHOOD_TEAM, neighbourhoods=neighbourhood
        ).first()
        if neighbourhood
        else None
    )
    return ContactRequest.objects.create(
        name=name, phone=phone, email=email, postcode=code, preferred_contact=preferred_contact,
        neighbourhood=neighbourhood, team=team, category=category, social_lonely=social_lonely,
        emotional_lonely=emotional_lonely, consent_text=consent_text,
    )  # fmt: skip
