# SPDX-License-Identifier: EUPL-1.2
"""Writes of the rights room: AVG requests and their decisions, erasure across every room, retention."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dateutil.relativedelta import relativedelta

from omzien.audit import events
from omzien.audit.models import Action
from omzien.lib.mail import send_email
from omzien.lib.rooms import erasure_steps, retention_rules
from omzien.residents.models import Resident
from omzien.rights.models import (
    OPEN_STATUSES,
    ExportPdf,
    LinkCode,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    RetentionRun,
)

# AVG art. 12(3): answer within one month; extendable by two further months, with the reason given.
ANSWER_WITHIN = relativedelta(months=1)
EXTENSION = relativedelta(months=2)


class RequestError(ValueError):
    """A request or decision the rules do not allow; the message says why, for the person."""


def _subject(request: PrivacyRequest) -> events.Subject:
    return events.Subject(
        resident_pseudo_id=request.resident_pseudo_id,
        object_type="privacy_request",
        object_id=str(request.public_id),
    )


def _tell(to: str, subject: str, body: str) -> None:
    if to:
        transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))


def _address(resident: Resident | None) -> str:
    if resident is None:
        return ""
    user_email = resident.user.email if resident.user_id and resident.user else ""
    return user_email or resident.email


def request_submit(
    *, resident: Resident, kind: str, explanation: str, acting_user: Any, now: datetime | None = None
) -> PrivacyRequest:
    """Record a resident's AVG request with its legal deadline, and confirm it by e-mail."""
    if kind not in RequestKind.values:
        raise RequestError(_("Choose what you ask for."))
    if (
        kind in (RequestKind.RECTIFICATION, RequestKind.RESTRICTION, RequestKind.OBJECTION)
        and not explanation.strip()
    ):
        raise RequestError(
            _("Say what should change, or what you object to, so the privacy officer can act on it.")
        )
    received = now or timezone.now()
    twice = _("You already asked for this; the privacy officer is handling it.")
    with transaction.atomic():
        if PrivacyRequest.objects.filter(resident=resident, kind=kind, status__in=OPEN_STATUSES).exists():
            raise RequestError(twice)
        try:
            with (
                transaction.atomic()
            ):  # a second submit racing this one: the open-request constraint refuses it
                request = PrivacyRequest.objects.create(
                    resident=resident, resident_pseudo_id=resident.pseudo_id, kind=kind,
                    explanation=explanation.strip(), received_at=received, due_at=received + ANSWER_WITHIN,
                )  # fmt: skip
        except IntegrityError:
            raise RequestError(twice) from None
        events.record(
            action=Action.CREATE, actor=events.actor_for_user(acting_user), subjects=[_subject(request)],
            purpose="privacy_request",
        )  # fmt: skip
        _tell(
            _address(resident),
            _("Your privacy request was received"),
            _("We received your request: %(kind)s. The privacy officer answers by %(due)s at the latest.")
            % {"kind": request.get_kind_display(), "due": timezone.localdate(request.due_at).isoformat()},
        )
    return request


def request_extend(*, request: PrivacyRequest, reason: str, acting_user: Any) -> PrivacyRequest:
    """Extend the deadline once by two months (AVG art. 12(3)), telling the resident why."""
    if not reason.strip():
        raise RequestError(_("Give the reason for the extension: the resident is told."))
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.RECEIVED:
            raise RequestError(_("The deadline can be extended once, while the request is open."))
        request.status = RequestStatus.EXTENDED
        request.due_at = request.due_at + EXTENSION
        request.extension_reason = reason.strip()
        request.save(update_fields=["status", "due_at", "extension_reason"])
        events.record(
            action=Action.UPDATE, actor=events.actor_for_user(acting_user), subjects=[_subject(request)],
            purpose="privacy_request",
        )  # fmt: skip
        _tell(
            _address(request.resident),
            _("Your privacy request takes longer"),
            _("We need more time for your request (%(kind)s). We answer by %(due)s. The reason: %(reason)s")
            % {"kind": request.get_kind_display(), "due": timezone.localdate(request.due_at).isoformat(),
               "reason": request.extension_reason},
        )  # fmt: skip
    return request


def request_decide(
    *,
    request: PrivacyRequest,
    grant: bool,
    reasons: str,
    acting_user: Any,
    objection_to: tuple[str, ...] = (),
) -> PrivacyRequest:
    """Grant or refuse a request with reasons; a granted erasure erases the resident in every room, a granted
    restriction restricts the record, a granted objection stops the processings named in ``objection_to``."""
    if grant and request.kind == RequestKind.OBJECTION and not objection_to:
        raise RequestError(_("Choose which use of the data the objection stops."))
    if not reasons.strip():
        raise RequestError(_("Give the reasons for the decision: the resident is told."))
    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update(of=("self",))
            .select_related("resident__user")
            .get(pk=request.pk)
        )
        if not request.is_open:
            raise RequestError(_("This request has been decided already."))
        to = _address(request.resident)
        request.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
        request.decided_at = timezone.now()
        request.decided_by = acting_user
        request.decision_reasons = reasons.strip()
        if (
            grant
            and request.resident is not None
            and request.kind in (RequestKind.RESTRICTION, RequestKind.OBJECTION)
        ):
            _limit(request, acting_user, objection_to)
        if grant and request.kind == RequestKind.ERASURE and request.resident is not None:
            report = resident_erase(resident=request.resident, acting_user=acting_user)
            request.erasure_report = report.as_json()
            request.resident = None
            request.explanation = ""
        request.save()
        events.record(
            action=Action.UPDATE, actor=events.actor_for_user(acting_user), subjects=[_subject(request)],
            purpose="privacy_request",
        )  # fmt: skip
        _tell(
            to,
            _("Decision on your privacy request"),
            _("Your request (%(kind)s) was %(status)s. The reasons: %(reasons)s")
            % {"kind": request.get_kind_display(), "status": request.get_status_display(),
               "reasons": request.decision_reasons},
        )  # fmt: skip
    return request


# The erasure report's entry for what the database removed together with the resident record (cascade).
WITH_RECORD = "residents.with_record"


@dataclass
class ErasureReport:
    """What an erasure removed per room and kind of record, and what it kept with the legal ground."""

    removed: dict[str, dict[str, int]] = field(default_factory=dict)
    kept: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"removed": self.removed, "kept": self.kept}


def resident_erase(*, resident: Resident, acting_user: Any) -> ErasureReport:
    """Erase a resident in every room (dependants first), then the record itself; return the report.

    Each room's ``ErasureStep`` removes or anonymises its own records and names what it keeps under a
    legal hold. The access log is not touched: its entries name the resident only by the pseudonymous
    id, and with the record gone nothing links that id to a person any more (docs/rights.md).
    """
    report = ErasureReport()
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        pseudo_id = resident.pseudo_id
        for declaring, step in erasure_steps():
            done = step.erase(resident)
            report.removed[f"{declaring.label}.{step.key}"] = {
                str(kind): int(count) for kind, count in done.items()
            }
            # The hold is stored as its English wording; the report page words it in the reader's language.
            with translation.override("en"):
                report.kept.extend(
                    {"room": declaring.label, "step": step.key, "index": index, "what": str(hold)}
                    for index, hold in enumerate(step.legal_hold)
                )
        user = resident.user
        report.removed["residents.record"] = {
            "consents": resident.consent_events.count(), "links": resident.links.count(), "resident": 1,
        }  # fmt: skip
        # Django's collector cascades to what rooms without an erasure step hold (registrations,
        # measurements…): the record's foreign keys are the last word on "every trace". The report names
        # what went with the record, per kind (model label; the page words it in the reader's language).
        _total, per_model = resident.delete()
        counted = {"residents.Resident", "residents.ConsentEvent", "residents.ResidentLink"}
        with_record = {
            label: count for label, count in sorted(per_model.items()) if count and label not in counted
        }
        if with_record:
            report.removed[WITH_RECORD] = with_record
        if user is not None:
            from omzien.accounts.models import OidcIdentity

            # The DigiD login goes too: its keyed BSN hash is pseudonymous data about the person.
            report.removed["accounts.digid_login"] = {
                "digid_login": OidcIdentity.objects.filter(user=user).delete()[0]
            }
            # The account stays as an empty shell (other rows may point at it as their author);
            # nothing in it names the person any more and it can no longer log in.
            user.username = f"erased-{uuid.uuid4().hex[:12]}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.groups.clear()
        events.record(
            action=Action.DELETE, actor=events.actor_for_user(acting_user),
            subjects=[events.Subject(resident_pseudo_id=pseudo_id, object_type="resident")], purpose="privacy_request",
        )  # fmt: skip
    return report


@dataclass(frozen=True)
class RetentionLine:
    room: str
    key: str
    description: str
    basis: str
    count: int


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> list[RetentionLine]:
    """Apply every room's retention rules (or, dry, count what would go); return one line per rule.

    A dry run runs inside a transaction that is always rolled back, so even a rule that forgot to honour
    ``dry_run`` changes nothing.
    """
    moment = now or timezone.now()
    lines: list[RetentionLine] = []

    class _Rollback(Exception):  # noqa: N818 - control flow, never escapes
        pass

    try:
        with transaction.atomic():
            for declaring, rule in retention_rules():
                count = rule.apply(moment, dry_run)
                lines.append(
                    RetentionLine(declaring.label, rule.key, str(rule.description), rule.basis, count)
                )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return lines


def retention_run_daily(*, now: datetime | None = None) -> int:
    """Apply retention once a day (``omzien tick`` calls this often): record the report, return what went.

    Idempotent: a second call on the same day finds the day's run and does nothing.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        today = timezone.localdate(moment)
        if RetentionRun.objects.select_for_update().filter(ran_at__date=today).exists():
            return 0
        lines = retention_apply(now=moment)
        removed = sum(line.count for line in lines)
        RetentionRun.objects.create(
            ran_at=moment, removed=removed,
            lines=[{"room": line.room, "key": line.key, "description": line.description, "basis": line.basis,
                    "count": line.count} for line in lines],
        )  # fmt: skip
    return removed


def privacy_requests_expire(now: datetime, dry_run: bool) -> int:
    """Remove decided AVG requests once the accountability period after the decision is over."""
    from omzien import policy
    from omzien.rights.policies import REQUEST_RETENTION

    cutoff = now - policy.get(REQUEST_RETENTION.key)
    expired = PrivacyRequest.objects.filter(decided_at__lt=cutoff)
    count = expired.count()
    if not dry_run and count:
        expired.delete()
    return count


# --- The readable export (PDF), made in the background ----------------------------------------------------


def export_pdf_request(*, resident: Resident, language: str, now: datetime | None = None) -> ExportPdf:
    """Queue the resident's readable export in this language; an earlier one of theirs is removed.

    The caller has checked that the user is this resident and logged the request; the task worker makes
    the PDF (``export_pdf_make``) from the data as it is then.
    """
    from omzien.rights.tasks import make_export_pdf

    with transaction.atomic():
        ExportPdf.objects.filter(resident=resident).delete()
        export = ExportPdf.objects.create(
            resident=resident, language=language, created_at=now or timezone.now()
        )
    transaction.on_commit(lambda: make_export_pdf.enqueue(export_id=export.pk))
    return export


def export_pdf_make(export_id: int) -> ExportPdf | None:
    """Render the resident's data as a PDF and store it; on a failure store only that it failed.

    None when the request is gone (replaced by a newer one, or the resident erased meanwhile).
    """
    from django.template.loader import render_to_string
    from django.utils import translation

    from weasyprint import HTML

    from omzien.rights.selectors import export_build, readable_blocks

    export = ExportPdf.objects.select_related("resident").defer("pdf").filter(pk=export_id).first()
    if export is None or export.finished:
        return export  # a task delivered twice does nothing the second time
    ExportPdf.objects.filter(pk=export.pk).update(status=ExportPdf.Status.RUNNING)
    try:
        with translation.override(export.language):
            data = export_build(export.resident)
            sections = [{"title": section["title"], "blocks": readable_blocks(section["data"])}
                        for section in data["sections"]]  # fmt: skip
            html = render_to_string("rights/export_pdf.html", {
                "resident": export.resident, "sections": sections, "created": timezone.localtime(),
                "language": export.language,
            })  # fmt: skip
            pdf = HTML(string=html).write_pdf()
    except Exception:
        ExportPdf.objects.filter(pk=export.pk).update(
            status=ExportPdf.Status.FAILED, finished_at=timezone.now()
        )
        raise
    ExportPdf.objects.filter(pk=export.pk).update(
        status=ExportPdf.Status.DONE, pdf=pdf, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def export_pdfs_expire(now: datetime, dry_run: bool) -> int:
    """Remove readable exports once their download period is over (policy ``rights.export_pdf_retention``)."""
    from omzien import policy
    from omzien.rights.policies import EXPORT_PDF_RETENTION

    expired = ExportPdf.objects.filter(created_at__lt=now - policy.get(EXPORT_PDF_RETENTION.key))
    count = expired.count()
    if not dry_run and count:
        expired.delete()
    return count


# --- Linking a first DigiD login to the resident's record ---------------------------------------------------

# No 0/O, 1/I/L, 5/S or 2/Z: read out over the phone or copied from paper without mistakes.
LINK_CODE_ALPHABET = "346789ACDEFGHJKMNPQRTUVWXY"
LINK_CODE_LENGTH = 12  # 12 × log2(26) ≈ 56 bits; guessing is also throttled and needs a verified DigiD login


def link_code_digest(code: str) -> str:
    """The stored form of a link code: HMAC-SHA256 under the subject key, of the code without spaces or dashes."""
    import hashlib
    import hmac

    from django.conf import settings

    cleaned = "".join(character for character in code.upper() if character.isalnum())
    key = (settings.OMZIEN_OIDC_SUBJECT_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, f"link-code:{cleaned}".encode(), hashlib.sha256).hexdigest()


def link_code_create(
    *, resident: Resident, acting_user: Any, now: datetime | None = None
) -> tuple[LinkCode, str]:
    """Make a one-time link code for the resident (earlier unused ones stop working); return it and the code.

    The code itself is shown once, to the professional who hands it over; only its keyed hash is kept.
    """
    import secrets

    from django.conf import settings

    moment = now or timezone.now()
    plain = "".join(secrets.choice(LINK_CODE_ALPHABET) for _position in range(LINK_CODE_LENGTH))
    shown = "-".join(plain[index : index + 4] for index in range(0, LINK_CODE_LENGTH, 4))
    with transaction.atomic():
        LinkCode.objects.filter(resident=resident, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=moment
        )
        code = LinkCode.objects.create(
            resident=resident, code_hash=link_code_digest(plain), created_by=acting_user, created_at=moment,
            expires_at=moment + timedelta(days=settings.OMZIEN_OIDC_LINK_CODE_DAYS),
        )  # fmt: skip
        events.record(
            action=Action.CREATE, actor=events.actor_for_user(acting_user),
            subjects=[events.resident_subject(resident, "link_code", code.pk)], purpose="account_link",
        )  # fmt: skip
    return code, shown


def account_link(*, code: str, subject_hash: str, actor: events.Actor, now: datetime | None = None) -> Any:
    """Redeem a link code for a verified DigiD login: the resident's account, now recognised by the hash.

    The resident's existing resident account is used, or one is made (no password: DigiD is how it logs in).
    Raises ``RequestError`` for a wrong, used, replaced or expired code — the same message for each, so the
    answer does not tell a guesser which codes exist.
    """
    from django.contrib.auth.models import Group

    from omzien.accounts.models import OidcIdentity, User
    from omzien.accounts.roles import Role, user_roles

    moment = now or timezone.now()
    wrong = _("This link code is not valid. Check it, or ask your neighbourhood team for a new one.")
    with transaction.atomic():
        found = (
            LinkCode.objects.select_for_update(of=("self",))
            .select_related("resident__user")
            .filter(code_hash=link_code_digest(code))
            .first()
        )
        if found is None or found.used_at or found.revoked_at or found.expires_at <= moment:
            events.record_denied(
                action=Action.UPDATE, actor=actor, subject=events.Subject(object_type="link_code"),
                purpose="account_link", http_status=400,
            )  # fmt: skip
            raise RequestError(wrong)
        if OidcIdentity.objects.filter(subject_hash=subject_hash).exists():
            raise RequestError(
                _("This DigiD login is already linked to an account. Log in with DigiD again.")
            )
        resident = found.resident
        user = resident.user
        if user is not None and (Role.RESIDENT not in user_roles(user) or len(user_roles(user)) > 1):
            # A staff or volunteer account keeps its password and second factor; DigiD is for residents only.
            raise RequestError(
                _(
                    "Your record is linked to an account that cannot log in with DigiD. Ask your neighbourhood team."
                )
            )
        if user is not None and hasattr(user, "oidc_identity"):
            OidcIdentity.objects.filter(
                user=user
            ).delete()  # a new DigiD login (e.g. a new BSN) replaces the old
        if user is None:
            user = User.objects.create(
                username=f"bewoner-{uuid.uuid4().hex[:16]}", first_name=resident.first_name,
                last_name=resident.last_name, email=resident.email,
            )  # fmt: skip
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=Role.RESIDENT.value))
            Resident.objects.filter(pk=resident.pk).update(user=user)
        OidcIdentity.objects.create(user=user, subject_hash=subject_hash)
        found.used_at = moment
        found.save(update_fields=["used_at"])
        events.record(
            action=Action.UPDATE, actor=actor, subjects=[events.resident_subject(resident, "link_code", found.pk)],
            purpose="account_link",
        )  # fmt: skip
    return user


def consent_withdraw(*, resident: Resident, key: str, acting_user: Any, actor: events.Actor) -> Any:
    """Withdraw one of the resident's standing consents online (``StandingConsent.key``); return it.

    Recorded as the resident's own, online withdrawal (``ConsentMethod.DIGITAL``); a withdrawn sharing
    consent ends the partner's access through consent-bound links on its next request.
    """
    from omzien.residents.models import ConsentMethod
    from omzien.residents.services import consent_record
    from omzien.rights.selectors import standing_consents

    found = next((consent for consent in standing_consents(resident) if consent.key == key), None)
    if found is None:
        raise RequestError(_("This consent was already withdrawn, or never given."))
    consent_record(
        actor=actor, acting_user=acting_user, resident=resident, purpose=found.purpose, given=False,
        method=ConsentMethod.DIGITAL, organisation=found.organisation,
    )  # fmt: skip
    return found


def _limit(request: PrivacyRequest, acting_user: Any, objection_to: tuple[str, ...]) -> None:
    """Carry out a granted restriction (art. 18) or objection (art. 21) on the resident's record.

    Both also end a standing statistics consent, in writing (the request is the resident's written word),
    so counts that ask for consent leave the resident out at once.
    """
    from omzien.residents.models import ConsentMethod, ConsentPurpose
    from omzien.residents.selectors import OBJECTABLE
    from omzien.residents.services import consent_record, objection_grant, processing_restrict

    resident = request.resident
    assert resident is not None
    actor = events.actor_for_user(acting_user)
    if request.kind == RequestKind.RESTRICTION:
        processing_restrict(resident=resident, actor=actor)
    else:
        unknown = set(objection_to) - set(OBJECTABLE)
        if unknown:
            raise RequestError(_("Choose which use of the data the objection stops."))
        objection_grant(resident=resident, processings=list(objection_to), actor=actor)
    if request.kind == RequestKind.RESTRICTION or "statistics" in objection_to:
        latest = (
            resident.consent_events.filter(purpose=ConsentPurpose.STATISTICS)
            .order_by("-recorded_at", "-pk")
            .first()
        )
        if latest is not None and latest.given:
            consent_record(actor=actor, acting_user=acting_user, resident=resident, purpose=ConsentPurpose.STATISTICS,
                           given=False, method=ConsentMethod.WRITTEN)  # fmt: skip


def restriction_lift(*, request: PrivacyRequest, acting_user: Any) -> PrivacyRequest:
    """Lift a granted restriction; the resident is told first (AVG art. 18(3)), by e-mail on commit."""
    from omzien.residents.services import processing_restriction_lift

    if (
        request.kind != RequestKind.RESTRICTION
        or request.status != RequestStatus.GRANTED
        or request.resident is None
    ):
        raise RequestError(_("Only a granted restriction can be lifted."))
    if request.resident.restricted_since is None:
        raise RequestError(_("The restriction has been lifted already."))
    with transaction.atomic():
        processing_restriction_lift(resident=request.resident, actor=events.actor_for_user(acting_user))
        _tell(
            _address(request.resident),
            _("The restriction of your data is lifted"),
            _(
                "The municipality lifts the restriction of the use of your data that you asked for. From now on your data is used again as before. Questions or an objection: reply to this e-mail or contact the privacy officer."
            ),
        )
    return request
