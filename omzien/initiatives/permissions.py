# SPDX-License-Identifier: EUPL-1.2
"""Access functions of the initiatives room: 404 alike for "missing" and "not your wijk", every read logged.

Applications (with their contact details) and key figures are personal data: each one shown goes to
the access log as a resident's record does, from here, never from a view.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.http import Http404

from omzien.audit import events
from omzien.audit.models import Action
from omzien.initiatives.models import Booking, Centre, Initiative, InitiativePhoto, KeyFigure
from omzien.initiatives.selectors import broker_district_ids, initiatives_of, network_of
from omzien.initiatives.services import (
    APPLICANT_FIELDS,
    KEY_FIGURE_FIELDS,
    NETWORK_PURPOSE,
    PURPOSE,
    initiative_subject,
    key_figure_subject,
)

LIST_FIELDS = ("title", "contact_name")


def get_initiative_for_user(
    request: Any,
    public_id: uuid.UUID | str,
    *,
    action: str = Action.READ,
    fields: tuple[str, ...] = APPLICANT_FIELDS,
) -> Initiative:
    """Return the initiative if it is in a wijk the user serves; 404 alike for missing and not yours, logged."""
    actor = events.actor_for_request(request)
    initiative = (
        initiatives_of(request.user)
        .select_related("district", "neighbourhood", "broker", "activity", "vacancy")
        .filter(public_id=public_id)
        .first()
    )
    if initiative is None:
        events.record_denied(action=action, actor=actor, purpose=PURPOSE,
                             subject=events.Subject(object_type="initiative", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such initiative.")
    events.record(action=action, actor=actor, subjects=[initiative_subject(initiative, fields)], purpose=PURPOSE)
    return initiative


def initiatives_shown_to_user(request: Any, initiatives: Sequence[Initiative]) -> None:
    """Log one list entry per application shown (one insert for the page)."""
    events.record_listed(actor=events.actor_for_request(request), purpose=PURPOSE, fields=LIST_FIELDS,
                         shown=[initiative_subject(item, LIST_FIELDS) for item in initiatives])  # fmt: skip


def get_photo_for_user(request: Any, public_id: uuid.UUID | str) -> InitiativePhoto:
    """Return a photo of an initiative in the user's wijk; 404 alike otherwise, logged as a read of the initiative."""
    photo = InitiativePhoto.objects.filter(public_id=public_id).select_related("initiative").first()
    if photo is None or photo.initiative.district_id not in broker_district_ids(request.user):
        events.record_denied(action=Action.READ, actor=events.actor_for_request(request), purpose=PURPOSE,
                             subject=events.Subject(object_type="initiative_photo", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such photo.")
    events.record(action=Action.READ, actor=events.actor_for_request(request), purpose=PURPOSE,
                  subjects=[initiative_subject(photo.initiative, ("photos",))])  # fmt: skip
    return photo


def get_key_figure_for_user(request: Any, public_id: uuid.UUID | str, *, action: str = Action.READ) -> KeyFigure:
    """Return a key figure of a wijk the user serves; 404 alike for missing and not yours, logged."""
    actor = events.actor_for_request(request)
    figure = network_of(request.user).filter(public_id=public_id).first()
    if figure is None:
        events.record_denied(action=action, actor=actor, purpose=NETWORK_PURPOSE,
                             subject=events.Subject(object_type="key_figure", object_id=str(public_id)))  # fmt: skip
        raise Http404("No such key figure.")
    events.record(action=action, actor=actor, subjects=[key_figure_subject(figure, KEY_FIGURE_FIELDS)],
                  purpose=NETWORK_PURPOSE)  # fmt: skip
    return figure


def key_figures_shown_to_user(request: Any, figures: Sequence[KeyFigure]) -> None:
    """Log one list entry per key figure shown."""
    events.record_listed(actor=events.actor_for_request(request), purpose=NETWORK_PURPOSE, fields=("name", "role"),
                         shown=[key_figure_subject(figure, ("name", "role")) for figure in figures])  # fmt: skip


def get_centre_for_user(user: Any, public_id: uuid.UUID | str) -> Centre:
    """Return a community centre (public information: no wijk limit, no log); 404 if there is none."""
    centre = Centre.objects.select_related("district").filter(public_id=public_id).first()
    if centre is None:
        raise Http404("No such centre.")
    return centre


def get_booking_for_user(user: Any, public_id: uuid.UUID | str) -> Booking:
    """Return a booking the user may cancel: their own, or any in a centre of a wijk they serve as broker."""
    booking = (
        Booking.objects.select_related("room__centre")
        .filter(Q(booked_by=user) | Q(room__centre__district_id__in=broker_district_ids(user)), public_id=public_id)
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    return booking


def may_count_visitors(user: Any, centre: Centre) -> bool:
    """Whether the user keeps the visitor counts of this centre: its wijk's social broker."""
    return centre.district_id in broker_district_ids(user)
