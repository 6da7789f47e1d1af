# SPDX-License-Identifier: EUPL-1.2
"""Checking the access log's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.forms.models import model_to_dict

from omzien.audit.events import HASHED_FIELDS, OPTIONAL_HASHED_FIELDS, entry_hash
from omzien.audit.models import AccessLogEntry, AuditChainHead


@dataclass
class ChainReport:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def chain_verify(batch_size: int = 5000) -> ChainReport:
    """Return a report of every break in the chain: altered, removed, inserted or truncated rows."""
    problems: list[str] = []
    previous_hash, expected_sequence, checked = "0" * 64, 1, 0
    queryset = AccessLogEntry.objects.order_by("sequence")
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
