# SPDX-License-Identifier: EUPL-1.2
"""The erasure journal: every deleted resident's pseudonymous id, appended once the deletion commits.

A backup made before an erasure still holds the person. ``omzien restore`` reads this journal and
erases again everyone in it, so a restore never brings an erased resident back. It must therefore
live outside the database (a lost database takes its own records with it), on storage every machine
that erases shares, and be copied wherever backups go. It holds only the pseudonymous id and a time:
the same id the access log keeps, which after the erasure names nobody except inside older backups.

The line is written after the commit (``on_commit``): a journal line for a deletion that was rolled
back would erase a living resident at the next restore. A machine that dies in the instant between
the commit and the write loses that one line (docs/deployment.md says how to find such an erasure in
the access log, where it is a ``delete`` entry with the same pseudonymous id).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone

from omzien.residents.models import Resident


def journal_path() -> Path | None:
    configured = getattr(settings, "OMZIEN_ERASURE_JOURNAL", "")
    return Path(configured) if configured else None


def journal_append(pseudo_id: str) -> None:
    """Append one line and force it to disk (the erasure is already committed)."""
    path = journal_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"pseudo_id": pseudo_id, "erased_at": timezone.now().isoformat()}) + "\n"
    # O_APPEND: lines from several processes never interleave (one write() of a short line).
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def journal_read(paths: Iterable[Path]) -> list[str]:
    """Return the pseudonymous ids in the journals, in order, without repeats; a torn last line is skipped."""
    seen: dict[str, None] = {}
    for path in paths:
        if not path.exists():
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            try:
                pseudo_id = str(json.loads(raw)["pseudo_id"])
            except (ValueError, KeyError, TypeError):
                continue
            seen.setdefault(pseudo_id, None)
    return list(seen)


def _resident_deleted(sender: Any, instance: Resident, **kwargs: Any) -> None:
    pseudo_id = str(instance.pseudo_id)
    transaction.on_commit(lambda: journal_append(pseudo_id), using=kwargs.get("using"))


def connect() -> None:
    post_delete.connect(_resident_deleted, sender=Resident, dispatch_uid="operations.erasure_journal")
