# SPDX-License-Identifier: EUPL-1.2
"""Checking the access log's hash chains, and letting entries past their retention period leave them.

The log is several chains side by side (``audit.models``); each is checked on its own: its entries are
numbered 1, 2, 3, … without gaps (``chain_position``), each links to the hash of the one before it and hashes
its own content, and the chain's head names its last entry. So an altered entry, a removed one (anywhere: the
middle, the start, the end), an inserted or a reordered one, or one moved to another chain is reported.

Expiry (NEN 7513: at least five years) removes only a *prefix* of each chain: entries are appended in time
order, so "older than the period" is "position ≤ N" for one N per chain. First every chain is verified; then a
``retention`` entry is appended *in that chain* naming N + 1, the hash of entry N and the count removed (its
hash covers them, and every later entry's hash covers it); the chain's anchor row takes N + 1 and that hash;
entries 1..N are deleted — all in one transaction. Verification starts at the anchor and checks it against
the chain's latest retention entry: removing more than the anchor says shows as a missing entry, moving the
anchor without a retention entry (or altering that entry) breaks the comparison or the hashes of everything
after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from omzien.audit.events import (
    HASHED_FIELDS,
    OPTIONAL_HASHED_FIELDS,
    Actor,
    Subject,
    _append,
    _entry_values,
    entry_hash,
)
from omzien.audit.models import AccessLogEntry, Action, AuditChainAnchor, AuditChainHead, Outcome

RETENTION_PURPOSE = "retention"
RETENTION_OBJECT = "access_log"
SEAL_PURPOSE = "chain_seal"


@dataclass
class ChainReport:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def _anchors() -> dict[int, tuple[int, str]]:
    return {a.pk: (a.first_position, a.prev_hash) for a in AuditChainAnchor.objects.all()}


def _latest_retention(chain: int) -> AccessLogEntry | None:
    return (
        AccessLogEntry.objects.filter(chain=chain, purpose=RETENTION_PURPOSE, object_type=RETENTION_OBJECT)
        .order_by("-chain_position")
        .first()
    )


def _chains(anchors: dict[int, tuple[int, str]], heads: dict[int, AuditChainHead]) -> list[int]:
    """Every chain that has a head, an anchor or an entry (an entry without its head is reported)."""
    written = AccessLogEntry.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(anchors) | set(heads) | set(written))


def chain_verify(batch_size: int = 5000) -> ChainReport:
    """Return a report of every break in the chains: altered, removed, inserted or truncated rows."""
    problems: list[str] = []
    checked = 0
    anchors = _anchors()
    heads = {head.pk: head for head in AuditChainHead.objects.all()}
    many = len(_chains(anchors, heads)) > 1
    for chain in _chains(anchors, heads):
        found, chain_checked = _chain_verify(chain, anchors, heads.get(chain), batch_size)
        problems += [f"chain {chain}: {problem}" if many else problem for problem in found]
        checked += chain_checked
    problems += _seal_verify(anchors)
    return ChainReport(checked=checked, problems=problems)


def _latest_seal() -> AccessLogEntry | None:
    return AccessLogEntry.objects.filter(chain=1, purpose=SEAL_PURPOSE).order_by("-chain_position").first()


def _seal_verify(anchors: dict[int, tuple[int, str]]) -> list[str]:
    """The latest seal names every chain's last entry at its time: each must still be there, unaltered (or
    have left by the retention procedure). The hashes link every earlier entry of the chain to it, so no
    chain can lose entries written before the seal, not even all of them with its head."""
    seal = _latest_seal()
    if seal is None:
        return []
    problems = []
    for chain, (position, hashed) in sorted((seal.changes or {}).get("heads", {}).items()):
        if position == 0 or position < anchors.get(int(chain), (1, ""))[0]:
            continue  # empty then, or left since by the retention procedure
        found = AccessLogEntry.objects.filter(chain=int(chain), chain_position=position).values_list(
            "entry_hash", flat=True
        )
        if list(found) != [hashed]:
            problems.append(
                f"chain {chain}: entry {position}, named by the seal #{seal.sequence} of "
                f"{seal.occurred_at:%Y-%m-%d %H:%M}, is missing or altered: entries were removed"
            )
    return problems


def chains_seal() -> int:
    """Append a seal to chain 1 naming every chain's last entry, when more than one chain is written and any
    moved since the last seal (``omzien tick``, each minute); return 1 if one was written, else 0."""
    heads = {str(h.pk): [h.last_position, h.last_hash] for h in AuditChainHead.objects.order_by("pk")}
    if len(heads) < 2:  # one chain: its head says where it ends, as before
        return 0
    seal = _latest_seal()
    if seal is not None:
        said = (seal.changes or {}).get("heads", {})
        moved = {c for c, place in heads.items() if c != "1" and said.get(c) != place}
        if not moved and heads["1"][0] == seal.chain_position:
            return 0
    values = _entry_values(
        action=Action.EXECUTE, outcome=Outcome.SUCCESS, purpose=SEAL_PURPOSE, legal_basis="", http_status=None,
        actor=Actor(display="system", role="system", channel="command"), break_glass_reason="",
        subject=Subject(object_type=RETENTION_OBJECT, object_id="seal", changes={"heads": heads}),
        occurred_at=timezone.now(),
    )  # fmt: skip
    with transaction.atomic():
        _append([values], chain=1)
    return 1


def _chain_verify(
    chain: int, anchors: dict[int, tuple[int, str]], head: AuditChainHead | None, batch_size: int
) -> tuple[list[str], int]:
    problems: list[str] = []
    first_position, previous_hash = anchors.get(chain, (1, "0" * 64))
    expected, checked, last_sequence = first_position, 0, 0
    if first_position > 1:
        retention = _latest_retention(chain)
        said = (retention.changes or {}) if retention else {}
        if said.get("kept_from") != first_position or said.get("prev_hash") != previous_hash:
            problems.append(
                f"the log is kept from entry {first_position}, but no retention entry says so: entries were "
                "removed from the start without the retention procedure"
            )
    entries = AccessLogEntry.objects.filter(chain=chain)
    if entries.filter(chain_position__lt=first_position).exists():
        problems.append(f"entries before entry {first_position} are still there although they left the chain")
    for entry in (
        entries.filter(chain_position__gte=first_position)
        .order_by("chain_position")
        .iterator(chunk_size=batch_size)
    ):
        values = model_to_dict(entry, fields=[*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS, "entry_hash"])
        values["id"], values["sequence"] = entry.id, entry.sequence
        if entry.chain_position != expected:
            problems.append(
                f"entry {expected} is missing (next found: entry {entry.chain_position}, #{entry.sequence})"
            )
        elif entry.prev_hash != previous_hash:
            problems.append(f"entry #{entry.sequence}: does not link to the entry before it")
        if entry_hash(values) != entry.entry_hash:
            problems.append(f"entry #{entry.sequence}: its content was changed after it was written")
        if entry.sequence <= last_sequence:
            problems.append(f"entry #{entry.sequence}: numbered before the entry it follows")
        previous_hash, expected, last_sequence = entry.entry_hash, entry.chain_position + 1, entry.sequence
        checked += 1
    if head is None and checked:
        problems.append("the chain has no head: its end cannot be checked (the head was removed)")
    elif head is not None and (head.last_position != expected - 1 or head.last_hash != previous_hash):
        problems.append(
            f"the log ends at entry {expected - 1} but the chain head says entry {head.last_position}: "
            "entries were removed from the end"
        )
    return problems, checked


@dataclass(frozen=True)
class ExpiryReport:
    removed: int
    kept_from: dict[int, int]  # chain → the first entry kept


class ChainBrokenError(RuntimeError):
    """The chain does not verify: nothing is removed until it is investigated."""


def chain_expire(*, before: datetime, dry_run: bool = False) -> ExpiryReport:
    """Let the entries older than ``before`` leave each chain (see the module docstring); return what went.

    Needs DELETE on the access log: on PostgreSQL the application's role lacks it on purpose (migration
    0002), so the municipality's maintenance role runs ``omzien audit expire``.
    """
    report = chain_verify()
    if not report.intact:
        raise ChainBrokenError("; ".join(report.problems[:5]))
    anchors = _anchors()
    removed, kept_from = 0, {}
    for head in AuditChainHead.objects.filter(last_position__gt=0).order_by("pk"):  # an empty chain keeps all
        count, kept_from[head.pk] = _chain_expire(
            head, anchors.get(head.pk, (1, "0" * 64))[0], before, dry_run
        )
        removed += count
    return ExpiryReport(removed=removed, kept_from=kept_from)


def _chain_expire(
    head: AuditChainHead, first_position: int, before: datetime, dry_run: bool
) -> tuple[int, int]:
    entries = AccessLogEntry.objects.filter(chain=head.pk)
    first_young = (
        entries.filter(chain_position__gte=first_position, occurred_at__gte=before)
        .order_by("chain_position")
        .values_list("chain_position", flat=True)
        .first()
    )
    # Everything up to the first entry young enough to keep (a late commit's older timestamp waits its turn).
    last_expired = (first_young - 1) if first_young is not None else head.last_position
    count = max(0, last_expired - first_position + 1)
    if dry_run or count == 0:
        return (count if dry_run else 0), first_position
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get(pk=head.pk)  # no entry is appended to it meanwhile
        last = entries.get(chain_position=last_expired)
        changes: dict[str, Any] = {"kept_from": last_expired + 1, "prev_hash": last.entry_hash, "removed": count,
                                   "before": before.isoformat()}  # fmt: skip
        written = _append(
            [_retention_values(changes, f"{head.pk}:{first_position}-{last_expired}")], chain=head.pk
        )
        assert written[0]["chain_position"] > last_expired
        AuditChainAnchor.objects.update_or_create(
            pk=head.pk, defaults={"first_position": last_expired + 1, "prev_hash": last.entry_hash}
        )
        entries.filter(chain_position__lte=last_expired).delete()
    return count, last_expired + 1


def _retention_values(changes: dict[str, Any], object_id: str) -> dict[str, Any]:
    return _entry_values(
        action=Action.DELETE, outcome=Outcome.SUCCESS, purpose=RETENTION_PURPOSE, legal_basis="", http_status=None,
        actor=Actor(display="system", role="system", channel="command"), break_glass_reason="",
        subject=Subject(object_type=RETENTION_OBJECT, object_id=object_id, changes=changes),
        occurred_at=timezone.now(),
    )  # fmt: skip
