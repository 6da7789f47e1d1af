# SPDX-License-Identifier: EUPL-1.2
"""Writes: recording a measurement (scored by the one engine); a self-test contact request and its handling."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import numpy as np

from omzien.accounts.models import Organisation
from omzien.audit import events
from omzien.audit.models import Action
from omzien.geo.selectors import neighbourhood_for_postcode, normalize_postcode
from omzien.residents.models import Resident
from omzien.wellbeing.instruments import INSTRUMENTS, ONS_CODE
from omzien.wellbeing.models import ContactRequest, Measurement
from omzien.wellbeing.scoring import MISSING, Scores, rules_applied, score


def scoring_rules(instrument_code: str) -> dict[str, int]:
    """The configurable scoring rules (settings) for an instrument, as overrides for the engine.

    The one place the rules are read: every caller of the engine (``answers_score`` for the self-test
    and the professional's form, ``omzien score``, the monitor and the council report) takes them here.
    """
    from django.conf import settings

    if instrument_code == "djg11":
        return {"subscale_lonely_from": settings.OMZIEN_DJG11_SUBSCALE_LONELY_FROM,
                "max_missing_total": settings.OMZIEN_DJG11_MAX_MISSING,
                "max_missing_subscale": settings.OMZIEN_DJG11_MAX_MISSING_SUBSCALE}  # fmt: skip
    if instrument_code == "djg6":
        return {"max_missing_total": settings.OMZIEN_DJG6_MAX_MISSING}
    return {}


def answers_score(instrument_code: str, rows: list[list[int]]) -> Scores:
    """Score answer rows of a scale with the engine under the configured rules (they come back in ``rules``)."""
    return score(INSTRUMENTS[instrument_code], np.array(rows, dtype=np.int8), rules=scoring_rules(instrument_code))


def unscorable_reason(instrument_code: str, answers: list[int]) -> str | None:
    """Why these answers give no score under the scale's rule, naming the open statements; None if they score."""
    instrument = INSTRUMENTS.get(instrument_code)
    if instrument is None:
        return None
    open_items = [item.number for item, answer in zip(instrument.items, answers, strict=True) if answer == MISSING]
    allowed = rules_applied(instrument, scoring_rules(instrument_code))["max_missing_total"]
    if len(open_items) <= allowed:
        return None
    numbers = ", ".join(str(number) for number in open_items)
    if allowed == 0:
        return _("%(scale)s only gives a score when every statement is answered; open: %(numbers)s.") % {
            "scale": instrument.name, "numbers": numbers}  # fmt: skip
    return ngettext(
        "%(scale)s gives a score with at most %(allowed)s statement open; %(count)s are open: %(numbers)s.",
        "%(scale)s gives a score with at most %(allowed)s statements open; %(count)s are open: %(numbers)s.",
        allowed,
    ) % {"scale": instrument.name, "allowed": allowed, "count": len(open_items), "numbers": numbers}


def _int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def measurement_record(
    *, actor: events.Actor, acting_user: Any, resident: Resident, instrument_code: str, answers: list[int],
    context: str, mode: str, supersedes: Measurement | None = None, incomplete: bool = False,
    at: datetime | None = None,
) -> Measurement:  # fmt: skip
    """Score the answers with the engine and append the measurement (with its access-log entry).

    The ONS direct question is stored as its ordinal answer, unscored. A correction names the
    measurement it supersedes; that one stays in the database, out of the history. Answers the
    scale cannot score are refused with its rule, unless the professional saves them explicitly as
    an incomplete measurement (no score, shown as such); a measurement with no answer at all never.
    ``at`` dates the measurement explicitly (the demo's year of history); by default it is now.
    """
    if all(answer == MISSING for answer in answers):
        raise ValueError(_("No statement was answered, so there is nothing to save."))
    reason = unscorable_reason(instrument_code, answers)
    if reason and not incomplete:
        raise ValueError(
            reason + " " + _("Answer the open statements, or save it as an incomplete measurement (without a score).")
        )
    if supersedes is not None and (
        supersedes.resident_id != resident.pk or supersedes.instrument != instrument_code
    ):
        raise ValueError(_("A correction supersedes a measurement of the same resident and instrument."))
    values: dict[str, Any] = {"total": None, "social": None, "emotional": None, "category": "", "scoring_rules": {}}
    if instrument_code == ONS_CODE:
        values["category"] = f"ons_{answers[0]}"
    else:
        result = answers_score(instrument_code, [answers])
        values = {"total": _int_or_none(result.total[0]), "social": _int_or_none(result.social[0]),
                  "emotional": _int_or_none(result.emotional[0]), "category": result.category[0] or "",
                  "scoring_rules": result.rules}  # fmt: skip
    with transaction.atomic():
        if supersedes is not None:
            supersedes = Measurement.objects.select_for_update().get(pk=supersedes.pk)
            if hasattr(supersedes, "superseded_by"):
                raise ValueError(_("This measurement has already been corrected."))
        measurement = Measurement.objects.create(
            resident=resident, instrument=instrument_code, answers=list(answers), context=context, mode=mode,
            administered_by=acting_user, supersedes=supersedes, **values,
        )  # fmt: skip
        if at is not None:  # recorded_at is auto_now_add: an explicit time is set after the insert
            Measurement.objects.filter(pk=measurement.pk).update(recorded_at=at)
            measurement.recorded_at = at
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
    client_ip: str | None = None,
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
    with transaction.atomic():
        request = ContactRequest.objects.create(
            name=name, phone=phone, email=email, postcode=code, preferred_contact=preferred_contact,
            neighbourhood=neighbourhood, team=team, category=category, social_lonely=social_lonely,
            emotional_lonely=emotional_lonely, consent_text=consent_text,
        )  # fmt: skip
        # Personal data entered by an anonymous visitor: logged like any other record created.
        events.record(
            action=Action.CREATE,
            actor=events.Actor(display="anonymous", role="anonymous", client_ip=client_ip),
            subjects=[
                events.Subject(
                    object_type="contact_request",
                    object_id=str(request.pk),
                    fields=("name", "phone", "email", "postcode", "preferred_contact"),
                )
            ],  # fmt: skip
            purpose="contact_request",
            legal_basis="consent:self-test",
        )
    return request


def contact_request_mark_handled(*, contact_request: ContactRequest, actor: events.Actor) -> ContactRequest:
    """Mark a contact request as handled (once: a second mark keeps the first time)."""
    with transaction.atomic():
        locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        if locked.handled_at is None:
            locked.handled_at = timezone.now()
            locked.save(update_fields=["handled_at"])
            events.record(
                action=Action.UPDATE, actor=actor,
                subjects=[events.Subject(object_type="contact_request", object_id=str(locked.pk), fields=("handled_at",))],
                purpose="contact_request",
            )  # fmt: skip
    return locked
