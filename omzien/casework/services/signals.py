# SPDX-License-Identifier: EUPL-1.2
"""Writes of casework: signals in, triage steps, the phone line's calls, the partner API's tokens.

Every service is atomic, locks the signal where two team members could act at once, appends its
history row and writes the access log. Services take an explicit time (``at``/``received_at``) so
the demo and imports can lay down history; by default it is now.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.casework import workdays
from omzien.casework.models import (
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
from omzien.casework.policies import CALENDAR, DEADLINES, RETENTION, policy_value
from omzien.geo.models import Neighbourhood
from omzien.geo.selectors import neighbourhood_for_postcode, normalize_postcode
from omzien.lib.mail import send_email
from omzien.residents.models import Resident, ResidentLink
from omzien.residents.services import resident_create

PURPOSE = "signal_triage"
# The fields of a signal that are about the resident (what an access-log entry names when they are read).
RESIDENT_FIELDS = ("first_name", "last_name", "date_of_birth", "street", "house_number", "postcode", "phone",
                   "how_to_reach", "concern")  # fmt: skip
REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email")


class SignalError(ValueError):
    """A signal cannot be taken in or changed this way; the message says why, for the person acting."""


@dataclass
class SignalData:
    """What a reporter tells, from any channel (the form, the API, a call, a contact request)."""

    last_name: str
    postcode: str
    concern: str
    first_name: str = ""
    date_of_birth: date | None = None
    street: str = ""
    house_number: str = ""
    phone: str = ""
    how_to_reach: str = ""
    resident_knows: str = Answer.UNKNOWN
    resident_agrees: str = Answer.UNKNOWN
    urgency: str = Urgency.NORMAL
    reporter_relation: str = ReporterRelation.OTHER
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    reporter_organisation_name: str = ""
    wants_closing_message: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    postcode: str
    neighbourhood: Neighbourhood
    team: Organisation


def route_for_postcode(text: str) -> Route | None:
    """Return the buurt and buurtteam of a postcode (PC6, else its PC4), or None if no team answers for it."""
    code = normalize_postcode(text or "")
    if code is None:
        return None
    neighbourhood = neighbourhood_for_postcode(code)
    if neighbourhood is None:
        return None
    team = (
        Organisation.objects.filter(kind=Organisation.Kind.NEIGHBOURHOOD_TEAM, neighbourhoods=neighbourhood)
        .order_by("pk")
        .first()
    )
    return Route(code, neighbourhood, team) if team else None


def deadline_for(received_at: datetime, urgency: str) -> date:
    """Return the day by which a signal must have been looked at: working days per urgency (policy)."""
    days = policy_value(DEADLINES)
    count = int(days.get(urgency, days.get(Urgency.NORMAL, 5)))
    return workdays.add_working_days(timezone.localdate(received_at), count, policy_value(CALENDAR))


def signal_subject(signal: Signal, fields: tuple[str, ...] = RESIDENT_FIELDS) -> events.Subject:
    """The access-log subject of a signal: its resident's pseudonymous id once known, and the field names."""
    # A list annotates the pseudonymous id (selectors.queue); a single signal has its resident joined.
    pseudo = getattr(signal, "resident_pseudo", None)
    if pseudo is None and signal.resident_id:
        pseudo = signal.resident.pseudo_id  # type: ignore[union-attr]
    return events.Subject(
        resident_pseudo_id=pseudo,
        object_type="signal",
        object_id=str(signal.public_id),
        fields=fields,
    )


def _reference() -> str:
    # Short, unguessable and without meaning: it is read out on the phone and printed in mails.
    return "ZM-" + secrets.token_hex(4).upper()


def _event(signal: Signal, kind: str, at: datetime, actor: Any = None, detail: str = "") -> SignalEvent:
    return SignalEvent.objects.create(signal=signal, kind=kind, actor=actor, at=at, detail=detail[:300])


def _mail(to: str, subject: str, body: str) -> None:
    transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))


def signal_create(
    *,
    data: SignalData,
    source: str,
    actor: events.Actor,
    reported_by: Any = None,
    reporter_organisation: Organisation | None = None,
    received_at: datetime | None = None,
    contact_request: Any = None,
    forwarded_from: Signal | None = None,
    team: Organisation | None = None,
) -> Signal:
    """Take in a signal from any channel: route it (postcode -> buurt -> team), set its deadline,
    acknowledge it to the reporter, log it. Raises SignalError when no buurtteam answers for the postcode."""
    route = route_for_postcode(data.postcode)
    if route is None and team is None:
        raise SignalError(_("We do not know this postcode in our municipality. Please check it."))
    received = received_at or timezone.now()
    with transaction.atomic():
        signal = Signal.objects.create(
            reference=_reference(), source=source, reporter_relation=data.reporter_relation,
            reporter_name=data.reporter_name, reporter_phone=data.reporter_phone, reporter_email=data.reporter_email,
            reporter_organisation=reporter_organisation,
            reporter_organisation_name=data.reporter_organisation_name or (reporter_organisation.name if reporter_organisation else ""),
            reported_by=reported_by, wants_closing_message=data.wants_closing_message and bool(data.reporter_email),
            concern=data.concern, resident_knows=data.resident_knows, resident_agrees=data.resident_agrees,
            urgency=data.urgency, first_name=data.first_name, last_name=data.last_name,
            date_of_birth=data.date_of_birth, street=data.street, house_number=data.house_number,
            postcode=route.postcode if route else (normalize_postcode(data.postcode) or ""),
            phone=data.phone, how_to_reach=data.how_to_reach,
            neighbourhood=route.neighbourhood if route else None,
            team=team or route.team,  # type: ignore[union-attr]
            received_at=received, deadline=deadline_for(received, data.urgency),
            contact_request=contact_request, forwarded_from=forwarded_from,
        )  # fmt: skip
        _event(signal, SignalEvent.Kind.RECEIVED, received, reported_by, detail=source)
        events.record(
            action=Action.CREATE, actor=actor, subjects=[signal_subject(signal, RESIDENT_FIELDS + REPORTER_FIELDS)],
            purpose=PURPOSE, legal_basis="public_task:wmo2015",
        )  # fmt: skip
        if data.reporter_email and source in (Source.PUBLIC_FORM, Source.PARTNER, Source.SOCIAL_BROKER, Source.VOLUNTEER):
            _mail(
                data.reporter_email,
                _("We received your report %(reference)s") % {"reference": signal.reference},
                _(
                    "Thank you for your report. We received it and gave it the number %(reference)s.\n\n"
                    "A neighbourhood team will look at it within %(days)s working days. For privacy reasons we "
                    "do not tell you what happens next.\n\nIs it an emergency? Call 112."
                ) % {"reference": signal.reference, "days": policy_value(DEADLINES).get(signal.urgency, 5)},
            )  # fmt: skip
            signal.acknowledged_at = received
            signal.save(update_fields=["acknowledged_at"])
            _event(signal, SignalEvent.Kind.ACKNOWLEDGED, received)
    return signal


def signal_from_contact_request(contact_request: Any) -> Signal | None:
    """Turn a self-test contact request into a signal for its team (None if no team answers for it)."""
    if contact_request.team_id is None or Signal.objects.filter(contact_request=contact_request).exists():
        return None
    name = contact_request.name.strip()
    first, _space, last = name.rpartition(" ")
    data = SignalData(
        first_name=first, last_name=last or name, postcode=contact_request.postcode,
        phone=contact_request.phone,
        how_to_reach=" ".join(filter(None, [str(contact_request.get_preferred_contact_display()), contact_request.email])),
        concern=_("Asked to be contacted after the loneliness self-test (result: %(result)s).")
        % {"result": contact_request.category_label or "—"},
        resident_knows=Answer.YES, resident_agrees=Answer.YES, reporter_relation=ReporterRelation.SELF,
    )  # fmt: skip
    route = route_for_postcode(contact_request.postcode)
    return signal_create(
        data=data, source=Source.SELF_TEST, actor=events.Actor(display="anonymous", role="anonymous"),
        received_at=contact_request.created_at, contact_request=contact_request,
        team=None if route and route.team.pk == contact_request.team_id else contact_request.team,
    )  # fmt: skip


def _lock(signal: Signal) -> Signal:
    return Signal.objects.select_for_update(of=("self",)).select_related("resident").get(pk=signal.pk)


def _triager_of(user: Any, team_id: int) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.organisation_id == team_id
        and user.groups.filter(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).exists()
    )


def signal_assign(
    *, signal: Signal, assignee: Any, acting_user: Any, actor: events.Actor, at: datetime | None = None
) -> Signal:
    """Assign an open signal to a colleague of its team (or to oneself)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(signal)
        if not locked.is_open:
            raise SignalError(_("This signal has already been decided."))
        if not _triager_of(assignee, locked.team_id):
            raise SignalError(_("You can only assign a signal to a colleague of your team."))
        locked.assigned_to = assignee
        locked.status = Status.ASSIGNED
        locked.save(update_fields=["assigned_to", "status"])
        _event(locked, SignalEvent.Kind.ASSIGNED, at, acting_user, detail=assignee.get_full_name() or assignee.username)
        events.record(action=Action.UPDATE, actor=actor, subjects=[signal_subject(locked, ("assigned_to",))],
                      purpose=PURPOSE)  # fmt: skip
    return locked


def signal_note_add(
    *, signal: Signal, text: str, acting_user: Any, actor: events.Actor, at: datetime | None = None
) -> SignalNote:
    """Append a note to a signal (notes are never edited)."""
    text = text.strip()
    if not text:
        raise SignalError(_("Write a note first."))
    with transaction.atomic():
        note = SignalNote.objects.create(signal=signal, author=acting_user, text=text, created_at=at or timezone.now())
        events.record(action=Action.UPDATE, actor=actor, subjects=[signal_subject(signal, ("notes",))], purpose=PURPOSE)
    return note


def signal_link_duplicate(*, signal: Signal, original: Signal, acting_user: Any, actor: events.Actor) -> Signal:
    """Link a signal to an earlier one of the same team about the same person."""
    if original.pk == signal.pk or original.team_id != signal.team_id:
        raise SignalError(_("A signal can only be linked to another signal of your team."))
    with transaction.atomic():
        locked = _lock(signal)
        locked.duplicate_of = original
        locked.save(update_fields=["duplicate_of"])
        _event(locked, SignalEvent.Kind.DUPLICATE_LINKED, timezone.now(), acting_user, detail=original.reference)
        events.record(action=Action.UPDATE, actor=actor, subjects=[signal_subject(locked, ("duplicate_of",))],
                      purpose=PURPOSE)  # fmt: skip
    return locked


def meldcode_problem(outcome: str, steps: dict[str, Any]) -> str | None:
    """Why the recorded Meldcode steps do not yet allow this forward (None when they do).

    Veilig Thuis: steps 1, 2 and 5 done, or acute danger (then reporting comes first). The crisis
    service: step 5 (the decision) written down.
    """
    done = {key for key, _label in MELDCODE_STEPS if steps.get(key)}
    if outcome == Outcome.FORWARDED_VEILIG_THUIS and not steps.get("acute") and not {"step1", "step2", "step5"} <= done:
        return _("Before forwarding to Veilig Thuis, record steps 1, 2 and 5 of the Meldcode, or mark the danger as acute.")
    if outcome == Outcome.FORWARDED_CRISIS and "step5" not in done and not steps.get("acute"):
        return _("Record step 5 of the Meldcode (the decision), or mark the danger as acute.")
    return None


def signal_decide(
    *,
    signal: Signal,
    outcome: str,
    acting_user: Any,
    actor: events.Actor,
    reason: str = "",
    consent_method: str = "",
    resident: Resident | None = None,
    forward_team: Organisation | None = None,
    meldcode: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Signal:
    """Record the triage outcome of an open signal, with what the outcome needs; send the closing message.

    new case: a resident record with a case at the team, on the resident's consent for support;
    added to case: a resident with an active case at the team; forwarded to a team: a new signal in
    that team's queue; Veilig Thuis / crisis: the Meldcode's steps; no action: a reason.
    """
    at = at or timezone.now()
    reason = reason.strip()
    meldcode = {key: value for key, value in (meldcode or {}).items() if value}
    with transaction.atomic():
        locked = _lock(signal)
        if not locked.is_open:
            raise SignalError(_("This signal has already been decided."))
        if outcome not in Outcome.values:
            raise SignalError(_("Choose an outcome."))
        forwarded: Signal | None = None
        if outcome == Outcome.NEW_CASE:
            if not consent_method:
                raise SignalError(_("A new case needs the resident's consent for support: say how it was given."))
            resident = resident_create(
                actor=actor, acting_user=acting_user, consent_method=consent_method, purpose=PURPOSE,
                data={"first_name": locked.first_name or "-", "last_name": locked.last_name,
                      "date_of_birth": locked.date_of_birth, "street": f"{locked.street} {locked.house_number}".strip(),
                      "postcode": locked.postcode, "phone": locked.phone},
            )  # fmt: skip
            locked.resident = resident
        elif outcome == Outcome.ADDED_TO_CASE:
            if resident is None or not ResidentLink.objects.filter(
                resident=resident, kind=ResidentLink.Kind.CASE, organisation_id=locked.team_id, ended_at__isnull=True
            ).exists():
                raise SignalError(_("Choose a client with a case at your team."))
            locked.resident = resident
        elif outcome == Outcome.FORWARDED_TEAM:
            if forward_team is None or forward_team.pk == locked.team_id or forward_team.kind != Organisation.Kind.NEIGHBOURHOOD_TEAM:
                raise SignalError(_("Choose the other neighbourhood team."))
            if not reason:
                raise SignalError(_("Say why the other team should take it."))
        elif outcome in (Outcome.FORWARDED_VEILIG_THUIS, Outcome.FORWARDED_CRISIS):
            problem = meldcode_problem(outcome, meldcode)
            if problem:
                raise SignalError(problem)
            locked.meldcode = meldcode
        elif outcome == Outcome.NO_ACTION and not reason:
            raise SignalError(_("Give the reason why no action is needed."))
        locked.outcome, locked.outcome_reason = outcome, reason
        locked.status, locked.decided_at, locked.decided_by = Status.DECIDED, at, acting_user
        locked.save()
        if outcome in (Outcome.NEW_CASE, Outcome.ADDED_TO_CASE) and locked.resident is not None:
            # The case the intake starts from (or the resident's open case, the signal added to it).
            from omzien.casework.services.cases import case_open

            case_open(resident=locked.resident, team=locked.team, acting_user=acting_user, signal=locked, at=at)
        _event(locked, SignalEvent.Kind.DECIDED, at, acting_user, detail=outcome)
        events.record(
            action=Action.UPDATE, actor=actor,
            subjects=[signal_subject(locked, ("outcome", "outcome_reason", "meldcode", "resident"))], purpose=PURPOSE,
        )  # fmt: skip
        if outcome == Outcome.FORWARDED_TEAM and forward_team is not None:
            forwarded = signal_create(
                data=_data_of(locked), source=Source.FORWARDED, actor=actor, reported_by=acting_user,
                reporter_organisation=locked.team, received_at=at, forwarded_from=locked, team=forward_team,
            )  # fmt: skip
        if locked.contact_request is not None:
            from omzien.wellbeing.services import contact_request_mark_handled

            contact_request_mark_handled(contact_request=locked.contact_request, actor=actor)
        if locked.wants_closing_message and locked.reporter_email:
            # Nothing about the resident or the outcome: only that the report was looked at.
            _mail(
                locked.reporter_email,
                _("Your report %(reference)s has been looked at") % {"reference": locked.reference},
                _(
                    "A neighbourhood team has looked at your report %(reference)s and decided what to do. "
                    "For privacy reasons we do not tell you what. Thank you for caring about someone in your "
                    "neighbourhood.\n\nAre you still worried? You can report again."
                ) % {"reference": locked.reference},
            )  # fmt: skip
            locked.closing_message_sent_at = at
            locked.save(update_fields=["closing_message_sent_at"])
            _event(locked, SignalEvent.Kind.CLOSING_MESSAGE, at)
    locked.forwarded_signal = forwarded  # type: ignore[attr-defined]
    return locked


def _data_of(signal: Signal) -> SignalData:
    return SignalData(
        first_name=signal.first_name, last_name=signal.last_name, date_of_birth=signal.date_of_birth,
        street=signal.street, house_number=signal.house_number, postcode=signal.postcode, phone=signal.phone,
        how_to_reach=signal.how_to_reach, concern=signal.concern + "\n\n" + _("Forwarded: %(reason)s") % {"reason": signal.outcome_reason},
        resident_knows=signal.resident_knows, resident_agrees=signal.resident_agrees, urgency=signal.urgency,
        reporter_relation=ReporterRelation.PROFESSIONAL, reporter_organisation_name=signal.team.name,
    )  # fmt: skip


def notice_given(*, signal: Signal, acting_user: Any, actor: events.Actor) -> None:
    """Record that the resident was given the AVG art. 14 notice (the page was printed or shown)."""
    with transaction.atomic():
        _event(signal, SignalEvent.Kind.NOTICE_GIVEN, timezone.now(), acting_user)
        events.record(action=Action.PRINT, actor=actor, subjects=[signal_subject(signal, ("notice",))], purpose=PURPOSE)


# The phone line.


def call_log(
    *,
    volunteer: Any,
    started_at: datetime,
    duration_minutes: int,
    topic: str,
    loneliness_mentioned: bool,
    advice: str,
    actor: events.Actor,
    signal_data: SignalData | None = None,
    logged_at: datetime | None = None,
) -> PhoneCall:
    """Log a call anonymously; with the caller's consent (``signal_data``) it also becomes a signal."""
    if volunteer.organisation is None or volunteer.organisation.kind != Organisation.Kind.HELPLINE:
        raise SignalError(_("Only volunteers of the phone line log calls."))
    with transaction.atomic():
        signal = None
        if signal_data is not None:
            signal = signal_create(
                data=signal_data, source=Source.PHONE_LINE, actor=actor, reported_by=volunteer,
                reporter_organisation=volunteer.organisation, received_at=logged_at,
            )  # fmt: skip
        call = PhoneCall.objects.create(
            organisation=volunteer.organisation, volunteer=volunteer, started_at=started_at,
            duration_minutes=duration_minutes, topic=topic, loneliness_mentioned=loneliness_mentioned, advice=advice,
            signal=signal, logged_at=logged_at or timezone.now(),
        )  # fmt: skip
    return call


# Partner API tokens.

TOKEN_PREFIX = "omz_"  # noqa: S105 - the public prefix of every key, not a secret


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, organisation: Organisation, name: str, acting_user: Any) -> tuple[PartnerToken, str]:
    """Issue a new API key for an organisation; return the token and the key (shown once, stored hashed)."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = PartnerToken.objects.create(
            organisation=organisation, name=name, prefix=key[:12], key_hash=_hash(key), created_by=acting_user
        )
        events.record(
            action=Action.CREATE, actor=events.actor_for_user(acting_user),
            subjects=[events.Subject(object_type="partner_token", object_id=str(token.pk), fields=("key",))],
            purpose="api_token",
        )  # fmt: skip
    return token, key


def token_revoke(*, token: PartnerToken, acting_user: Any, at: datetime | None = None) -> PartnerToken:
    """Revoke a key: the next request with it is refused."""
    with transaction.atomic():
        locked = PartnerToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = at or timezone.now()
            locked.save(update_fields=["revoked_at"])
            events.record(
                action=Action.DELETE, actor=events.actor_for_user(acting_user),
                subjects=[events.Subject(object_type="partner_token", object_id=str(locked.pk), fields=("revoked_at",))],
                purpose="api_token",
            )  # fmt: skip
    return locked


def token_rotate(*, token: PartnerToken, acting_user: Any) -> tuple[PartnerToken, str]:
    """Replace a key by a new one for the same organisation and system; the old one stops at once."""
    with transaction.atomic():
        if token.revoked_at is not None:
            raise SignalError(_("A revoked key cannot be rotated; issue a new one."))
        new, key = token_issue(organisation=token.organisation, name=token.name, acting_user=acting_user)
        old = token_revoke(token=token, acting_user=acting_user)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
    return new, key


def token_for_key(key: str) -> PartnerToken | None:
    """Return the active token whose key this is (None for unknown or revoked keys)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    return (
        PartnerToken.objects.select_related("organisation")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )


def token_use_log(
    *, token: PartnerToken | None, method: str, path: str, status: int, client_ip: str | None,
    signal: Signal | None = None,
) -> TokenUse:  # fmt: skip
    """Write down one request made with a partner key (also a refused one), and the access-log entry."""
    now = timezone.now()
    with transaction.atomic():
        use = TokenUse.objects.create(token=token, at=now, method=method, path=path[:200], status=status,
                                      signal=signal, client_ip=client_ip)  # fmt: skip
        if token is not None:
            PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
        organisation = token.organisation if token else None
        actor = events.Actor(
            display=f"api-token:{token.prefix}" if token else "api-token:unknown", role="partner_system",
            organisation_id=organisation.public_id if organisation else None,
            organisation_name=organisation.name if organisation else "", client_ip=client_ip, channel="api",
        )  # fmt: skip
        subject = (
            signal_subject(signal, ("status",) if method == "GET" else RESIDENT_FIELDS)
            if signal
            else events.Subject(object_type="partner_api", object_id=path[:64])
        )
        events.record(
            action=Action.READ if method == "GET" else Action.CREATE, actor=actor, subjects=[subject],
            purpose="partner_api", http_status=status,
            outcome="success" if status < 400 else "denied",
        )  # fmt: skip
    return use


def api_actor(token: PartnerToken, client_ip: str | None) -> events.Actor:
    """The access-log actor of a partner system."""
    return events.Actor(
        display=f"api-token:{token.prefix}", role="partner_system", organisation_id=token.organisation.public_id,
        organisation_name=token.organisation.name, client_ip=client_ip, channel="api",
    )  # fmt: skip


# Retention.


def signals_expire(now: datetime, dry_run: bool) -> int:
    """Remove decided signals that did not become part of a case once the retention period is over."""
    cutoff = now - policy_value(RETENTION)
    expired = Signal.objects.filter(status=Status.DECIDED, decided_at__lt=cutoff).exclude(
        Q(outcome__in=(Outcome.NEW_CASE, Outcome.ADDED_TO_CASE)) | Q(forwarded_to__isnull=False, forwarded_to__status__in=(Status.NEW, Status.ASSIGNED))
    )  # fmt: skip
    count = expired.count()
    if not dry_run and count:
        ids = list(expired.values_list("pk", flat=True))
        PhoneCall.objects.filter(signal_id__in=ids).update(signal=None)
        Signal.objects.filter(pk__in=ids).delete()
    return count


def signals_of_resident_erase(resident: Resident) -> dict[str, int]:
    """Remove the signals about a resident (on their erasure request), with their notes and history."""
    with transaction.atomic():
        ids = list(Signal.objects.filter(resident=resident).values_list("pk", flat=True))
        PhoneCall.objects.filter(signal_id__in=ids).update(signal=None)  # the anonymous call stays counted
        deleted = Signal.objects.filter(pk__in=ids).delete()[1]
    return {"signals": deleted.get("casework.Signal", 0), "notes": deleted.get("casework.SignalNote", 0)}
