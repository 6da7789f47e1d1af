# SPDX-License-Identifier: EUPL-1.2
"""Reading and writing policy values: typed by the declaration's kind, cached per process.

The cache holds every value after one query. Saving a value clears it in the process that saved (a
signal on the model); other processes (web workers, the task worker) read the new value within
``CACHE_SECONDS``. A key without a row (a fresh test database, a flushed table) reads as its default.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from omzien.lib.rooms import PolicyDecl, rooms

CACHE_SECONDS = 60
KINDS = ("int", "decimal", "duration_hours", "duration_days", "text", "json")

_lock = threading.Lock()
_values: dict[str, Any] | None = None
_loaded_at = 0.0


@cache
def declarations() -> dict[str, PolicyDecl]:
    """Return every declared policy by key: the rooms' ``policies`` and their retention periods."""
    found: dict[str, PolicyDecl] = {}
    for room in rooms():
        decls = list(room.policies) + [
            # A retention period's explanation is its legal basis (the rule's ``basis``).
            PolicyDecl(key=rule.policy_key, label=rule.description, kind="duration_days", default=rule.default,
                       help_text=rule.basis)  # fmt: skip
            for rule in room.retention
        ]
        for decl in decls:
            if decl.kind not in KINDS:
                raise ValueError(f"policy {decl.key} of room {room.label}: unknown kind {decl.kind!r}")
            if decl.key in found:
                raise ValueError(f"policy {decl.key} is declared twice (room {room.label})")
            found[decl.key] = decl
    return found


def declaration(key: str) -> PolicyDecl | None:
    """Return the declaration of ``key``, or None when no installed room declares it."""
    return declarations().get(key)


def to_json(kind: str, value: Any) -> Any:
    """The stored form of a typed value (raises ValueError when it does not fit the kind)."""
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("expected a whole number")
        return value
    if kind == "decimal":
        try:
            return str(Decimal(str(value)))
        except InvalidOperation as error:
            raise ValueError("expected a number") from error
    if kind in ("duration_hours", "duration_days"):
        if not isinstance(value, timedelta):
            raise ValueError("expected a duration")
        unit = 3600 if kind == "duration_hours" else 86400
        amount = value.total_seconds() / unit
        return int(amount) if amount == int(amount) else amount
    if kind == "text":
        return str(value)
    return value


def from_json(kind: str, stored: Any) -> Any:
    """The typed value of a stored one."""
    if kind == "int":
        return int(stored)
    if kind == "decimal":
        return Decimal(str(stored))
    if kind == "duration_hours":
        return timedelta(hours=stored)
    if kind == "duration_days":
        return timedelta(days=stored)
    if kind == "text":
        return str(stored)
    return stored


def clear_cache() -> None:
    """Forget the cached values (after a save, and between tests)."""
    global _values
    with _lock:
        _values = None


def _load() -> dict[str, Any]:
    global _values, _loaded_at
    with _lock:
        if _values is not None and time.monotonic() - _loaded_at < CACHE_SECONDS:
            return _values
    from omzien.policy.models import Policy

    values = dict(Policy.objects.values_list("key", "value"))
    with _lock:
        _values, _loaded_at = values, time.monotonic()
    return values


def get(key: str) -> Any:
    """Return the current value of policy ``key``, typed by its kind (KeyError if nobody declares it)."""
    decl = declaration(key)
    if decl is None:
        raise KeyError(f"no installed room declares the policy {key!r}")
    values = _load()
    if key not in values:
        return decl.default
    try:
        return from_json(decl.kind, values[key])
    except (TypeError, ValueError, InvalidOperation):
        # A value that no longer fits its kind (changed by hand in the database) must not break pages.
        return decl.default


def set_value(key: str, value: Any, *, acting_user: Any = None, reason: str = "") -> None:
    """Store a new value for ``key`` (typed as ``get`` returns it); the history records who and why."""
    from omzien.policy.models import Policy

    decl = declaration(key)
    if decl is None:
        raise KeyError(f"no installed room declares the policy {key!r}")
    row = Policy.objects.filter(key=key).first() or Policy(key=key)
    row.value = to_json(decl.kind, value)
    row._history_user = acting_user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.save()


def sync(using: str = "default") -> int:
    """Create a row with the default for every declared key that has none; return how many."""
    from omzien.policy.models import Policy

    existing = set(Policy.objects.using(using).values_list("key", flat=True))
    created = 0
    for key, decl in declarations().items():
        if key not in existing:
            row = Policy(key=key, value=to_json(decl.kind, decl.default))
            row._change_reason = "default"  # type: ignore[attr-defined]
            row.save(using=using)
            created += 1
    return created
