# SPDX-License-Identifier: EUPL-1.2
"""Writes of the initiatives room: applications and their Awb decisions, publishing in the sociale kaart
and the volunteer room, photos, room bookings, visitor counts, the broker's network and worries.

Every write is atomic and writes its access-log row (applications and key figures are personal data).
Two people can collide on a grant (the wijk's budget row is locked) and on a booking (the room's row is
locked, then overlaps are checked; on SQLite the IMMEDIATE transaction serialises writers anyway).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dateutil.rrule import WEEKLY, rrule

from omzien.accounts.models import Organisation
from omzien.activities.schedules import Slot
from omzien.activities.services import LocationData, RegistrationError, activity_save
from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework.models import Source
from omzien.casework.services import SignalData, SignalError, signal_create
from omzien.geo.selectors import postcode_get
from omzien.initiatives.formats import euro
from omzien.initiatives.models import (
    Booking,
    BrokerArea,
    Budget,
    Centre,
    CentreRoom,
    ContactMoment,
    Initiative,
    InitiativeEvent,
    InitiativePhoto,
    KeyFigure,
    Status,
    VisitorCount,
)
from omzien.initiatives.photos import photo_clean
from omzien.initiatives.policies import DECISION_WEEKS, OBJECTION_ADDRESS, PHONE, policy_value
from omzien.lib.mail import send_email
from omzien.volunteers.models import WorkKind
from omzien.volunteers.services import vacancy_save

PURPOSE = "initiative_handling"
NETWORK_PURPOSE = "broker_network"
# The fields of an application that are about the applicant (what an access-log entry names when read).
APPLICANT_FIELDS = ("contact_name", "contact_email", "contact_phone", "postcode")
KEY_FIGURE_FIELDS = ("name", "phone", "email")
# Which status may follow which: the broker's path through an application.
NEXT = {
    Status.RECEIVED: {Status.IN_CONVERSATION, Status.GRANTED, Status.DECLINED},
    Status.IN_CONVERSATION: {Status.GRANTED, Status.DECLINED},
    Status.GRANTED: {Status.RUNNING},
    Status.RUNNING: {Status.EVALUATED},
    Status.DECLINED: set(),
    Status.EVALUATED: set(),
}
COMMITTED = (Status.GRANTED, Status.RUNNING, Status.EVALUATED)


class InitiativeError(ValueError):
    """An action that cannot be done this way; the message says why, for the person acting. ``field`` names
    the form field it is about (the page shows it there), if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def initiative_subject(initiative: Initiative, fields: tuple[str, ...] = APPLICANT_FIELDS) -> events.Subject:
    return events.Subject(object_type="initiative", object_id=str(initiative.public_id), fields=fields)


def key_figure_subject(figure: KeyFigure, fields: tuple[str, ...] = KEY_FIGURE_FIELDS) -> events.Subject:
    return events.Subject(object_type="key_figure", object_id=str(figure.public_id), fields=fields)


def _mail(to: str, subject: str, body: str) -> None:
    if to:
        transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))


def _event(initiative: Initiative, kind: str, actor: Any = None, *, status: str = "", text: str = "",
           at: datetime | None = None) -> InitiativeEvent:  # fmt: skip
    return InitiativeEvent.objects.create(initiative=initiative, kind=kind, actor=actor, status=status, text=text,
                                          at=at or timezone.now())  # fmt: skip


# --- Applications --------------------------------------------------------------------------------------


@dataclass
class ApplicationData:
    title: str
    idea: str
    for_whom: str
    where: str
    when: str
    expected_participants: int
    volunteers_needed: int
    budget_requested: Decimal
    contact_name: str
    contact_email: str
    postcode: str
    contact_phone: str = ""
    group_name: str = ""


def unknown_postcode_message() -> str:
    """Said when a postcode is not in the municipality (by the form, with the other fields, and by the service)."""
    return _("We do not know this postcode in our municipality. Please check it.")


def decision_due_for(received: datetime) -> date:
    """The day by which the application must be decided (Awb 4:13; the term is policy)."""
    return timezone.localdate(received) + timedelta(weeks=int(policy_value(DECISION_WEEKS)))


def initiative_apply(*, data: ApplicationData, actor: events.Actor, received_at: datetime | None = None) -> Initiative:
    """Take in an application: route it by postcode to its wijk (and so its broker), set the decision
    term, acknowledge it by e-mail. Raises InitiativeError when the postcode is not in the municipality."""
    known = postcode_get(data.postcode)
    if known is None:
        raise InitiativeError(unknown_postcode_message(), field="postcode")
    received = received_at or timezone.now()
    with transaction.atomic():
        initiative = Initiative.objects.create(
            reference="BI-" + secrets.token_hex(3).upper(), title=data.title, idea=data.idea, for_whom=data.for_whom,
            where=data.where, when=data.when, expected_participants=data.expected_participants,
            volunteers_needed=data.volunteers_needed, budget_requested=data.budget_requested,
            group_name=data.group_name, contact_name=data.contact_name, contact_email=data.contact_email,
            contact_phone=data.contact_phone, postcode=known.code, neighbourhood=known.neighbourhood,
            district=known.neighbourhood.district, received_at=received, decision_due=decision_due_for(received),
        )  # fmt: skip
        _event(initiative, InitiativeEvent.Kind.RECEIVED, status=Status.RECEIVED, at=received)
        events.record(action=Action.CREATE, actor=actor, subjects=[initiative_subject(initiative)], purpose=PURPOSE,
                      legal_basis="application:awb4.1")  # fmt: skip
        _mail(
            data.contact_email,
            _("We received your initiative %(reference)s") % {"reference": initiative.reference},
            _(
                "Thank you for your initiative \"%(title)s\". We gave it the number %(reference)s.\n\n"
                "The social broker of wijk %(wijk)s will contact you. We decide on your request for money "
                "from the neighbourhood initiative fund by %(due)s at the latest."
            ) % {"title": data.title, "reference": initiative.reference, "wijk": initiative.district.name,
                 "due": date_format(initiative.decision_due)},
        )  # fmt: skip
        # The wijk's brokers hear of it (no personal details in the mail: they read it in Omzien, logged).
        for email in BrokerArea.objects.filter(district=initiative.district).exclude(user__email="").values_list("user__email", flat=True):
            _mail(email, _("New application %(reference)s in wijk %(wijk)s") % {"reference": initiative.reference, "wijk": initiative.district.name},
                  _("A new application to the neighbourhood initiative fund came in: %(reference)s. Decide by %(due)s.")
                  % {"reference": initiative.reference, "due": date_format(initiative.decision_due)})  # fmt: skip
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _move(initiative: Initiative, to: str, acting_user: Any, text: str = "") -> Initiative:
    locked = _locked(initiative)
    if to not in NEXT[Status(locked.status)]:
        raise InitiativeError(
            _("An initiative that is %(now)s cannot become %(next)s.")
            % {"now": Status(locked.status).label, "next": Status(to).label}
        )
    locked.status = to
    _event(locked, InitiativeEvent.Kind.STATUS, acting_user, status=to, text=text)
    return locked


def _log_change(initiative: Initiative, actor: events.Actor, fields: tuple[str, ...] = ("status",)) -> None:
    events.record(action=Action.UPDATE, actor=actor, subjects=[initiative_subject(initiative, fields)], purpose=PURPOSE)


def initiative_conversation_start(*, initiative: Initiative, acting_user: Any, actor: events.Actor) -> Initiative:
    """The broker has spoken with the applicants: the application is in conversation."""
    with transaction.atomic():
        locked = _move(initiative, Status.IN_CONVERSATION, acting_user)
        if locked.broker_id is None:
            locked.broker = acting_user
        locked.save(update_fields=["status", "broker"])
        _log_change(locked, actor)
    return locked


def budget_committed(district_id: int, year: int) -> Decimal:
    """What the wijk's fund has committed in a year: the settled amount of settled grants, else the grant."""
    total = Initiative.objects.filter(
        district_id=district_id, status__in=COMMITTED, decided_at__year=year
    ).aggregate(total=Sum(Coalesce("settled_amount", "amount_granted")))["total"]
    return total or Decimal(0)


def initiative_grant(
    *, initiative: Initiative, amount: Decimal, conditions: str, acting_user: Any, actor: events.Actor,
    at: datetime | None = None,
) -> Initiative:  # fmt: skip
    """Grant the initiative money from the wijk's fund (an Awb decision; the letter carries the objection
    clause). At most the amount asked: the decision answers the application (Awb 4:1), and a grant above
    the request would commit money nobody asked for; applicants who need more change their application
    first. Refused too when the wijk's budget for the year would be exceeded; the budget row is locked so
    that two brokers granting at once cannot overspend it."""
    decided = at or timezone.now()
    year = timezone.localdate(decided).year
    if amount < 0:
        raise InitiativeError(_("The amount cannot be negative."), field="amount")
    if amount > initiative.budget_requested:
        raise InitiativeError(
            _("You can grant at most the %(asked)s asked. If the applicants need more, they change their "
              "application first.") % {"asked": euro(initiative.budget_requested)},
            field="amount",
        )  # fmt: skip
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(district_id=initiative.district_id, year=year).first()
        if budget is None:
            raise InitiativeError(
                _("No budget has been set for wijk %(wijk)s in %(year)s; the administrator sets it.")
                % {"wijk": initiative.district.name, "year": year}, field="amount"
            )  # fmt: skip
        left = budget.amount - budget_committed(initiative.district_id, year)
        if amount > left:
            raise InitiativeError(
                _("Only %(left)s is left in the fund of wijk %(wijk)s for %(year)s.")
                % {"left": euro(left), "wijk": initiative.district.name, "year": year}, field="amount"
            )  # fmt: skip
        locked = _move(initiative, Status.GRANTED, acting_user, text=conditions)
        locked.amount_granted, locked.conditions = amount, conditions.strip()
        locked.decided_at, locked.decided_by = decided, acting_user
        locked.broker = locked.broker or acting_user
        locked.save(update_fields=["status", "amount_granted", "conditions", "decided_at", "decided_by", "broker"])
        _log_change(locked, actor, ("status", "amount_granted", "conditions"))
        _decision_mail(locked)
    return locked


def initiative_decline(*, initiative: Initiative, reason: str, acting_user: Any, actor: events.Actor) -> Initiative:
    """Refuse the application, with the reason (an Awb decision: the letter carries the objection clause)."""
    if not reason.strip():
        raise InitiativeError(_("Give the reason for the refusal: the applicants read it in the letter."))
    with transaction.atomic():
        locked = _move(initiative, Status.DECLINED, acting_user, text=reason)
        locked.decline_reason, locked.decided_at, locked.decided_by = reason.strip(), timezone.now(), acting_user
        locked.broker = locked.broker or acting_user
        locked.save(update_fields=["status", "decline_reason", "decided_at", "decided_by", "broker"])
        _log_change(locked, actor, ("status", "decline_reason"))
        _decision_mail(locked)
    return locked


@dataclass(frozen=True)
class BrokerContact:
    name: str
    organisation: str
    phone: str


def broker_contact(initiative: Initiative) -> BrokerContact:
    """Whom the applicant calls: the initiative's social broker at their organisation's number, else the
    municipality's number (policy ``initiatives.phone``)."""
    broker = initiative.broker or initiative.decided_by
    organisation = getattr(broker, "organisation", None)
    return BrokerContact(
        name=(broker.get_full_name() or broker.get_username()) if broker else "",
        organisation=organisation.name if organisation else "",
        phone=(organisation.phone if organisation and organisation.phone else "") or str(policy_value(PHONE)),
    )


def objection_clause(initiative: Initiative | None = None) -> str:
    """The objection clause of every decision letter (Awb 3:45, 6:7: six weeks), with the number to call first."""
    clause = _(
        "Do you disagree with this decision? Then you can object within six weeks after the day this letter was "
        "sent (art. 6:7 Awb). Send a signed letter with your name and address, the date, the decision you object "
        "to and why, to: %(address)s."
    ) % {"address": policy_value(OBJECTION_ADDRESS)}
    contact = broker_contact(initiative) if initiative is not None else None
    if contact and contact.name:
        call = _("You may first call the social broker, %(name)s (%(organisation)s), on %(phone)s: often we can "
                 "solve it together.") % {"name": contact.name, "organisation": contact.organisation or "—", "phone": contact.phone}  # fmt: skip
    else:
        call = _("You may first call us on %(phone)s: often we can solve it together.") % {
            "phone": contact.phone if contact else policy_value(PHONE)}  # fmt: skip
    return f"{clause} {call}"


def settlement_text(initiative: Initiative) -> str:
    """What the settlement means in money: the amount, and the difference with the grant not paid out or
    paid back (Awb 4:46, 4:57: an advance above the settled amount is reclaimed)."""
    granted, settled = initiative.amount_granted or Decimal(0), initiative.settled_amount or Decimal(0)
    text = _("After your evaluation we settle the grant at %(amount)s (granted: %(granted)s).") % {
        "amount": euro(settled), "granted": euro(granted)}  # fmt: skip
    if settled < granted:
        text += " " + _(
            "The difference of %(difference)s is not paid out. Did you already receive it as an advance? Then you "
            "pay it back: the municipality sends you a payment request with the term and the account number."
        ) % {"difference": euro(granted - settled)}
    else:
        text += " " + _("That is the whole amount granted: nothing is paid back.")
    return text


def letter_pdf(html: str) -> bytes:
    """A decision letter as an accessible PDF: tagged (PDF/UA-1: structure, language, title), A4, as the
    reports room makes the council's report."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


def _decision_mail(initiative: Initiative) -> None:
    if initiative.status == Status.GRANTED:
        body = _(
            "We grant your initiative \"%(title)s\" (%(reference)s) %(amount)s from the neighbourhood initiative "
            "fund.\n\nConditions: %(conditions)s\n\nAfter the initiative we settle the grant on the basis of your "
            "evaluation."
        ) % {"title": initiative.title, "reference": initiative.reference, "amount": euro(initiative.amount_granted),
             "conditions": initiative.conditions or "—"}  # fmt: skip
    else:
        body = _(
            "We cannot grant your initiative \"%(title)s\" (%(reference)s) money from the neighbourhood initiative "
            "fund.\n\nReason: %(reason)s"
        ) % {"title": initiative.title, "reference": initiative.reference, "reason": initiative.decline_reason}
    _mail(initiative.contact_email, _("Decision on your initiative %(reference)s") % {"reference": initiative.reference},
          body + "\n\n" + objection_clause(initiative))  # fmt: skip


def initiative_start(*, initiative: Initiative, acting_user: Any, actor: events.Actor) -> Initiative:
    """A granted initiative has started."""
    with transaction.atomic():
        locked = _move(initiative, Status.RUNNING, acting_user)
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at"])
        _log_change(locked, actor)
    return locked


def initiative_evaluate(
    *, initiative: Initiative, participants: int, went_well: str, could_be_better: str, acting_user: Any,
    actor: events.Actor,
) -> Initiative:  # fmt: skip
    """Record the evaluation: participants reached, what went well and what could be better."""
    with transaction.atomic():
        locked = _move(initiative, Status.EVALUATED, acting_user)
        locked.participants_reached, locked.went_well = participants, went_well.strip()
        locked.could_be_better, locked.evaluated_at = could_be_better.strip(), timezone.now()
        locked.save(update_fields=["status", "participants_reached", "went_well", "could_be_better", "evaluated_at"])
        _log_change(locked, actor, ("status", "participants_reached"))
    return locked


def initiative_settle(*, initiative: Initiative, amount: Decimal, acting_user: Any, actor: events.Actor) -> Initiative:
    """The final settlement of the grant (vaststelling, Awb 4:44): what the fund finally pays, at most the grant."""
    with transaction.atomic():
        locked = _locked(initiative)
        if locked.status != Status.EVALUATED:
            raise InitiativeError(_("A grant is settled after the evaluation."))
        if locked.settled_at is not None:
            raise InitiativeError(_("This grant has already been settled."))
        if amount < 0 or amount > (locked.amount_granted or 0):
            raise InitiativeError(
                _("The settled amount lies between %(zero)s and the %(granted)s granted.")
                % {"zero": euro(0), "granted": euro(locked.amount_granted or 0)}, field="amount"
            )  # fmt: skip
        locked.settled_amount, locked.settled_at = amount, timezone.now()
        locked.save(update_fields=["settled_amount", "settled_at"])
        _event(locked, InitiativeEvent.Kind.SETTLED, acting_user, text=euro(amount))
        _log_change(locked, actor, ("settled_amount",))
        _mail(locked.contact_email, _("Final settlement of your grant %(reference)s") % {"reference": locked.reference},
              f"\"{locked.title}\" ({locked.reference})\n\n" + settlement_text(locked) + "\n\n" + objection_clause(locked))  # fmt: skip
    return locked


def initiative_note_add(*, initiative: Initiative, text: str, acting_user: Any, actor: events.Actor) -> InitiativeEvent:
    """Append a note to the initiative's history (notes are never edited)."""
    if not text.strip():
        raise InitiativeError(_("Write the note first."))
    with transaction.atomic():
        event = _event(initiative, InitiativeEvent.Kind.NOTE, acting_user, text=text.strip()[:3000])
        _log_change(initiative, actor, ("notes",))
    return event


def photo_add(
    *, initiative: Initiative, raw: bytes, caption: str, consent: bool, acting_user: Any, actor: events.Actor
) -> InitiativePhoto:
    """Keep a photo of the initiative, only with the consent of the people in it, without its metadata."""
    if not consent:
        raise InitiativeError(_("A photo is kept only when the people in it agreed."))
    clean = photo_clean(raw)
    with transaction.atomic():
        photo = InitiativePhoto.objects.create(
            initiative=initiative, image=clean.data, width=clean.width, height=clean.height, caption=caption.strip(),
            consent_given=True, uploaded_at=timezone.now(), uploaded_by=acting_user,
        )  # fmt: skip
        _event(initiative, InitiativeEvent.Kind.PHOTO, acting_user, text=caption.strip())
        _log_change(initiative, actor, ("photos",))
    return photo


# --- Publishing: the sociale kaart and the volunteer room ----------------------------------------------


@dataclass
class PublishData:
    title: str
    description: str
    slots: list[Slot]
    capacity: int
    centre: Centre | None = None
    contact_phone: str = ""
    contact_email: str = ""


def _publisher(acting_user: Any) -> Organisation:
    organisation = getattr(acting_user, "organisation", None)
    if organisation is None:
        raise InitiativeError(_("Your account has no organisation to publish under."))
    return organisation  # type: ignore[no-any-return]


def activity_publish(*, initiative: Initiative, data: PublishData, acting_user: Any, actor: events.Actor) -> Initiative:
    """Publish the running initiative's meetings as an activity in the sociale kaart (then it is found in
    the search, on the map and in the HSDS API), or update it. The activity belongs to the broker's
    organisation, which supports the initiative; its places are the initiative's maximum."""
    if initiative.status not in (Status.GRANTED, Status.RUNNING):
        raise InitiativeError(_("Only a granted or running initiative is published in the sociale kaart."))
    if not data.slots:
        raise InitiativeError(_("Give at least one meeting time, for example: wo 18:00-20:00."))
    centre = data.centre
    location = (
        LocationData(name=centre.name, street=centre.street, postcode=centre.postcode,
                     wheelchair_accessible=centre.rooms.filter(wheelchair_accessible=True).exists(),
                     hearing_loop=centre.rooms.filter(hearing_loop=True).exists())
        # The application's own place (a street, a garden): nobody said whether a wheelchair gets in.
        if centre else LocationData(name=initiative.where[:200], postcode=initiative.postcode, wheelchair_accessible=None)
    )  # fmt: skip
    values = {
        "title": data.title, "description": data.description, "capacity": data.capacity, "is_active": True,
        "contact_phone": data.contact_phone, "contact_email": data.contact_email,
        "cost_note": _("A residents' initiative, supported by the social broker."),
    }  # fmt: skip
    with transaction.atomic():
        locked = _locked(initiative)
        try:
            activity = activity_save(
                organisation=locked.activity.organisation if locked.activity else _publisher(acting_user),
                values=values, location=location, slots=data.slots, activity=locked.activity,
                # What the activities room added to it (interests, target groups) stays.
                interests=list(locked.activity.interests.all()) if locked.activity else [],
                target_groups=list(locked.activity.target_groups.all()) if locked.activity else [],
            )  # fmt: skip
        except RegistrationError as error:
            raise InitiativeError(error.message) from error
        locked.activity = activity
        locked.save(update_fields=["activity"])
        _event(locked, InitiativeEvent.Kind.PUBLISHED, acting_user, text=", ".join(slot.text() for slot in data.slots))
        _log_change(locked, actor, ("activity",))
    return locked


def volunteers_ask(
    *, initiative: Initiative, title: str, description: str, hours: str, acting_user: Any, actor: events.Actor
) -> Initiative:
    """Ask for volunteers for the initiative as a vacancy in the volunteer room (published at once)."""
    if initiative.status not in (Status.GRANTED, Status.RUNNING):
        raise InitiativeError(_("Only a granted or running initiative asks for volunteers."))
    with transaction.atomic():
        locked = _locked(initiative)
        vacancy = vacancy_save(
            organisation=locked.vacancy.organisation if locked.vacancy else _publisher(acting_user),
            values={"title": title, "description": description, "work_kind": WorkKind.ACTIVITIES, "hours": hours,
                    "postcode": locked.postcode, "needs_vog": False, "is_published": True, "languages": []},
            vacancy=locked.vacancy,
        )  # fmt: skip
        locked.vacancy = vacancy
        locked.save(update_fields=["vacancy"])
        _event(locked, InitiativeEvent.Kind.VACANCY, acting_user, text=title)
        _log_change(locked, actor, ("vacancy",))
    return locked


# --- Community centres: bookings and visitor counts --------------------------------------------------


class BookingError(ValueError):
    """A booking that cannot be made; the message names the problem (and the dates that clash)."""


@dataclass
class BookingRequest:
    room: CentreRoom
    day: date
    starts: time
    ends: time
    title: str
    booked_for: str
    repeat_weeks: int = 0  # 0: once; n: weekly, n more times after the first
    expected_visitors: int = 0
    initiative: Initiative | None = None


def occurrences(request: BookingRequest) -> list[tuple[datetime, datetime]]:
    """The slots a (recurring) booking asks for, local times kept across summer time (dateutil's rrule)."""
    days = rrule(WEEKLY, dtstart=datetime.combine(request.day, time()), count=request.repeat_weeks + 1)
    return [
        (timezone.make_aware(datetime.combine(day.date(), request.starts)),
         timezone.make_aware(datetime.combine(day.date(), request.ends)))
        for day in days
    ]  # fmt: skip


def _outside_opening_hours(room: CentreRoom, slots: list[tuple[datetime, datetime]]) -> list[datetime]:
    hours = list(room.centre.opening_hours.all())
    if not hours:
        return []
    outside = []
    for start, end in slots:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        fits = any(
            h.weekday == local_start.weekday() and h.opens <= local_start.time() and local_end.time() <= h.closes
            and local_end.date() == local_start.date()
            for h in hours
        )
        if not fits:
            outside.append(start)
    return outside


def booking_make(*, request: BookingRequest, acting_user: Any, now: datetime | None = None) -> list[Booking]:
    """Book a room once or weekly. All or nothing: if any slot clashes with another booking of the room
    (or falls outside the opening hours) nothing is booked and the error names the dates.

    The room's row is locked first, so two people booking the same slot at once queue up: the second
    sees the first's booking and is refused.
    """
    if request.ends <= request.starts:
        raise BookingError(_("The end time must be after the start time."))
    if not request.title.strip() or not request.booked_for.strip():
        raise BookingError(_("Say what the room is booked for and for whom."))
    if request.expected_visitors > request.room.capacity:
        raise BookingError(
            _("The room holds %(capacity)s people; choose a larger room.") % {"capacity": request.room.capacity}
        )
    booked_at = now or timezone.now()
    slots = occurrences(request)
    if slots[0][0] < booked_at:
        raise BookingError(_("A booking cannot start in the past."))
    outside = _outside_opening_hours(request.room, slots)
    if outside:
        raise BookingError(
            _("The centre is closed then: %(dates)s.") % {"dates": ", ".join(date_format(timezone.localtime(d), "DATETIME_FORMAT") for d in outside[:5])}
        )
    with transaction.atomic():
        CentreRoom.objects.select_for_update().get(pk=request.room.pk)
        clash = Q()
        for start, end in slots:
            clash |= Q(starts_at__lt=end, ends_at__gt=start)
        taken = list(
            Booking.objects.filter(clash, room=request.room, cancelled_at__isnull=True).values_list("starts_at", flat=True)[:5]
        )
        if taken:
            raise BookingError(
                _("The room is already booked then: %(dates)s.")
                % {"dates": ", ".join(date_format(timezone.localtime(d), "DATETIME_FORMAT") for d in taken)}
            )
        series = uuid.uuid4() if len(slots) > 1 else None
        return Booking.objects.bulk_create(
            Booking(room=request.room, starts_at=start, ends_at=end, title=request.title.strip(),
                    booked_for=request.booked_for.strip(), initiative=request.initiative, series=series,
                    expected_visitors=request.expected_visitors, booked_by=acting_user, booked_at=booked_at)
            for start, end in slots
        )  # fmt: skip


class CancelScope:
    """Which bookings of a weekly series a cancellation takes (the words are the form's values)."""

    ONE = "deze"  # only this one
    FOLLOWING = "volgende"  # this one and the later ones
    SERIES = "reeks"  # the whole series, as far as it is still to come
    ALL = (ONE, FOLLOWING, SERIES)


def bookings_to_cancel(booking: Booking, scope: str, now: datetime | None = None) -> QuerySet[Booking]:
    """The bookings a cancellation of ``booking`` with ``scope`` takes: still standing and, for the whole
    series, still to come (a meeting that took place stays in the figures of the room's use)."""
    if scope not in CancelScope.ALL:
        raise BookingError(_("Choose which bookings to cancel."))
    if booking.ends_at <= (now or timezone.now()):
        raise BookingError(_("This booking has already taken place: it stays in the room's use."))
    bookings = Booking.objects.filter(pk=booking.pk)
    if booking.series and scope == CancelScope.FOLLOWING:
        bookings = Booking.objects.filter(series=booking.series, starts_at__gte=booking.starts_at)
    elif booking.series and scope == CancelScope.SERIES:
        bookings = Booking.objects.filter(series=booking.series, ends_at__gt=now or timezone.now())
    return bookings.filter(cancelled_at__isnull=True).order_by("starts_at")


def booking_cancel(*, booking: Booking, scope: str = CancelScope.ONE, now: datetime | None = None) -> int:
    """Cancel a booking, the later ones of its series too, or the whole series still to come; return how many."""
    at = now or timezone.now()
    with transaction.atomic():
        return Booking.objects.filter(pk__in=bookings_to_cancel(booking, scope, at).values("pk")).update(cancelled_at=at)


def visitor_count_record(*, centre: Centre, day: date, part: str, visitors: int, acting_user: Any) -> VisitorCount:
    """Record (or correct) the number of visitors of a centre in one part of a day."""
    if day > timezone.localdate():
        raise BookingError(_("Visitors are counted afterwards, not for a day still to come."))
    count, _created = VisitorCount.objects.update_or_create(
        centre=centre, day=day, part=part, defaults={"visitors": visitors, "recorded_by": acting_user}
    )
    return count


# --- The broker's network ------------------------------------------------------------------------------


def key_figure_add(*, values: dict[str, Any], acting_user: Any, actor: events.Actor) -> KeyFigure:
    """Add a key figure or organisation to the broker's network in a wijk."""
    with transaction.atomic():
        figure = KeyFigure.objects.create(**values, added_by=acting_user, added_at=timezone.now())
        events.record(action=Action.CREATE, actor=actor, subjects=[key_figure_subject(figure)], purpose=NETWORK_PURPOSE)
    return figure


def contact_add(
    *, figure: KeyFigure, on: date, summary: str, agreements: str, acting_user: Any, actor: events.Actor
) -> ContactMoment:
    """Append a contact moment with what was discussed and agreed (never edited afterwards)."""
    if on > timezone.localdate():
        raise InitiativeError(_("A contact moment is recorded afterwards, not for a day still to come."))
    with transaction.atomic():
        moment = ContactMoment.objects.create(key_figure=figure, on=on, summary=summary.strip(),
                                              agreements=agreements.strip(), by=acting_user, recorded_at=timezone.now())  # fmt: skip
        events.record(action=Action.UPDATE, actor=actor, subjects=[key_figure_subject(figure, ("contacts",))],
                      purpose=NETWORK_PURPOSE)  # fmt: skip
    return moment


def worry_report(*, data: SignalData, figure: KeyFigure | None, acting_user: Any, actor: events.Actor) -> str:
    """File a casework signal about a resident the broker worries about (casework routes it to the buurtteam);
    return its reference. Noted in the network when it came up with a key figure."""
    data.reporter_name = acting_user.get_full_name() or acting_user.get_username()
    data.reporter_email = acting_user.email or ""
    with transaction.atomic():
        try:
            signal = signal_create(data=data, source=Source.SOCIAL_BROKER, actor=actor, reported_by=acting_user,
                                   reporter_organisation=acting_user.organisation)  # fmt: skip
        except SignalError as error:
            raise InitiativeError(str(error)) from error
        if figure is not None:
            ContactMoment.objects.create(
                key_figure=figure, on=timezone.localdate(), by=acting_user, recorded_at=timezone.now(),
                summary=_("Worry reported to the neighbourhood team (%(reference)s).") % {"reference": signal.reference},
                signal_reference=signal.reference,
            )  # fmt: skip
    return signal.reference


# --- Rights and retention ------------------------------------------------------------------------------


def applications_expire(now: datetime, dry_run: bool, keep: timedelta) -> int:
    """Remove the contact details of applications decided (refused) or settled longer than ``keep`` ago;
    the initiative and its figures stay. Return how many."""
    before = now - keep
    expired = Initiative.objects.exclude(contact_name="").filter(
        Q(status=Status.DECLINED, decided_at__lt=before) | Q(settled_at__lt=before)
    )
    if dry_run:
        return expired.count()
    return expired.update(contact_name="", contact_email="", contact_phone="", group_name="")


def applications_of_resident_erase(resident: Any) -> dict[str, int]:
    """Remove the resident's contact details from their applications that are no grant; a grant's file is kept
    for the accounts (legal hold) and goes with the retention rule."""
    from omzien.initiatives.selectors import _applications_of

    erasable = _applications_of(resident).filter(status__in=(Status.RECEIVED, Status.IN_CONVERSATION, Status.DECLINED))
    erased = erasable.update(contact_name="", contact_email="", contact_phone="", group_name="")
    return {"applications": erased}
