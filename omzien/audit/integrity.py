# SPDX-License-Identifier: EUPL-1.2
"""Checking the access log's hash chain, and letting entries past their retention period leave it.

Expiry (NEN 7513: at least five years) removes only a *prefix*: entries are appended in time order, so
"older than the period" is "sequence ≤ N" for one N. First the whole chain is verified; then a ``retention``
entry is appended *in the chain* naming N, the hash of entry N and the count removed (its hash covers them,
and every later entry's hash covers it); the anchor row takes N + 1 and that hash; entries 1..N are deleted —
all in one transaction. Verification starts at the anchor and checks it against the latest retention entry:
removing more than the anchor says shows as a missing entry, moving the anchor without a retention entry (or
altering that entry) breaks the comparison or the hashes of everything after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from omzien.audit.events import HASHED_FIELDS, OPTIONAL_HASHED_FIELDS, Actor, Subject, entry_hash, record
from omzien.audit.models import AccessLogEntry, Action, AuditChainAnchor, AuditChainHead

RETENTION_PURPOSE = "retention"
RETENTION_OBJECT = "access_log"


@dataclass
class ChainReport:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def _anchor() -> tuple[int, str]:
    anchor = AuditChainAnchor.objects.filter(pk=1).first()
    return (anchor.first_sequence, anchor.prev_hash) if anchor else (1, "0" * 64)


def _latest_retention() -> AccessLogEntry | None:
    return (
        AccessLogEntry.objects.filter(purpose=RETENTION_PURPOSE, object_type=RETENTION_OBJECT)
        .order_by("-sequence")
        .first()
    )


def chain_verify(batch_size: int = 5000) -> ChainReport:
    """Return a report of every break in the chain: altered, removed, inserted or truncated rows."""
    problems: list[str] = []
    first_sequence, previous_hash = _anchor()
    expected_sequence, checked = first_sequence, 0
    if first_sequence > 1:
        retention = _latest_retention()
        said = (retention.changes or {}) if retention else {}
        if said.get("kept_from") != first_sequence or said.get("prev_hash") != previous_hash:
            problems.append(
                f"the log is kept from #{first_sequence}, but no retention entry says so: entries were removed "
                "from the start without the retention procedure"
            )
    queryset = AccessLogEntry.objects.filter(sequence__gte=first_sequence).order_by("sequence")
    if AccessLogEntry.objects.filter(sequence__lt=first_sequence).exists():
        problems.append(f"entries before #{first_sequence} are still there although they left the chain")
    for entry in queryset.iterator(chunk_size=batch_size):
        values = model_to_dict(entry, fields=[*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS, "entry_hash"])
        values["id"], values["sequence"] = entry.id, entry.sequence
        if entry.sequence != expected_sequence:
            problems.append(f"entry #{expected_sequence} is missing (next found: #{entry.sequence})")
        if entry.prev_hash != previous_hash:
            problems.append(f"entry #{entry.sequence}: does not link to the entry before it")
        if entry_hash(values) != entry.entry_hash:
            problems.append(f"entry #{entry.sequence}: its content was changed after it was written")
        previous_hash, expected_sequence = entry.entry_hash, entry.sequence + 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence != expected_sequence - 1 or head.last_hash != previous_hash):
        problems.append(
            f"the log ends at #{expected_sequence - 1} but the chain head says #{head.last_sequence}: "
            "entries were removed from the end"
        )
    return ChainReport(checked=checked, problems=problems)


@dataclass(frozen=True)
class ExpiryReport:
    removed: int
    kept_from: int


class ChainBrokenError(RuntimeError):
    """The chain does not verify: nothing is removed until it is investigated."""


def chain_expire(*, before: datetime, dry_run: bool = False) -> ExpiryReport:
    """Let the entries older than ``before`` leave the chain (see the module docstring); return what went.

    Needs DELETE on the access log: on PostgreSQL the application's role lacks it on purpose (migration
    0002), so the municipality's maintenance role runs ``omzien audit expire``.
    """
    report = chain_verify()
    if not report.intact:
        raise ChainBrokenError("; ".join(report.problems[:5]))
    first_sequence, _hash = _anchor()
    first_young = (
        AccessLogEntry.objects.filter(sequence__gte=first_sequence, occurred_at__gte=before)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    head = AuditChainHead.objects.get(pk=1)
    # Everything up to the first entry young enough to keep (a late commit's older timestamp waits its turn).
    last_expired = (first_young - 1) if first_young is not None else head.last_sequence
    count = max(0, last_expired - first_sequence + 1)
    if dry_run or count == 0:
        return ExpiryReport(removed=count if dry_run else 0, kept_from=first_sequence)
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get(pk=1)  # no entry is appended meanwhile
        last = AccessLogEntry.objects.get(sequence=last_expired)
        changes: dict[str, Any] = {"kept_from": last_expired + 1, "prev_hash": last.entry_hash, "removed": count,
                                   "before": before.isoformat()}  # fmt: skip
        entries = record(
            action=Action.DELETE, purpose=RETENTION_PURPOSE,
            actor=Actor(display="system", role="system", channel="command"),
            subjects=[Subject(object_type=RETENTION_OBJECT, object_id=f"#{first_sequence}-#{last_expired}",
                              changes=changes)],
        )  # fmt: skip
        assert entries and entries[0].sequence > last_expired
        AuditChainAnchor.objects.update_or_create(
            pk=1, defaults={"first_sequence": last_expired + 1, "prev_hash": last.entry_hash}
        )
        AccessLogEntry.objects.filter(sequence__lte=last_expired).delete()
    return ExpiryReport(removed=count, kept_from=last_expired + 1)
