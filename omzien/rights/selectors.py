# SPDX-License-Identifier: EUPL-1.2
"""Reads of the rights room: the privacy queue, a resident's requests, the data export, the registers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from omzien.audit import events
from omzien.lib.rooms import (
    algorithm_declarations,
    data_export_sections,
    processing_purposes,
    rooms,
)
from omzien.residents.models import Resident
from omzien.rights.models import OPEN_STATUSES, PrivacyRequest, RetentionRun

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
    """The latest retention runs with what each rule removed (counts only)."""
    return list(RetentionRun.objects.all()[:limit])


def open_request_count(user: Any) -> int:
    """How many AVG requests wait for a decision (for the officer's menu)."""
    return PrivacyRequest.objects.filter(status__in=OPEN_STATUSES).count()


def requests_of_resident(resident: Resident) -> QuerySet[PrivacyRequest]:
    """The resident's own requests, newest first."""
    return PrivacyRequest.objects.filter(resident=resident).order_by("-received_at", "-pk")


# --- The data export (AVG art. 15 and 20) ------------------------------------------------------------


def resident_record_export(resident: Resident) -> dict[str, Any]:
    """The resident's own record, consents and which organisations work with them (no staff names)."""
    return {
        "first_name": resident.first_name, "last_name": resident.last_name,
        "date_of_birth": resident.date_of_birth.isoformat() if resident.date_of_birth else None,
        "street": resident.street, "postcode": resident.postcode, "city": resident.city,
        "neighbourhood": resident.neighbourhood.name if resident.neighbourhood_id and resident.neighbourhood else "",
        "phone": resident.phone, "email": resident.email, "languages": list(resident.languages or []),
        "preferred_contact": resident.get_preferred_contact_display(),
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


def algorithm_rows() -> list[list[str]]:
    """The algorithm register as rows (header first), in the Algoritmeregister's field order, for CSV."""
    rows = [
        [
            "room",
            "key",
            "name",
            "description",
            "data",
            "human_oversight",
            "legal_basis",
            "risks",
            "source_url",
        ]
    ]
    for declaring, algorithm in algorithm_declarations():
        rows.append([
            declaring.label, algorithm.key, str(algorithm.name), str(algorithm.description), str(algorithm.data),
            str(algorithm.human_oversight), str(algorithm.legal_basis), str(algorithm.risks), algorithm.source_url,
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
