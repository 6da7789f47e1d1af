# SPDX-License-Identifier: EUPL-1.2
"""Writes in the volunteer centre: sign-up and intake, references and VOGs, accounts, vacancies,
training places and attendance, informal carers and their requests for respite, VOG reminders.

Every write that touches a person is access-logged here (never in views). Training places: a
session's ``places_taken`` changes only through ``_take_place`` (a conditional UPDATE) after the
session's row lock, so concurrent registrations queue per session and never overbook; the check
constraint ``training_never_overbooked`` is the database's last word.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, User
from omzien.activities.models import Term
from omzien.audit import events
from omzien.audit.models import Action
from omzien.geo.selectors import normalize_postcode, postcode_get
from omzien.lib.mail import send_email
from omzien.volunteers import selectors
from omzien.volunteers.models import (
    Carer,
    Intake,
    IntakeStep,
    Reference,
    RespiteRequest,
    Training,
    TrainingRegistration,
    TrainingSession,
    Vacancy,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.permissions import (
    PURPOSE_CARERS,
    PURPOSE_VOLUNTEERS,
    carer_subject,
    volunteer_subject,
)

SYSTEM = events.Actor(display="omzien tick", role="system", channel="tick")


class VolunteerError(Exception):
    """An action that cannot be done; ``message`` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mail_on_commit(to: list[str], subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_email.enqueue(to=to, subject=subject, body=body))


def _place(postcode: str) -> tuple[str, Any, float | None, float | None]:
    """The normalised postcode, its buurt and coordinates (PC6, else PC4; empty when unknown)."""
    code = normalize_postcode(postcode) or ""
    known = postcode_get(code) if code else None
    if known is None:
        return code, None, None, None
    return code, known.neighbourhood, known.lat, known.lon


# --- Sign-up and intake ----------------------------------------------------------------------------


@dataclass
class ProfileData:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    work_kinds: list[str] = field(default_factory=list)
    availability: int = 0
    languages: list[str] = field(default_factory=list)
    interests: list[Term] = field(default_factory=list)
    max_travel_km: int = 3
    gender: str = ""
    gender_preference: str = ""
    guests_per_meal: int | None = None
    diets: list[str] = field(default_factory=list)
    motivation: str = ""


def _apply_profile(volunteer: Volunteer, data: ProfileData) -> None:
    for name in ("first_name", "last_name", "email", "phone", "date_of_birth", "work_kinds", "availability",
                 "languages", "max_travel_km", "gender", "gender_preference", "diets", "motivation"):  # fmt: skip
        setattr(volunteer, name, getattr(data, name))
    volunteer.guests_per_meal = data.guests_per_meal if "meal_host" in data.work_kinds else None
    volunteer.postcode, volunteer.neighbourhood, volunteer.lat, volunteer.lon = _place(data.postcode)


def volunteer_signup(
    *,
    data: ProfileData,
    organisation: Organisation,
    vacancy: Vacancy | None = None,
    user: Any = None,
    actor: events.Actor,
    now: datetime | None = None,
    entered_by: Any = None,
) -> Intake:
    """Sign someone up (through the public form or a vacancy): their profile and an intake at the organisation.

    A logged-in person's existing profile is updated (a resident may volunteer too: one person, two
    roles); an anonymous sign-up always makes a new profile, so nobody can change another's by
    typing their e-mail address.
    """
    now = now or timezone.now()
    if vacancy is not None and (vacancy.organisation_id != organisation.pk or not vacancy.is_published):
        raise VolunteerError(_("This vacancy is no longer open."))
    with transaction.atomic():
        volunteer = None
        if user is not None and getattr(user, "is_authenticated", False):
            volunteer = Volunteer.objects.select_for_update().filter(user=user).first()
        if volunteer is None:
            volunteer = Volunteer(created_at=now, user=user if getattr(user, "is_authenticated", False) else None)
        _apply_profile(volunteer, data)
        volunteer.save()
        volunteer.interests.set(data.interests)
        if volunteer.intakes.filter(organisation=organisation, stage__in=Intake.CURRENT).exists():
            raise VolunteerError(
                _("You are already signed up with %(organisation)s.") % {"organisation": organisation.name}
            )
        intake = Intake.objects.create(
            volunteer=volunteer, organisation=organisation, vacancy=vacancy, stage_changed_at=now, started_at=now,
            via=Intake.Via.COORDINATOR if entered_by else Intake.Via.VACANCY if vacancy else Intake.Via.SIGNUP,
        )  # fmt: skip
        IntakeStep.objects.create(intake=intake, stage=intake.stage, at=now, by=entered_by)
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(volunteer, ("profile", "intake"))],
                      legal_basis="consent:coordinator" if entered_by else "consent:signup")  # fmt: skip
    coordinators = list(
        User.objects.filter(organisation=organisation, is_active=True, groups__name="coordinator")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if coordinators and entered_by is None:
        # No name in the mail: the coordinator reads who it is in Omzien, where the read is logged.
        _mail_on_commit(
            coordinators, _("New volunteer sign-up"),
            _("Someone signed up to volunteer with %(organisation)s. See 'Volunteers' in Omzien.")
            % {"organisation": organisation.name},
        )  # fmt: skip
    return intake


def profile_update(*, volunteer: Volunteer, data: ProfileData, actor: events.Actor) -> Volunteer:
    """Change a volunteer's profile (by themselves or their coordinator)."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        _apply_profile(locked, data)
        locked.save()
        locked.interests.set(data.interests)
        events.record(action=Action.UPDATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(locked, ("profile",))])  # fmt: skip
    return locked


def intake_for(volunteer: Volunteer, organisation_id: int) -> Intake:
    """The volunteer's latest intake at the organisation (the one a coordinator works on)."""
    intake = volunteer.intakes.filter(organisation_id=organisation_id).order_by("-started_at", "-pk").first()
    if intake is None:
        raise VolunteerError(_("This volunteer has no intake at your organisation."))
    return intake


def intake_stage_set(*, intake: Intake, stage: str, acting_user: Any, actor: events.Actor, now: datetime | None = None) -> Intake:
    """Move the intake to a stage; the step is appended to its history.

    Becoming active needs a positive reference check and, for an organisation that visits people at
    home, a checked VOG within its maximum age; both are on the coordinator's page.
    """
    now = now or timezone.now()
    if stage not in Intake.Stage.values:
        raise VolunteerError(_("Unknown stage."))
    with transaction.atomic():
        locked = Intake.objects.select_for_update().select_related("volunteer", "organisation").get(pk=intake.pk)
        if locked.stage == stage:
            return locked
        # A stopped volunteer who comes back may resume, unless a newer intake there is current.
        reopened = locked.stage not in Intake.CURRENT and stage in Intake.CURRENT
        if reopened and Intake.objects.filter(volunteer=locked.volunteer, organisation=locked.organisation,
                                              stage__in=Intake.CURRENT).exists():  # fmt: skip
            raise VolunteerError(_("This volunteer already has a current intake here."))
        locked.stage, locked.stage_changed_at = stage, now
        locked.save(update_fields=["stage", "stage_changed_at"])
        IntakeStep.objects.create(intake=locked, stage=stage, at=now, by=acting_user)
        events.record(action=Action.UPDATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(locked.volunteer, ("intake.stage",))])  # fmt: skip
    return locked


def intake_open(*, volunteer: Volunteer, organisation: Organisation, acting_user: Any, actor: events.Actor) -> Intake:
    """Start a new intake at the coordinator's organisation for a volunteer they already know."""
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                intake = Intake.objects.create(volunteer=volunteer, organisation=organisation, stage_changed_at=now,
                                               started_at=now, via=Intake.Via.COORDINATOR)  # fmt: skip
        except IntegrityError as error:
            raise VolunteerError(_("This volunteer already has a current intake here.")) from error
        IntakeStep.objects.create(intake=intake, stage=intake.stage, at=now, by=acting_user)
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(volunteer, ("intake",))])  # fmt: skip
    return intake


def support_note_set(*, intake: Intake, note: str, actor: events.Actor) -> None:
    """Write what extra support the volunteer needs (coordinators only ever see it)."""
    with transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(extra_support_note=note.strip())
        events.record(action=Action.UPDATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(intake.volunteer, ("extra_support_note",))])  # fmt: skip


def reference_add(
    *, intake: Intake, name: str, relation: str, phone: str, outcome: str, note: str, acting_user: Any, actor: events.Actor
) -> Reference:
    """Record a reference and what it said."""
    with transaction.atomic():
        reference = Reference.objects.create(
            intake=intake, name=name, relation=relation, phone=phone, outcome=outcome, note=note,
            recorded_by=acting_user, recorded_at=timezone.now(),
        )  # fmt: skip
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(intake.volunteer, ("references",))])  # fmt: skip
    return reference


def vog_record(
    *,
    volunteer: Volunteer,
    organisation: Organisation,
    requested_on: date,
    issued_on: date | None,
    acting_user: Any,
    actor: events.Actor,
    vog: VogRecord | None = None,
    now: datetime | None = None,
) -> VogRecord:
    """Record that a VOG was requested, or that the coordinator checked one (its date, by whom, when)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if requested_on > today:
        raise VolunteerError(_("The request date cannot be in the future."))
    if issued_on is not None and issued_on > today:
        raise VolunteerError(_("The date on the VOG cannot be in the future."))
    with transaction.atomic():
        action = Action.CREATE if vog is None else Action.UPDATE
        if vog is None:
            vog = VogRecord(volunteer=volunteer, organisation=organisation)
        vog.requested_on = requested_on
        if issued_on is not None and issued_on != vog.issued_on:
            vog.issued_on, vog.checked_by, vog.checked_at, vog.reminder_sent_at = issued_on, acting_user, now, None
        vog.save()
        events.record(action=action, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(volunteer, ("vogs",))])  # fmt: skip
    return vog


def volunteer_account_create(*, volunteer: Volunteer, acting_user: Any, actor: events.Actor, site: str) -> User:
    """Give an active volunteer an account: the volunteer role, and an e-mail to choose a password.

    A person who already has an account signs up while logged in instead (their profile is then
    linked to it); an e-mail address is never used to attach a profile to someone's account.
    """
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update(of=("self",)).select_related("user").get(pk=volunteer.pk)
        if locked.user is not None:
            # They signed up while logged in (a resident, say): the same account gets the volunteer role too.
            if locked.user.groups.filter(name="volunteer").exists():
                raise VolunteerError(_("This volunteer already has an account."))
            locked.user.groups.add(Group.objects.get(name="volunteer"))
            events.record(action=Action.UPDATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                          subjects=[volunteer_subject(locked, ("user.roles",))])  # fmt: skip
            _mail_on_commit(
                [locked.user.email or locked.email], _("You can now work as a volunteer in Omzien"),
                _("Your account now also has the volunteer role. Choose it under 'Work as' after you log in."),
            )  # fmt: skip
            return locked.user
        if User.objects.filter(Q(username__iexact=locked.email) | Q(email__iexact=locked.email)).exists():
            raise VolunteerError(
                _("An account with this e-mail address exists. Ask the volunteer to sign up again while logged in.")
            )
        user = User(username=locked.email.lower(), email=locked.email, first_name=locked.first_name,
                    last_name=locked.last_name)  # fmt: skip
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name="volunteer"))
        locked.user = user
        locked.save(update_fields=["user"])
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_VOLUNTEERS,
                      subjects=[volunteer_subject(locked, ("user",))])  # fmt: skip
        link = site + reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
        )  # fmt: skip
        _mail_on_commit(
            [user.email], _("Your Omzien account"),
            _("An account was made for you as a volunteer. Choose your password here: %(link)s\n"
              "Your user name is your e-mail address.") % {"link": link},
        )  # fmt: skip
    return user


# --- Vacancies ---------------------------------------------------------------------------------------


def vacancy_save(*, organisation: Organisation, values: dict[str, Any], vacancy: Vacancy | None = None) -> Vacancy:
    """Create or change a vacancy; its place follows from the postcode."""
    if vacancy is None:
        vacancy = Vacancy(organisation=organisation, created_at=timezone.now())
    for name, value in values.items():
        setattr(vacancy, name, value)
    vacancy.postcode, neighbourhood, vacancy.lat, vacancy.lon = _place(values.get("postcode", ""))
    if vacancy.district_id is None and neighbourhood is not None:
        vacancy.district_id = neighbourhood.district_id
    vacancy.save()
    return vacancy


# --- Trainings -----------------------------------------------------------------------------------------


def training_create(*, organisation: Organisation, title: str, description: str) -> Training:
    """Add a course of the organisation (sessions are added to it one by one)."""
    return Training.objects.create(organisation=organisation, title=title.strip(), description=description.strip())


def session_save(*, training: Training, values: dict[str, Any], session: TrainingSession | None = None) -> TrainingSession:
    """Create or change a training session; its places cannot drop below those taken."""
    with transaction.atomic():
        if session is not None:
            session = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if values.get("capacity", session.capacity) < session.places_taken:
                raise VolunteerError(
                    _("%(taken)s places are taken; the number of places cannot be lower.") % {"taken": session.places_taken}
                )
        else:
            session = TrainingSession(training=training)
        for name, value in values.items():
            setattr(session, name, value)
        session.save()
    return session


def _take_place(session_id: int) -> bool:
    """Take one place if one is free (the caller holds the session's row lock)."""
    return bool(
        TrainingSession.objects.filter(pk=session_id, places_taken__lt=F("capacity")).update(
            places_taken=F("places_taken") + 1
        )
    )


def _release_place(session_id: int) -> None:
    TrainingSession.objects.filter(pk=session_id, places_taken__gt=0).update(places_taken=F("places_taken") - 1)


def training_register(
    *, session: TrainingSession, volunteer: Volunteer, actor: events.Actor, now: datetime | None = None
) -> TrainingRegistration:
    """Register the volunteer for a session if a place is free; never more than its places."""
    now = now or timezone.now()
    with transaction.atomic():
        # The session's row lock comes first in every writer, so writers queue per session.
        locked = TrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
        if locked.starts_at <= now or not locked.training.is_published:
            raise VolunteerError(_("This session no longer takes registrations."))
        if TrainingRegistration.objects.filter(
            session=locked, volunteer=volunteer, status=TrainingRegistration.Status.ACTIVE
        ).exists():
            raise VolunteerError(_("You are already registered for this session."))
        if not _take_place(locked.pk):
            raise VolunteerError(_("This session is full. Choose another date."))
        registration = TrainingRegistration.objects.create(session=locked, volunteer=volunteer, registered_at=now)
        events.record(action=Action.CREATE, actor=actor, purpose="training",
                      subjects=[volunteer_subject(volunteer, ("training_registrations",))])  # fmt: skip
    return registration


def training_cancel(*, registration: TrainingRegistration, actor: events.Actor, now: datetime | None = None) -> None:
    """Cancel a registration before the session starts; the place is free again."""
    now = now or timezone.now()
    with transaction.atomic():
        TrainingSession.objects.select_for_update().filter(pk=registration.session_id).values_list("pk").first()
        locked = TrainingRegistration.objects.select_related("session").get(pk=registration.pk)
        if locked.status != TrainingRegistration.Status.ACTIVE:
            return
        if locked.session.starts_at <= now:
            raise VolunteerError(_("The session has started; it can no longer be cancelled."))
        locked.status = TrainingRegistration.Status.CANCELLED
        locked.save(update_fields=["status"])
        _release_place(locked.session_id)
        events.record(action=Action.UPDATE, actor=actor, purpose="training",
                      subjects=[volunteer_subject(locked.volunteer, ("training_registrations",))])  # fmt: skip


def attendance_record(
    *, session: TrainingSession, present: set[int], acting_user: Any, actor: events.Actor, now: datetime | None = None
) -> int:
    """Record who attended the session (registrations by id); the others are marked absent. Returns how many came."""
    now = now or timezone.now()
    if session.starts_at > now:
        raise VolunteerError(_("Attendance can be recorded once the session has started."))
    with transaction.atomic():
        registrations = list(
            TrainingRegistration.objects.select_for_update()
            .select_related("volunteer")
            .filter(session=session, status=TrainingRegistration.Status.ACTIVE)
        )
        for registration in registrations:
            registration.attended = registration.pk in present
            registration.attendance_recorded_by, registration.attendance_recorded_at = acting_user, now
        TrainingRegistration.objects.bulk_update(
            registrations, ["attended", "attendance_recorded_by", "attendance_recorded_at"]
        )
        events.record(action=Action.UPDATE, actor=actor, purpose="training",
                      subjects=[volunteer_subject(r.volunteer, ("attended",)) for r in registrations])  # fmt: skip
    return sum(1 for r in registrations if r.attended)


def certificate_pdf(registration: TrainingRegistration, *, actor: events.Actor, language: str) -> bytes:
    """The certificate of an attended training as PDF (WeasyPrint); its printing is logged."""
    from django.template.loader import render_to_string

    from weasyprint import HTML

    if not registration.attended:
        raise VolunteerError(_("A certificate is given once your attendance is recorded."))
    html = render_to_string("volunteers/certificate.html", {"registration": registration, "pdf": True, "language": language})
    pdf: bytes = HTML(string=html).write_pdf()
    events.record(action=Action.PRINT, actor=actor, purpose="training",
                  subjects=[volunteer_subject(registration.volunteer, ("certificate",))])  # fmt: skip
    return pdf


# --- Informal carers -------------------------------------------------------------------------------------


@dataclass
class CarerData:
    first_name: str
    last_name: str
    postcode: str
    cares_for: str
    hours_per_week: int
    burden: int
    email: str = ""
    phone: str = ""
    care_description: str = ""


@dataclass
class RespiteData:
    availability: int
    hours_per_week: int
    languages: list[str] = field(default_factory=list)
    note: str = ""


def carer_register(
    *,
    data: CarerData,
    organisation: Organisation,
    consent_text: str,
    actor: events.Actor,
    user: Any = None,
    respite: RespiteData | None = None,
    now: datetime | None = None,
) -> Carer:
    """Register an informal carer with the carer support point, with a request for respite if they ask."""
    now = now or timezone.now()
    with transaction.atomic():
        postcode, neighbourhood, _lat, _lon = _place(data.postcode)
        carer = Carer.objects.create(
            organisation=organisation, user=user if getattr(user, "is_authenticated", False) else None,
            first_name=data.first_name, last_name=data.last_name, email=data.email, phone=data.phone,
            postcode=postcode, neighbourhood=neighbourhood, cares_for=data.cares_for,
            care_description=data.care_description, hours_per_week=data.hours_per_week, burden=data.burden,
            consent_text=consent_text, registered_at=now,
        )  # fmt: skip
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_CARERS,
                      subjects=[carer_subject(carer, ("registration",))], legal_basis="consent:carer_signup")  # fmt: skip
        if respite is not None:
            respite_request(carer=carer, data=respite, acting_user=None, actor=actor, now=now)
    return carer


def respite_request(
    *, carer: Carer, data: RespiteData, acting_user: Any, actor: events.Actor, now: datetime | None = None
) -> RespiteRequest:
    """Ask for respite: an open request the pairs room matches to a volunteer."""
    if data.availability == 0:
        raise VolunteerError(_("Choose at least one day and part of the day."))
    with transaction.atomic():
        request = RespiteRequest.objects.create(
            carer=carer, availability=data.availability, hours_per_week=data.hours_per_week,
            languages=data.languages, note=data.note, created_at=now or timezone.now(),
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )  # fmt: skip
        events.record(action=Action.CREATE, actor=actor, purpose=PURPOSE_CARERS,
                      subjects=[carer_subject(carer, ("respite_requests",))])  # fmt: skip
        # Open for matching at once: a request for a person of the kind "respite" (services.pairs).
        from omzien.volunteers.services.pairs import PairError, RequestData, request_open

        # An unknown postcode raises before anything is written: the request then stays with the carer
        # support staff, unmatched.
        with contextlib.suppress(PairError):
            request_open(
                organisation=carer.organisation, respite_request=request, source="carer", now=now,
                acting_user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                data=RequestData(kind="respite", postcode=carer.postcode, languages=list(data.languages) or ["nl"],
                                 availability=data.availability, keep_in_mind=data.note, need=2),
            )  # fmt: skip
    return request


# --- Reminders -------------------------------------------------------------------------------------------


def vog_reminders_send(*, now: datetime | None = None) -> int:
    """Remind volunteers once that their VOG is nearly too old; return how many (coordinators see them under "VOGs due").

    Idempotent: a VOG's reminder is sent once (``reminder_sent_at``); recording a newer VOG starts afresh.
    """
    now = now or timezone.now()
    sent = 0
    for item in selectors.vogs_due(on=timezone.localdate(now), within_reminder=True, unreminded=True):
        with transaction.atomic():
            claimed = VogRecord.objects.filter(pk=item.vog.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            volunteer = item.vog.volunteer
            body = _(
                "Your VOG for %(organisation)s dates from %(issued)s. From %(due)s it is too old for volunteer "
                "work with home visits. Please request a new one; your coordinator can help."
            ) % {"organisation": item.vog.organisation.name, "issued": f"{item.vog.issued_on:%d-%m-%Y}",
                 "due": f"{item.due_on:%d-%m-%Y}"}  # fmt: skip
            _mail_on_commit([volunteer.email], _("Time for a new VOG"), body)
            events.record(action=Action.EXECUTE, actor=SYSTEM, purpose=PURPOSE_VOLUNTEERS,
                          subjects=[volunteer_subject(volunteer, ("vogs",))])  # fmt: skip
            sent += 1
    return sent
