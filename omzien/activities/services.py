# SPDX-License-Identifier: EUPL-1.2
"""Writes in the activities room: activities, registrations, waiting lists and offers, attendance.

Capacity: ``places_taken`` changes only through ``_take_place`` (a conditional UPDATE that also
locks the row until commit) and ``_release_place``; the check constraint ``activity_never_overbooked``
is the database's last word. A freed place is never simply released while residents wait: it is
held and offered to the first in the engine's rank (``allocation.waiting_ranking``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from omzien import policy
from omzien.accounts.models import Organisation
from omzien.activities import search_index
from omzien.activities.allocation import AllocationPlan, allocation_plan, waiting_ranking
from omzien.activities.models import (
    Activity,
    Attendance,
    Location,
    Registration,
    Schedule,
    Term,
    WaitingListEntry,
)
from omzien.activities.schedules import Slot
from omzien.activities.selectors import stale_before
from omzien.audit import events
from omzien.audit.models import Action
from omzien.geo.models import Postcode
from omzien.geo.selectors import normalize_postcode, postcode_get
from omzien.lib.mail import send_email
from omzien.lib.rooms import resident_urgency
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink
from omzien.residents.permissions import residents_visible_to
from omzien.residents.services import link_end, link_open

SYSTEM = events.Actor(display="omzien tick", role="system", channel="tick")


class RegistrationError(Exception):
    """A registration, offer or withdrawal that cannot be done; ``message`` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    registration: Registration | None = None
    waiting: WaitingListEntry | None = None


# --- Activities ------------------------------------------------------------------------------------


@dataclass
class LocationData:
    name: str
    street: str = ""
    postcode: str = ""
    city: str = "Utrecht"
    wheelchair_accessible: bool | None = False  # None: not stated ("unknown" on the page)
    hearing_loop: bool = False


def location_for(organisation: Organisation, data: LocationData) -> Location:
    """Return the organisation's location with this name and postcode, created or updated.

    The buurt and the coordinates follow from the postcode (PC6, else PC4).
    """
    postcode = normalize_postcode(data.postcode) or ""
    known = postcode_get(postcode) if postcode else None
    values = {
        "street": data.street, "city": data.city or "Utrecht",
        "wheelchair_accessible": data.wheelchair_accessible, "hearing_loop": data.hearing_loop,
        "neighbourhood": known.neighbourhood if known else None,
        "lat": known.lat if known else None, "lon": known.lon if known else None,
    }  # fmt: skip
    location, _created = Location.objects.update_or_create(
        organisation=organisation, name=data.name, postcode=postcode, defaults=values
    )
    return location


def activity_save(
    *,
    organisation: Organisation,
    values: dict[str, Any],
    location: LocationData | None,
    slots: list[Slot],
    interests: list[Term],
    target_groups: list[Term],
    activity: Activity | None = None,
) -> Activity:
    """Create or update an activity with its location and schedule; saving confirms its information.

    A larger capacity offers the new places to the waiting list straight away.
    """
    with transaction.atomic():
        if activity is not None:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
            if values.get("capacity", activity.capacity) < activity.places_taken:
                raise RegistrationError(
                    _("%(taken)s places are taken; the number of places cannot be lower.")
                    % {"taken": activity.places_taken}
                )
        else:
            activity = Activity(organisation=organisation)
        for name, value in values.items():
            setattr(activity, name, value)
        activity.location = location_for(organisation, location) if location else None
        activity.last_confirmed_at = timezone.now()
        activity.confirm_reminder_sent_at = None
        activity.save()
        activity.interests.set(interests)
        activity.target_groups.set(target_groups)
        # A session that stays the same keeps its id (the open API names schedules by id).
        kept = {
            (x.weekday, x.starts_at, x.ends_at, x.interval_weeks): x.public_id
            for x in activity.schedules.all()
        }
        activity.schedules.all().delete()
        Schedule.objects.bulk_create(
            Schedule(
                activity=activity,
                weekday=s.weekday,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                interval_weeks=s.interval_weeks,
                public_id=kept.get((s.weekday, s.starts_at, s.ends_at, s.interval_weeks)) or uuid.uuid4(),
            )  # fmt: skip
            for s in slots
        )
        # Every activity at the (possibly moved) location gets the new coordinates in its index.
        sharing = Activity.objects.filter(location=activity.location_id) if activity.location_id else None
        search_index.refresh([activity.pk, *(sharing.values_list("pk", flat=True) if sharing else [])])
        places_offer_free(activity)
    return activity


def activity_confirm(*, activity: Activity) -> None:
    """The provider confirms the information is still current."""
    Activity.objects.filter(pk=activity.pk).update(
        last_confirmed_at=timezone.now(), confirm_reminder_sent_at=None
    )


# --- Capacity --------------------------------------------------------------------------------------


def _take_place(activity_id: int) -> bool:
    """Take one place if one is free. The UPDATE's row lock serialises concurrent takers.

    ``updated_at`` moves too (an UPDATE skips ``auto_now``): the free places are part of what the
    HSDS API publishes, and consumers sync by ``modified_after``.
    """
    return bool(
        Activity.objects.filter(pk=activity_id, is_active=True, places_taken__lt=F("capacity")).update(
            places_taken=F("places_taken") + 1, updated_at=timezone.now()
        )
    )


def _release_place(activity_id: int) -> None:
    Activity.objects.filter(pk=activity_id, places_taken__gt=0).update(
        places_taken=F("places_taken") - 1, updated_at=timezone.now()
    )


def _sync_provider_link(resident: Resident, organisation_id: int) -> None:
    """Keep one registration link to the provider while the resident is registered or waiting there."""
    involved = (
        Registration.objects.filter(resident=resident, activity__organisation_id=organisation_id,
                                    status=Registration.Status.ACTIVE).exists()
        or WaitingListEntry.objects.filter(resident=resident, activity__organisation_id=organisation_id,
                                           status__in=WaitingListEntry.OPEN).exists()
    )  # fmt: skip
    links = ResidentLink.objects.filter(
        resident=resident,
        organisation_id=organisation_id,
        kind=ResidentLink.Kind.REGISTRATION,
        ended_at__isnull=True,
    )
    if involved and not links.exists():
        link_open(resident=resident, kind=ResidentLink.Kind.REGISTRATION,
                  organisation=Organisation.objects.get(pk=organisation_id), source="activities")  # fmt: skip
    elif not involved:
        for link in links:
            link_end(link=link)


def need_for(resident: Resident) -> int:
    """Urgency 1-3 of the resident, as the rooms that know it declare (wellbeing: loneliness, by the
    municipality's mapping); asked through the room contract, so activities needs no wellbeing import."""
    return resident_urgency(resident)


def _mail_on_commit(to: list[str], subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_email.enqueue(to=to, subject=subject, body=body))


def _notify_offer(entry: WaitingListEntry) -> None:
    email = entry.resident.email
    if not email:
        return
    if entry.suggested:
        body = _(
            "You are waiting for a place at an activity. A place at '%(title)s' is free now and it is like "
            "what you wait for, so we suggest it to you and keep the place for you until %(until)s. If you "
            "would like to go, accept it under 'My activities' in Omzien (your neighbourhood team can do it "
            "for you); if not, decline it. Either way you stay on your waiting lists."
        ) % {
            "title": entry.activity.title,
            "until": timezone.localtime(entry.offer_expires_at).strftime("%d-%m-%Y %H:%M"),
        }
        _mail_on_commit([email], _("A suggestion for you: %(title)s") % {"title": entry.activity.title}, body)
        return
    body = _(
        "A place has become free at '%(title)s' and it is offered to you. Accept it before %(until)s "
        "under 'My activities' in Omzien; after that it passes to the next person."
    ) % {
        "title": entry.activity.title,
        "until": timezone.localtime(entry.offer_expires_at).strftime("%d-%m-%Y %H:%M"),
    }
    _mail_on_commit([email], _("A place for you at %(title)s") % {"title": entry.activity.title}, body)


def _offer_to(entry: WaitingListEntry, now: datetime) -> None:
    entry.status = WaitingListEntry.Status.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = now + policy.get("activities.offer_hours")
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    _notify_offer(entry)


def _place_freed(activity: Activity, now: datetime) -> WaitingListEntry | None:
    """A held or taken place became free: offer it to the first in rank, or release it.

    The caller holds the activity's row lock, so two places freed at once never go to the same person.
    """
    ranking = waiting_ranking(activity, now=now)
    if ranking:
        _offer_to(ranking[0].entry, now)
        return ranking[0].entry
    _release_place(activity.pk)
    return None


def places_offer_free(activity: Activity, *, now: datetime | None = None) -> list[WaitingListEntry]:
    """Offer every free place to the waiting list, best-ranked first (after more capacity, or a round)."""
    now = now or timezone.now()
    offered: list[WaitingListEntry] = []
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.places_taken >= locked.capacity:
            return offered
        for item in waiting_ranking(locked, now=now):
            if not _take_place(locked.pk):
                break
            _offer_to(item.entry, now)
            offered.append(item.entry)
    return offered


# --- Registration ----------------------------------------------------------------------------------


def _record_sharing_consent(
    resident: Resident, organisation: Organisation, method: str, by: Any
) -> ConsentEvent:
    return ConsentEvent.objects.create(resident=resident, purpose=ConsentPurpose.SHARING, organisation=organisation,
                                       given=True, method=method, recorded_by=by)  # fmt: skip


def register(
    *,
    activity: Activity,
    resident: Resident,
    acting_user: Any,
    actor: events.Actor,
    via: str,
    consent_method: str = ConsentMethod.DIGITAL,
    need: int | None = None,
) -> Outcome:
    """Register the resident, or put them on the waiting list when no place is free (or others wait).

    Registering shares the resident's name and contact details with the provider, so it records the
    resident's consent to that (given by the resident online, or to the professional).
    """
    with transaction.atomic():
        # The activity's row lock comes first, in every writer here, so writers queue per activity
        # and never wait on each other in opposite orders (the audit chain's lock comes after it).
        locked = Activity.objects.select_for_update().filter(pk=activity.pk, is_active=True).values_list("pk")
        if not list(locked):
            raise RegistrationError(_("This activity no longer takes registrations."))
        if Registration.objects.filter(
            activity=activity, resident=resident, status=Registration.Status.ACTIVE
        ).exists():
            raise RegistrationError(_("Already registered for this activity."))
        if WaitingListEntry.objects.filter(
            activity=activity, resident=resident, status__in=WaitingListEntry.OPEN
        ).exists():
            raise RegistrationError(_("Already on the waiting list for this activity."))
        others_wait = activity.waiting_list.filter(status=WaitingListEntry.Status.WAITING).exists()
        consent = _record_sharing_consent(resident, activity.organisation, consent_method, acting_user)
        outcome: Outcome
        try:
            with transaction.atomic():
                if not others_wait and _take_place(activity.pk):
                    registration = Registration.objects.create(
                        activity=activity, resident=resident, via=via, registered_by=acting_user
                    )
                    outcome = Outcome(registration=registration)
                else:
                    entry = WaitingListEntry.objects.create(
                        activity=activity, resident=resident, need=need or need_for(resident), added_by=acting_user,
                        joined_at=timezone.now(),
                    )  # fmt: skip
                    outcome = Outcome(waiting=entry)
        except IntegrityError as error:  # the same resident, registered twice at the same moment
            raise RegistrationError(_("Already registered for this activity.")) from error
        _sync_provider_link(resident, activity.organisation_id)
        made = outcome.registration or outcome.waiting
        events.record(action=Action.CREATE, actor=actor, purpose="activity_registration",
                      subjects=[events.resident_subject(resident, type(made).__name__.lower(), made.public_id)],  # type: ignore[union-attr]
                      legal_basis=f"consent:{consent.pk}")  # fmt: skip
        if outcome.waiting is not None:
            places_offer_free(activity)
            outcome.waiting.refresh_from_db()
    return outcome


def registration_end(*, registration: Registration, actor: events.Actor) -> None:
    """End a registration; the place goes to the waiting list's first in rank."""
    now = timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        ended = Registration.objects.filter(pk=registration.pk, status=Registration.Status.ACTIVE).update(
            status=Registration.Status.ENDED, ended_at=now
        )
        if not ended:
            return
        _place_freed(activity, now)
        _sync_provider_link(registration.resident, activity.organisation_id)
        events.record(action=Action.UPDATE, actor=actor, purpose="activity_registration",
                      subjects=[events.resident_subject(registration.resident, "registration", registration.public_id, ("status",))])  # fmt: skip


def _close_entry(entry: WaitingListEntry, status: str, actor: events.Actor, now: datetime) -> bool:
    """Close an open entry; a held place passes on. Returns False if it was no longer open."""
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=entry.activity_id)
        current = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
        if current.status not in WaitingListEntry.OPEN:
            return False
        held = current.status == WaitingListEntry.Status.OFFERED
        current.status, current.decided_at = status, now
        current.save(update_fields=["status", "decided_at"])
        if held:
            _place_freed(activity, now)
        _sync_provider_link(current.resident, activity.organisation_id)
        events.record(action=Action.UPDATE, actor=actor, purpose="activity_registration",
                      subjects=[events.resident_subject(current.resident, "waitinglistentry", current.public_id, ("status",))])  # fmt: skip
    return True


def waiting_withdraw(*, entry: WaitingListEntry, actor: events.Actor) -> None:
    _close_entry(entry, WaitingListEntry.Status.WITHDRAWN, actor, timezone.now())


def offer_decline(*, entry: WaitingListEntry, actor: events.Actor) -> None:
    if entry.status != WaitingListEntry.Status.OFFERED:
        raise RegistrationError(_("There is no open offer to decline."))
    _close_entry(entry, WaitingListEntry.Status.DECLINED, actor, timezone.now())


def offer_accept(*, entry: WaitingListEntry, acting_user: Any, actor: events.Actor) -> Registration:
    """Accept an offered place: it was held for the resident, so it becomes a registration."""
    now = timezone.now()
    with transaction.atomic():
        Activity.objects.select_for_update().get(pk=entry.activity_id)
        current = WaitingListEntry.objects.select_for_update().select_related("activity").get(pk=entry.pk)
        if current.status != WaitingListEntry.Status.OFFERED or (current.offer_expires_at or now) < now:
            raise RegistrationError(_("This offer is no longer open."))
        current.status, current.decided_at = WaitingListEntry.Status.ACCEPTED, now
        current.save(update_fields=["status", "decided_at"])
        if not ConsentEvent.objects.filter(resident=current.resident, purpose=ConsentPurpose.SHARING,
                                           organisation=current.activity.organisation, given=True).exists():  # fmt: skip
            _record_sharing_consent(
                current.resident, current.activity.organisation, ConsentMethod.DIGITAL, acting_user
            )
        registration = Registration.objects.create(
            activity=current.activity,
            resident=current.resident,
            via=Registration.Via.OFFER,
            registered_by=acting_user,
        )
        _sync_provider_link(current.resident, current.activity.organisation_id)
        events.record(action=Action.CREATE, actor=actor, purpose="activity_registration",
                      subjects=[events.resident_subject(current.resident, "registration", registration.public_id)])  # fmt: skip
    return registration


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire every offer past its time and pass the place on (idempotent; run by ``omzien tick``)."""
    now = now or timezone.now()
    expired = 0
    due = WaitingListEntry.objects.filter(status=WaitingListEntry.Status.OFFERED, offer_expires_at__lt=now)
    for entry in due.select_related("resident").order_by("offer_expires_at", "pk"):
        with events.audit_scope():
            expired += _close_entry(entry, WaitingListEntry.Status.EXPIRED, SYSTEM, now)
    return expired


# --- City-wide allocation round --------------------------------------------------------------------


def allocation_apply(
    *, actor: events.Actor, acting_user: Any, chosen: set[str] | None = None
) -> tuple[AllocationPlan, int]:
    """Compute the round afresh and offer each proposed place the coordinator kept (all when ``chosen`` is None).

    A place at an activity the resident waits for is an offer; a place elsewhere is a suggestion,
    held for them like an offer and told as such. Places taken meanwhile, and residents who meanwhile
    hold an offer or joined that list, are skipped. Returns the plan and how many went out.
    """
    now = timezone.now()
    plan = allocation_plan(now=now)
    picked = [p for p in plan.proposals if chosen is None or p.key in chosen]
    if not picked:
        return plan, 0
    # One transaction for the round, with a handful of set-wise queries instead of a dozen per
    # proposal (issue #16: 5.5 s for the first send). The activities' rows are locked in pk order
    # (no deadlock with another round), then the residents' open entries, so a place taken or an
    # offer made meanwhile is seen here and skipped, as before.
    with transaction.atomic():
        free = {
            pk: capacity - taken
            for pk, capacity, taken in Activity.objects.select_for_update()
            .filter(pk__in={p.activity.pk for p in picked}, is_active=True)
            .order_by("pk")
            .values_list("pk", "capacity", "places_taken")
        }
        open_entries = list(
            WaitingListEntry.objects.select_for_update()
            .filter(resident_id__in={p.resident_id for p in picked}, status__in=WaitingListEntry.OPEN)
            .order_by("pk")
        )
        holding = {e.resident_id for e in open_entries if e.status == WaitingListEntry.Status.OFFERED}
        entry_at = {(e.resident_id, e.activity_id): e for e in open_entries}
        new: list[WaitingListEntry] = []
        offered: list[WaitingListEntry] = []
        for proposal in picked:
            activity = proposal.activity
            entry = entry_at.get((proposal.resident_id, activity.pk))
            if proposal.resident_id in holding or free.get(activity.pk, 0) <= 0:
                continue
            if entry is None and proposal.waiting_for_it:
                continue  # left the list meanwhile
            if entry is None:
                entry = WaitingListEntry(
                    activity=activity, resident=proposal.entries[0].resident, suggested=True,
                    need=max(e.need for e in proposal.entries), added_by=acting_user, joined_at=now,
                )  # fmt: skip
                new.append(entry)
            entry.activity, entry.resident = activity, proposal.entries[0].resident
            free[activity.pk] -= 1
            holding.add(proposal.resident_id)
            offered.append(entry)
        expires = now + policy.get("activities.offer_hours")
        for entry in offered:
            entry.status, entry.offered_at, entry.offer_expires_at = WaitingListEntry.Status.OFFERED, now, expires
        WaitingListEntry.objects.bulk_create(new)
        created = {id(e) for e in new}
        WaitingListEntry.objects.bulk_update(
            [e for e in offered if id(e) not in created], ["status", "offered_at", "offer_expires_at"]
        )
        taken = Counter(entry.activity_id for entry in offered)
        if taken:
            Activity.objects.filter(pk__in=taken).update(
                places_taken=Case(
                    *(When(pk=pk, then=F("places_taken") + n) for pk, n in taken.items()),
                    output_field=models.PositiveIntegerField(),
                ),
                updated_at=now,  # the free places are published (HSDS modified_after, the cached public pages)
            )
        for entry in offered:
            _notify_offer(entry)
        if offered:
            events.record(action=Action.UPDATE, actor=actor, purpose="allocation_round",
                          subjects=[events.resident_subject(e.resident, "waitinglistentry", e.public_id, ("status",))
                                    for e in offered])  # fmt: skip
    return plan, len(offered)


# --- Attendance ------------------------------------------------------------------------------------


def attendance_record(*, activity: Activity, session_date: Any, present_ids: set[int], acting_user: Any,
                      actor: events.Actor) -> int:  # fmt: skip
    """Record who came to one session: every active registration the user may see gets present or absent.

    A write about a resident goes through the same access rule as a read: a registration whose resident
    the user may not see (e.g. the resident withdrew consent to share with this provider) is neither
    written nor marked present by posting its id; such an attempt is logged as refused. The session
    must lie within the activity's life in Omzien: from the day it was added until today.
    """
    first, today = timezone.localdate(activity.created_at), timezone.localdate()
    if not first <= session_date <= today:
        raise ValidationError(
            _("Attendance can only be recorded for a session between %(first)s and today.")
            % {"first": date_format(first)}
        )
    visible = residents_visible_to(acting_user)
    active = activity.registrations.filter(status=Registration.Status.ACTIVE).select_related("resident")
    registrations = list(active.filter(resident__in=visible))
    allowed = {registration.pk for registration in registrations}
    for hidden in active.filter(pk__in=set(present_ids) - allowed):
        events.record_denied(action=Action.UPDATE, actor=actor, purpose="attendance", http_status=404,
                             subject=events.resident_subject(hidden.resident, "attendance",
                                                             f"{hidden.public_id}:{session_date}", ("present",)))  # fmt: skip
    with transaction.atomic():
        # One read, one insert and one update for the whole group, not three queries per person
        # (issue #16: 21 s for 16 people). The unique constraint still guards a double row.
        existing = {
            row.registration_id: row
            for row in Attendance.objects.select_for_update().filter(
                registration__in=registrations, session_date=session_date
            )
        }
        now = timezone.now()
        new, changed = [], []
        for registration in registrations:
            present = registration.pk in present_ids
            row = existing.get(registration.pk)
            if row is None:
                new.append(Attendance(registration=registration, session_date=session_date, present=present,
                                      recorded_by=acting_user, recorded_at=now))  # fmt: skip
            else:
                row.present, row.recorded_by, row.recorded_at = present, acting_user, now
                changed.append(row)
        Attendance.objects.bulk_create(new)
        Attendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])
        events.record(action=Action.UPDATE, actor=actor, purpose="attendance",
                      subjects=[events.resident_subject(r.resident, "attendance", f"{r.public_id}:{session_date}", ("present",))
                                for r in registrations])  # fmt: skip
    return len(registrations)


# --- Keeping the information current ---------------------------------------------------------------


def stale_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each provider once about activities unconfirmed for longer than the setting."""
    from omzien.accounts.roles import Role

    now = now or timezone.now()
    limit = stale_before(now)
    due = Activity.objects.filter(
        is_active=True, last_confirmed_at__lt=limit, confirm_reminder_sent_at__isnull=True
    )
    reminded = 0
    for organisation in Organisation.objects.filter(activities__in=due).distinct():
        titles = list(due.filter(organisation=organisation).values_list("title", flat=True)[:50])
        to = list(
            organisation.members.filter(is_active=True, groups__name=Role.ACTIVITY_PROVIDER.value)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        with transaction.atomic():
            count = due.filter(organisation=organisation).update(confirm_reminder_sent_at=now)
            if to:
                body = (
                    _("Please check whether this information is still correct, and confirm or change it:")
                    + "\n\n"
                )
                body += "\n".join(f"- {title}" for title in titles)
                subject = _("Omzien: %(count)s activities need checking") % {"count": count}
                _mail_on_commit(to, subject, body)
        reminded += count
    return reminded


def cost_from_text(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace(",", ".").strip() or "0")


def activities_reindex(activity_ids: list[int]) -> None:
    """Refresh the search-index columns of these activities, after another room wrote them in bulk
    (the HSDS import): rooms reach activities through its services."""
    search_index.refresh(activity_ids)


# --- A whole directory at once (the HSDS import) ----------------------------------------------------


@dataclass
class ImportedOrganisation:
    public_id: uuid.UUID
    name: str
    description: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""


@dataclass
class ImportedLocation:
    public_id: uuid.UUID
    organisation: uuid.UUID
    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    wheelchair_accessible: bool = False
    hearing_loop: bool = False


@dataclass
class ImportedTerm:
    public_id: uuid.UUID
    vocabulary: str
    code: str
    name: str
    name_en: str = ""


@dataclass
class ImportedActivity:
    """One activity as it should be after the import; ``slots`` pairs each session with its id."""

    public_id: uuid.UUID
    organisation: uuid.UUID
    location: uuid.UUID | None
    values: dict[str, Any]
    slots: list[tuple[uuid.UUID, Slot]]
    terms: list[uuid.UUID]


@dataclass
class DirectoryImport:
    organisations: list[ImportedOrganisation]
    locations: list[ImportedLocation]
    terms: list[ImportedTerm]
    activities: list[ImportedActivity]


@dataclass
class DirectoryCounts:
    organisations: int = 0
    locations: int = 0
    activities_created: int = 0
    activities_changed: int = 0
    activities_unchanged: int = 0


ACTIVITY_FIELDS = ("title", "description", "contact_email", "contact_phone", "is_active", "cost_note", "cost_eur",
                   "capacity", "access", "languages", "last_confirmed_at")  # fmt: skip


def _changed(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def directory_import_save(batch: DirectoryImport, *, progress: Any = None) -> DirectoryCounts:
    """Save a checked directory (organisations, locations, terms, activities with their sessions) at once.

    All or nothing, in bulk. Ids are kept. An activity whose information is the same as stored is
    left alone, so its ``updated_at`` (the open API's ``last_modified``) stays the moment it really
    changed. Capacity never drops below the places taken (``RegistrationError``: nothing is saved);
    new places are offered to the waiting list. ``progress(n)`` is told of every activity handled.
    """
    counts = DirectoryCounts()
    now = timezone.now()
    with transaction.atomic():
        organisations = {o.public_id: o for o in Organisation.objects.filter(public_id__in=[o.public_id for o in batch.organisations])}
        new_organisations, changed_organisations = [], []
        for organisation in batch.organisations:
            fields: dict[str, Any] = {"name": organisation.name, "description": organisation.description,
                                      "email": organisation.email, "website": organisation.website, "phone": organisation.phone}  # fmt: skip
            stored = organisations.get(organisation.public_id)
            if stored is None:
                new_organisations.append(Organisation(public_id=organisation.public_id, kind=Organisation.Kind.ACTIVITY_PROVIDER, **fields))
            elif _changed(stored, fields):
                changed_organisations.append(stored)
        Organisation.objects.bulk_create(new_organisations, batch_size=1000)
        for stored in changed_organisations:
            Organisation.objects.filter(pk=stored.pk).update(name=stored.name, description=stored.description,
                                                             email=stored.email, website=stored.website, phone=stored.phone)  # fmt: skip
        counts.organisations = len(batch.organisations)
        wanted = {o.public_id for o in batch.organisations} | {loc.organisation for loc in batch.locations} | {a.organisation for a in batch.activities}
        organisation_pk = dict(Organisation.objects.filter(public_id__in=wanted).values_list("public_id", "pk"))

        known_terms = set(Term.objects.filter(public_id__in=[t.public_id for t in batch.terms]).values_list("public_id", flat=True))
        Term.objects.bulk_create(
            [Term(public_id=t.public_id, vocabulary=t.vocabulary, code=t.code, name=t.name, name_en=t.name_en)
             for t in batch.terms if t.public_id not in known_terms]
        )  # fmt: skip

        # Every postcode's buurt in one query (PC6, else its PC4), as postcode_get finds it one by one.
        codes = {loc.postcode for loc in batch.locations if loc.postcode}
        buurten = dict(Postcode.objects.filter(code__in=codes | {c[:4] for c in codes}).values_list("code", "neighbourhood_id"))

        def neighbourhood_id(postcode: str) -> int | None:
            return buurten.get(postcode) or buurten.get(postcode[:4]) if postcode else None

        places = {loc.public_id: loc for loc in Location.objects.filter(public_id__in=[loc.public_id for loc in batch.locations])}
        new_places, changed_places = [], []
        moved_places: set[int] = set()
        for place in batch.locations:
            values: dict[str, Any] = {
                "organisation_id": organisation_pk[place.organisation], "name": place.name, "street": place.street,
                "postcode": place.postcode, "city": place.city, "lat": place.lat, "lon": place.lon,
                "wheelchair_accessible": place.wheelchair_accessible, "hearing_loop": place.hearing_loop,
                "neighbourhood_id": neighbourhood_id(place.postcode),
            }  # fmt: skip
            stored_place = places.get(place.public_id)
            if stored_place is None:
                new_places.append(Location(public_id=place.public_id, **values))
            elif _changed(stored_place, values):
                changed_places.append(stored_place)
                moved_places.add(stored_place.pk)
        Location.objects.bulk_create(new_places, batch_size=1000)
        location_fields = ("organisation_id", "name", "street", "postcode", "city", "lat", "lon", "wheelchair_accessible",
                           "hearing_loop", "neighbourhood_id")  # fmt: skip
        for stored_place in changed_places:
            Location.objects.filter(pk=stored_place.pk).update(**{f: getattr(stored_place, f) for f in location_fields})
        counts.locations = len(batch.locations)
        wanted_places = {a.location for a in batch.activities if a.location is not None}
        location_rows = Location.objects.filter(public_id__in=wanted_places).values_list("public_id", "pk", "lat", "lon")
        location_pk = {public_id: pk for public_id, pk, _lat, _lon in location_rows}
        location_coordinates = {pk: (lat, lon) for _public_id, pk, lat, lon in location_rows}
        term_pk = {
            public_id: (pk, vocabulary)
            for public_id, pk, vocabulary in Term.objects.filter(
                public_id__in={t for a in batch.activities for t in a.terms}
            ).values_list("public_id", "pk", "vocabulary")
        }

        existing = {
            a.public_id: a
            for a in Activity.objects.select_for_update()
            .filter(public_id__in=[a.public_id for a in batch.activities])
            .prefetch_related("schedules", "interests", "target_groups")
        }
        new_activities: list[Activity] = []
        changed: list[Activity] = []
        grown: list[Activity] = []
        plans: dict[uuid.UUID, ImportedActivity] = {}
        for plan in batch.activities:
            plans[plan.public_id] = plan
            values = {**{k: plan.values[k] for k in ACTIVITY_FIELDS}, "organisation_id": organisation_pk[plan.organisation],
                      "location_id": location_pk[plan.location] if plan.location else None}  # fmt: skip
            activity = existing.get(plan.public_id)
            if activity is None:
                lat, lon = location_coordinates.get(values["location_id"], (None, None))
                slots_now = [(s.weekday, s.starts_at, s.ends_at, s.interval_weeks) for _sid, s in plan.slots]
                index = search_index.index_values(lat, lon, slots_now)
                new_activities.append(Activity(public_id=plan.public_id, **values, **index))
                counts.activities_created += 1
            else:
                if values["capacity"] < activity.places_taken:
                    raise RegistrationError(
                        _("%(title)s: %(taken)s places are taken; the number of places cannot be lower.")
                        % {"title": activity.title, "taken": activity.places_taken}
                    )
                before = activity.capacity
                slots = sorted((s.public_id, s.weekday, s.starts_at, s.ends_at, s.interval_weeks) for s in activity.schedules.all())
                terms = sorted(str(t.public_id) for t in [*activity.interests.all(), *activity.target_groups.all()])
                same_rest = (
                    slots == sorted((sid, s.weekday, s.starts_at, s.ends_at, s.interval_weeks) for sid, s in plan.slots)
                    and terms == sorted(str(t) for t in plan.terms)
                    and activity.location_id not in moved_places
                )
                if _changed(activity, values) or not same_rest:
                    activity.updated_at = now
                    changed.append(activity)
                    counts.activities_changed += 1
                    if activity.capacity > before:
                        grown.append(activity)
                else:
                    counts.activities_unchanged += 1
            if progress is not None:
                progress(1)
        Activity.objects.bulk_create(new_activities, batch_size=1000)
        for activity in changed:
            Activity.objects.filter(pk=activity.pk).update(
                **{f: getattr(activity, f) for f in (*ACTIVITY_FIELDS, "organisation_id", "location_id", "updated_at")}
            )
        touched = [*new_activities, *changed]
        changed_pks = [a.pk for a in changed]  # new activities have no sessions or terms to replace
        Schedule.objects.filter(activity__in=changed_pks).delete()
        Schedule.objects.bulk_create(
            [Schedule(public_id=sid, activity_id=a.pk, weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at,
                      interval_weeks=s.interval_weeks) for a in touched for sid, s in plans[a.public_id].slots],
            batch_size=2000,
        )  # fmt: skip
        interests, groups = Activity.interests.through, Activity.target_groups.through
        interests.objects.filter(activity_id__in=changed_pks).delete()
        groups.objects.filter(activity_id__in=changed_pks).delete()
        links = [(a.pk, *term_pk[t]) for a in touched for t in plans[a.public_id].terms]
        interests.objects.bulk_create([interests(activity_id=a, term_id=t) for a, t, v in links if v == Term.Vocabulary.INTEREST], batch_size=2000)
        groups.objects.bulk_create([groups(activity_id=a, term_id=t) for a, t, v in links if v != Term.Vocabulary.INTEREST], batch_size=2000)
        sharing = Activity.objects.filter(location_id__in=moved_places).values_list("pk", flat=True)
        search_index.refresh({*changed_pks, *sharing})  # new activities got theirs at creation
        for activity in grown:
            places_offer_free(activity)
    return counts
