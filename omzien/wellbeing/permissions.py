# SPDX-License-Identifier: EUPL-1.2
"""Who may reach which measurement and which self-test contact request.

404 alike for "missing" and "not yours", and every refusal is access-logged. A resident's
measurements are reached through the resident (``residents.permissions.get_resident_for_user``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.residents.models import Resident
from omzien.wellbeing.models import ContactRequest, Measurement
from omzien.wellbeing.selectors import contact_requests_for


def get_contact_request_for_user(request: Any, pk: int, *, action: str = Action.UPDATE) -> ContactRequest:
    """Return a contact request routed to the user's buurtteam; 404, logged, for a missing or another's."""
    item = contact_requests_for(request.user).filter(pk=pk).first()
    if item is None:
        events.record_denied(
            action=action, actor=events.actor_for_request(request),
            subject=events.Subject(object_type="contact_request", object_id=str(pk)), purpose="contact_request",
        )  # fmt: skip
        raise Http404("No such contact request.")
    return item


def get_measurement_for_user(request: Any, resident: Resident, pk: int, *, action: str = Action.UPDATE) -> Measurement:
    """Return one of this (already authorised) resident's measurements; 404, logged, for any other."""
    measurement = Measurement.objects.filter(resident=resident, pk=pk).first()
    if measurement is None:
        events.record_denied(
            action=action, actor=events.actor_for_request(request),
            subject=events.Subject(resident_pseudo_id=resident.pseudo_id, object_type="measurement", object_id=str(pk)),
            purpose="measurement",
        )  # fmt: skip
        raise Http404("No such measurement.")
    return measurement
