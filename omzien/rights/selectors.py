# SPDX-License-Identifier: EUPL-1.2
"""Reads of the rights room: the privacy queue, a resident's requests, the data export, the registers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.audit import events
from omzien.lib.rooms import (
    algorithm_declarations,
    data_export_sections,
    erasure_steps,
    processing_purposes,
    retention_rules,
    rooms,
)
from omzien.residents.models import Resident
from omzien.rights.models import OPEN_STATUSES, ExportPdf, PrivacyRequest, RetentionRun

EXPORT_FORMAT = "omzien-data-export/1"


def privacy_queue(request: Any, *, show_closed: bool = False) -> QuerySet[PrivacyRequest]:
    """The requests the privacy officer handles, soonest deadline first; the listing is logged."""
    queryset = PrivacyRequest.objects.select_related("resident").order_by("due_at", "pk")
    if not show_closed:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    found = list(queryset[:500])
    events.record_listed(
        actor=events.actor_for_request(request),
        shown=[events.Subject(resident_pseudo_id=item.resident_pseudo_id, object_type="privacy_request",
                              object_id=str(item.public_id)) for item in found],
        fields=("kind", "name"), purpose="privacy_request",
    )  # fmt: skip
    return queryset


def retention_runs(limit: int = 10) -> list[RetentionRun]:
    """The latest retention runs with what each rule removed (counts only).

    Each line's description is the rule's as declared today, in the reader's language (a run stores it in the
    language ``omzien tick`` ran in); a rule no longer declared keeps the stored wording.
    """
    described = {(declaring.label, rule.key): rule.description for declaring, rule in retention_rules()}
    runs = list(RetentionRun.objects.all()[:limit])
    for run in runs:
        run.lines = [
            {
                **line,
                "description": str(
                    described.get((line.get("room"), line.get("key")), line.get("description", ""))
                ),
            }
            for line in run.lines
        ]
    return runs


def open_request_count(user: Any) -> int:
    """How many AVG requests wait for a decision (for the officer's menu)."""
    return PrivacyRequest.objects.filter(status__in=OPEN_STATUSES).count()


def requests_of_resident(resident: Resident) -> QuerySet[PrivacyRequest]:
    """The resident's own requests, newest first."""
    return PrivacyRequest.objects.filter(resident=resident).order_by("-received_at", "-pk")


# --- The erasure report, worded for the privacy officer ----------------------------------------------------

# What the rights room itself counts (the record and the DigiD login), next to the rooms' erasure steps.
_OWN_LABELS: dict[str, dict[str, Any]] = {
    "residents.record": {
        "resident": _("The resident record removed"),
        "consents": _("Consents given or withdrawn removed"),
        "links": _("Links with organisations removed"),
    },
    "accounts.digid_login": {"digid_login": _("DigiD login (the keyed hash of the BSN) removed")},
}


@dataclass(frozen=True)
class ErasurePart:
    """One part of Omzien in the erasure report: its name and what was removed, in the reader's language."""

    name: str
    lines: list[str]


def _part_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:  # a room no longer installed: its label is all there is
        return label


def _with_record_labels(counts: dict[str, Any]) -> dict[str, str]:
    """Words for what the database removed with the record, from each model's name (e.g. "Measurements
    removed with the record")."""
    from django.apps import apps
    from django.utils.text import capfirst
    from django.utils.translation import gettext

    words: dict[str, str] = {}
    for label in counts:
        try:
            plural = str(apps.get_model(label)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            continue
        words[label] = gettext("%(records)s removed with the record") % {"records": capfirst(plural)}
    return words


def erasure_report_parts(report: dict[str, Any]) -> tuple[list[ErasurePart], list[ErasurePart]]:
    """The stored erasure report as the officer reads it: per part of Omzien, "<what>: <count>" for what was
    removed (nothing found: said so), and what was kept under a legal hold with its ground.

    The report stores keys and counts (and each hold's English wording), so it reads in the officer's
    language today; a kind a room no longer declares keeps its stored key.
    """
    from django.utils.translation import gettext

    labels: dict[str, Any] = dict(_OWN_LABELS)
    holds: dict[tuple[str, str, int], Any] = {}
    for declaring, step in erasure_steps():
        labels[f"{declaring.label}.{step.key}"] = step.labels
        for index, hold in enumerate(step.legal_hold):
            holds[(declaring.label, step.key, index)] = hold
    removed: dict[str, list[str]] = {}
    for step_key, counts in (report.get("removed") or {}).items():
        room = step_key.split(".", 1)[0]
        words = (
            _with_record_labels(counts) if step_key == "residents.with_record" else labels.get(step_key, {})
        )
        lines = [
            gettext("%(what)s: %(count)s") % {"what": words.get(kind, kind.replace("_", " ")), "count": count}
            for kind, count in counts.items()
            if count
        ]
        removed.setdefault(room, []).extend(lines)
    kept: dict[str, list[str]] = {}
    for hold in report.get("kept") or []:
        declared = holds.get((hold.get("room", ""), hold.get("step", ""), hold.get("index", -1)))
        what = str(declared) if declared else hold.get("what", "")
        if what:  # gettext("") would be the catalogue's header
            kept.setdefault(hold.get("room", ""), []).append(str(declared) if declared else gettext(what))
    removed_parts = [
        ErasurePart(_part_name(room), lines or [gettext("nothing of this resident was found here")])
        for room, lines in removed.items()
    ]
    return removed_parts, [ErasurePart(_part_name(room), lines) for room, lines in kept.items()]


# --- The data export (AVG art. 15 and 20) ------------------------------------------------------------


def _with_removal(export: ExportPdf | None) -> ExportPdf | None:
    from omzien import policy
    from omzien.rights.policies import EXPORT_PDF_RETENTION

    if export is not None:
        export.removed_at = export.created_at + policy.get(EXPORT_PDF_RETENTION.key)  # type: ignore[attr-defined]
    return export


def export_pdf_latest(resident: Resident) -> ExportPdf | None:
    """The resident's readable export (PDF) if they asked for one: its status and when it is removed, without
    the file itself."""
    return _with_removal(ExportPdf.objects.filter(resident=resident).defer("pdf").first())


def export_pdf_status_of_user(user: Any) -> ExportPdf | None:
    """The export of the resident this user is, for the page that waits for it (status only, nothing
    of the record, so not logged: the page polls it every few seconds)."""
    user_id = getattr(user, "pk", None) or 0
    return _with_removal(ExportPdf.objects.filter(resident__user_id=user_id).defer("pdf").first())


def export_pdf_file(resident: Resident, export_id: int) -> bytes | None:
    """The stored PDF of this resident's export (None when it is gone meanwhile)."""
    found = ExportPdf.objects.filter(pk=export_id, resident=resident).values_list("pdf", flat=True).first()
    return bytes(found) if found is not None else None


def resident_record_export(resident: Resident) -> dict[str, Any]:
    """The resident's own record, consents and which organisations work with them (no staff names)."""
    return {
        "first_name": resident.first_name, "last_name": resident.last_name,
        "date_of_birth": resident.date_of_birth.isoformat() if resident.date_of_birth else None,
        "street": resident.street, "postcode": resident.postcode, "city": resident.city,
        "neighbourhood": resident.neighbourhood.name if resident.neighbourhood_id and resident.neighbourhood else "",
        "phone": resident.phone, "email": resident.email, "languages": list(resident.languages or []),
        "preferred_contact": resident.get_preferred_contact_display(),
        "restricted_since": resident.restricted_since.isoformat() if resident.restricted_since else None,
        "objections": list(resident.objections or []),
        "public_id": str(resident.public_id),
        "created_at": resident.created_at.isoformat(),
        "consents": [
            {"purpose": event.get_purpose_display(), "organisation": event.organisation.name if event.organisation else "",
             "given": event.given, "how": event.get_method_display(), "when": event.recorded_at.isoformat()}
            for event in resident.consent_events.select_related("organisation").order_by("recorded_at", "pk")
        ],
        # The organisation, never the person at it: a volunteer's name is someone else's data (art. 15(4)).
        "organisations": [
            {"kind": link.get_kind_display(), "organisation": link.organisation.name,
             "since": link.started_at.isoformat(), "until": link.ended_at.isoformat() if link.ended_at else None}
            for link in resident.links.select_related("organisation").order_by("started_at", "pk")
        ],
    }  # fmt: skip


def privacy_requests_export(resident: Resident) -> list[dict[str, Any]]:
    """The resident's AVG requests and their decisions."""
    return [
        {"kind": item.get_kind_display(), "explanation": item.explanation, "status": item.get_status_display(),
         "received": item.received_at.isoformat(), "due": item.due_at.isoformat(),
         "extension_reason": item.extension_reason,
         "decided": item.decided_at.isoformat() if item.decided_at else None, "reasons": item.decision_reasons}
        for item in requests_of_resident(resident)
    ]  # fmt: skip


def export_build(resident: Resident) -> dict[str, Any]:
    """Every installed room's export sections for the resident, as one JSON-serialisable document."""
    sections = [
        {
            "key": section.key,
            "room": declaring.label,
            "title": str(section.title),
            "data": section.collect(resident),
        }
        for declaring, section in data_export_sections()
    ]
    return {"format": EXPORT_FORMAT, "created_at": timezone.now().isoformat(), "sections": sections}


@dataclass(frozen=True)
class Block:
    """One piece of the readable export: a table, a list of facts, or a sentence."""

    kind: str  # "table", "facts", "text"
    heading: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    text: str = ""


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def readable_blocks(data: Any, heading: str = "") -> list[Block]:
    """Turn a section's JSON into tables and lists of facts for the PDF (any shape a room returns)."""
    if isinstance(data, dict):
        facts = tuple((str(key), _plain(value)) for key, value in data.items() if not _nested_list(value))
        blocks = [Block("facts", heading, rows=facts)] if facts else []
        for key, value in data.items():
            if _nested_list(value):
                blocks += readable_blocks(value, str(key))
        return blocks
    if isinstance(data, list | tuple):
        if not data:
            return [Block("text", heading, text="–")]
        if all(isinstance(item, dict) for item in data):
            columns = tuple(dict.fromkeys(str(key) for item in data for key in item))
            rows = tuple(tuple(_plain(item.get(column)) for column in columns) for item in data)
            return [Block("table", heading, columns=columns, rows=rows)]
        return [Block("text", heading, text=_plain(data))]
    return [Block("text", heading, text=_plain(data))]


def _nested_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value)


# --- The registers and the DPIA matrix ------------------------------------------------------------------


def register_rows() -> list[list[str]]:
    """The AVG art. 30 register as rows (header first), for CSV."""
    rows = [["room", "key", "purpose", "legal_ground", "data_categories", "special_categories", "subjects",
             "recipients", "retention"]]  # fmt: skip
    for declaring, purpose in processing_purposes():
        rows.append([
            declaring.label, purpose.key, str(purpose.name), str(purpose.legal_ground),
            "; ".join(str(item) for item in purpose.data_categories), "yes" if purpose.special_categories else "no",
            "; ".join(str(item) for item in purpose.subject_categories),
            "; ".join(str(item) for item in purpose.recipients), str(purpose.retention),
        ])  # fmt: skip
    return rows


# The columns of the algorithm register's CSV: the fields of the Dutch Algoritmeregister's publication standard
# (Algoritmeregister-Publicatiestandaard, its Dutch field names, as the register imports them), after the room
# and key. The municipality's own fields come from policy: organisation and contact from the accessibility
# statement and the privacy contact; the start date is left for the municipality to fill in.
ALGORITHM_COLUMNS = (
    "room", "key", "Naam", "Organisatie", "Korte omschrijving", "Status", "Begindatum", "Contactgegevens",
    "Publicatiecategorie", "Doel en impact", "Menselijke tussenkomst", "Risicobeheer", "Wettelijke basis",
    "Link naar verwerkingsregister", "Gegevens", "Technische werking", "Link naar broncode",
)  # fmt: skip
PUBLICATION_CATEGORIES = {"impactful": "Impactvolle algoritmes", "other": "Overige algoritmes"}


def algorithm_rows(base_url: str = "") -> list[list[str]]:
    """The algorithm register as rows (header first), in the Algoritmeregister's fields, for CSV. ``base_url``
    (scheme and host) makes the link to the register of processing absolute."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from omzien import policy
    from omzien.rights.policies import ACCESSIBILITY, PRIVACY_CONTACT

    statement = dict(ACCESSIBILITY.default) | dict(policy.get(ACCESSIBILITY.key) or {})
    organisation = str(statement.get("organisation") or "")
    contact = str(policy.get(PRIVACY_CONTACT.key) or "")
    register = base_url + reverse("processing_register")
    rows = [list(ALGORITHM_COLUMNS)]
    for declaring, algorithm in algorithm_declarations():
        link = f"{register}#purpose-{algorithm.processing_purpose}" if algorithm.processing_purpose else ""
        rows.append([
            declaring.label, algorithm.key, str(algorithm.name), organisation, str(algorithm.description),
            gettext("In use"), "", contact, PUBLICATION_CATEGORIES[algorithm.category], str(algorithm.goal),
            str(algorithm.human_oversight), str(algorithm.risks), str(algorithm.legal_basis), link,
            str(algorithm.data), str(algorithm.methods), algorithm.source_url,
        ])  # fmt: skip
    return rows


@dataclass(frozen=True)
class MatrixRow:
    role: str
    via: str
    fields: tuple[bool, ...]


def role_field_matrix() -> tuple[tuple[str, ...], list[MatrixRow]]:
    """Who sees which resident field through which kind of link, from every room's link-kind declarations."""
    from omzien.accounts.roles import role_for_value

    kinds = [kind for declaring in rooms() for kind in declaring.link_kinds]
    all_fields = tuple(
        dict.fromkeys(name for kind in kinds for names in kind.fields.values() for name in names)
    )
    rows = []
    for kind in kinds:
        for role, names in kind.fields.items():
            found = role_for_value(str(role))
            rows.append(MatrixRow(str(found.label) if found else str(role), str(kind.label),
                                  tuple(name in names for name in all_fields)))  # fmt: skip
    rows.sort(key=lambda row: (row.role, row.via))
    return all_fields, rows


# --- The accessibility statement --------------------------------------------------------------------------

STATUS_LABELS = {
    "A": "voldoet volledig",
    "B": "voldoet gedeeltelijk",
    "C": "eerste maatregelen genomen",
    "D": "eerste maatregelen nog niet genomen",
    "E": "voldoet niet",
}


def automated_checks() -> dict[str, str]:
    """What the build checks automatically (supporting information, not the statement's status)."""
    from pathlib import Path

    from django.conf import settings

    version = ""
    package = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "package.json"
    if package.exists():
        import json

        version = json.loads(package.read_text()).get("version", "")
    return {"tool": f"axe-core {version}".strip(), "rules": "WCAG 2.1 A en AA"}


def accessibility_statement() -> dict[str, Any]:
    """The fields the municipality filled in, the status in words, and the automated checks."""
    from omzien import policy
    from omzien.rights.policies import ACCESSIBILITY

    fields = dict(ACCESSIBILITY.default) | dict(policy.get(ACCESSIBILITY.key) or {})
    status = str(fields.get("status", "")).strip().upper()[:1]
    return {
        **fields,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "checks": automated_checks(),
    }


# --- The resident's own page: their support in every room, and their consents ----------------------------
#
# The rights room may read the rooms above the ground floor (nothing imports it back): each room is read
# through its selectors (activities, volunteers, wellbeing, casework's route labels) or, where casework
# has no resident-facing selector yet, its models — read only, never written from here.


@dataclass(frozen=True)
class MyReferral:
    route: str
    to: str
    status: str
    status_code: str
    sent: Any
    answered: Any


@dataclass(frozen=True)
class MyCase:
    team: str
    stage: str
    open: bool
    opened: Any
    closed: Any
    goals: str
    routes: tuple[str, ...]
    next_due: Any
    referrals: tuple[MyReferral, ...]


@dataclass(frozen=True)
class MyPair:
    kind: str
    organisation: str
    stage: str
    since: Any
    until: Any


@dataclass(frozen=True)
class MyRequest:
    kind: str
    organisation: str
    status: str
    asked: Any
    pairs: tuple[MyPair, ...]


@dataclass
class MySupport:
    cases: list[MyCase]
    requests: list[MyRequest]
    registrations: list[Any]
    waiting: list[Any]
    measurements: list[Any]
    charts: list[Any]


# What the page shows, for the access log (the names of the parts, not their values).
MY_SUPPORT_PARTS = ("cases", "goals", "routes", "referrals", "match_requests", "pairs", "registrations",
                    "waiting_list", "measurements")  # fmt: skip


def my_cases(resident: Resident) -> list[MyCase]:
    """The resident's cases at the neighbourhood team: stage, their goals, the routes chosen, the referrals."""
    from omzien.casework.models import Case, Referral
    from omzien.casework.selectors import route_label

    found = []
    cases = (
        Case.objects.filter(resident=resident)
        .select_related("team", "intake")
        .prefetch_related("advices")
        .order_by("-opened_at", "-pk")
    )
    for case in cases:
        intake = case.intake if hasattr(case, "intake") else None  # a case before its intake has none
        latest_advice = max(
            case.advices.all(), key=lambda advice: (advice.decided_at, advice.pk), default=None
        )
        referrals = tuple(
            MyReferral(
                route=route_label(referral.route),
                to=(referral.target_organisation.name if referral.target_organisation else "")
                or (referral.activity.title if referral.activity else "")
                or referral.target_name,
                status=referral.get_status_display(), status_code=referral.status, sent=referral.sent_at,
                answered=referral.answered_at,
            )
            for referral in Referral.objects.filter(case=case)
            .select_related("target_organisation", "activity")
            .order_by("-sent_at", "-pk")
        )  # fmt: skip
        found.append(
            MyCase(
                team=case.team.name, stage=case.get_stage_display(), open=case.closed_at is None,
                opened=case.opened_at, closed=case.closed_at, goals=intake.goals if intake else "",
                routes=tuple(route_label(code) for code in (latest_advice.chosen if latest_advice else [])),
                next_due=case.next_due if case.closed_at is None else None, referrals=referrals,
            )
        )  # fmt: skip
    return found


def my_requests(resident: Resident) -> list[MyRequest]:
    """The resident's requests for a volunteer or host, with the pairs made for them (organisations only)."""
    from omzien.volunteers.selectors import resident_requests

    return [
        MyRequest(
            kind=request.get_kind_display(), organisation=request.organisation.name,
            status=request.get_status_display(), asked=request.created_at,
            pairs=tuple(
                MyPair(pair.get_kind_display(), pair.organisation.name, pair.get_stage_display(),
                       pair.started_on, pair.ended_on)
                for pair in request.pairs.all()
            ),
        )
        for request in resident_requests(resident)
    ]  # fmt: skip


def my_support(resident: Resident) -> MySupport:
    """Everything the resident's own page shows of their support, read through each room."""
    from omzien.activities.selectors import resident_activities
    from omzien.wellbeing.selectors import measurement_charts, measurement_history

    registrations, waiting = resident_activities(resident)
    rows = measurement_history(resident)
    return MySupport(
        cases=my_cases(resident), requests=my_requests(resident), registrations=registrations, waiting=waiting,
        measurements=rows, charts=measurement_charts(rows),
    )  # fmt: skip


@dataclass(frozen=True)
class StandingConsent:
    """A consent the resident gave and has not withdrawn, with what withdrawing it does."""

    purpose: str
    purpose_label: str
    organisation: Any
    since: Any
    how: str
    effect: str
    keeps: str

    @property
    def key(self) -> str:
        return f"{self.purpose}:{self.organisation.public_id}" if self.organisation else self.purpose


def _field_labels(names: set[str]) -> str:
    labels = {
        field.name: str(getattr(field, "verbose_name", field.name)) for field in Resident._meta.get_fields()
    }
    order = [name for name in labels if name in names] + sorted(names - set(labels))
    return ", ".join(labels.get(name, name) for name in order)


def _effect(resident: Resident, purpose: str, organisation: Any) -> tuple[str, str]:
    """What withdrawing this consent does, and what stays, in words for the resident."""
    from django.utils.translation import gettext as _

    from omzien import policy
    from omzien.residents.models import ConsentPurpose, link_kinds
    from omzien.residents.selectors import active_links

    if purpose == ConsentPurpose.SHARING and organisation is not None:
        kinds = link_kinds()
        links = [link for link in active_links(resident) if link.organisation_id == organisation.pk]
        ends = [link for link in links if link.kind in kinds and kinds[link.kind].needs_sharing_consent]
        stays = [link for link in links if link not in ends and link.kind in kinds]

        def fields_of(chosen: list[Any]) -> str:
            return _field_labels(
                {name for link in chosen for names in kinds[link.kind].fields.values() for name in names}
            )

        def reasons_of(chosen: list[Any]) -> str:
            return ", ".join(sorted({str(kinds[link.kind].label) for link in chosen if link.kind in kinds}))

        if ends:
            effect = _(
                "%(organisation)s no longer sees your data (%(fields)s) for %(reasons)s from the moment you "
                "withdraw. What they already wrote down themselves stays with them."
            ) % {"organisation": organisation.name, "fields": fields_of(ends), "reasons": reasons_of(ends)}
        elif stays:
            effect = _("%(organisation)s may no longer receive your data from the neighbourhood team.") % {
                "organisation": organisation.name
            }
        else:
            effect = _(
                "%(organisation)s may no longer receive your data from the neighbourhood team. It has no "
                "access to your record now."
            ) % {"organisation": organisation.name}
        keeps = (
            _(
                "It keeps seeing %(fields)s for %(reasons)s: that does not depend on this consent. To end it, ask "
                "%(organisation)s, or object below."
            ) % {"organisation": organisation.name, "fields": fields_of(stays), "reasons": reasons_of(stays)}
            if stays else ""
        )  # fmt: skip
        return effect, keeps
    if purpose == ConsentPurpose.STATISTICS:
        if int(policy.get("casework.statistics_without_consent") or 0) == 1:
            return (
                _(
                    "Your data is no longer counted on the basis of this consent. The municipality also counts "
                    "outcomes as part of its public task, without consent: to stop that too, object below "
                    "(AVG art. 21)."
                ),
                "",
            )
        return (
            _("From the next count on, your data is left out of the anonymous statistics for the council."),
            _("Figures already published stay as they are: nobody can be recognised in them."),
        )
    return (
        _(
            "Your neighbourhood team sees on your record that you no longer want its support, and contacts you "
            "to end it properly."
        ),
        _(
            "Your case file stays as long as the law requires (see the privacy statement); then it is removed."
        ),
    )


def standing_consents(resident: Resident) -> list[StandingConsent]:
    """The resident's consents whose latest event is 'given', newest first, each with its effect."""
    from omzien.residents.selectors import consent_history

    seen: set[tuple[str, int | None]] = set()
    standing = []
    for event in consent_history(resident):  # newest first: the first event per purpose counts
        key = (event.purpose, event.organisation_id)
        if key in seen:
            continue
        seen.add(key)
        if event.given:
            effect, keeps = _effect(resident, event.purpose, event.organisation)
            standing.append(
                StandingConsent(event.purpose, event.get_purpose_display(), event.organisation, event.recorded_at,
                                event.get_method_display(), effect, keeps)
            )  # fmt: skip
    return standing


def withdrawn_consents(resident: Resident) -> list[Any]:
    """The resident's withdrawals (the latest event per purpose is 'withdrawn'), newest first."""
    from omzien.residents.selectors import consent_history

    seen: set[tuple[str, int | None]] = set()
    found = []
    for event in consent_history(resident):
        key = (event.purpose, event.organisation_id)
        if key not in seen:
            seen.add(key)
            if not event.given:
                found.append(event)
    return found
