# SPDX-License-Identifier: EUPL-1.2
"""The one way to write the access log (saleor-style ``events.py``).

``record(...)`` writes entries in the caller's transaction, so an entry exists exactly when its
action does. ``record_denied(...)`` must survive the rollback of the transaction that failed: when
called inside an atomic block it is parked and written as soon as the outermost block has ended
(``flush_pending``, called by ``AuditMiddleware`` and by ``audit_scope`` for commands and tasks).
Nothing personal is written: only pseudonymous ids, object ids and field *names*.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from omzien.audit.models import AccessLogEntry, Action, AuditChainHead, Outcome
from omzien.lib.access import role_of
from omzien.lib.client import client_address, normalised_address
from omzien.lib.request_context import current_request_id


@dataclass(frozen=True)
class Actor:
    """Who acts: taken from the request's user (or a command's), with the context of the channel."""

    user_id: uuid.UUID | None = None
    display: str = ""
    role: str = ""
    organisation_id: uuid.UUID | None = None
    organisation_name: str = ""
    client_ip: str | None = None
    channel: str = "web"
    on_behalf_of_user_id: uuid.UUID | None = None


@dataclass
class Subject:
    """What is touched: a resident's pseudonymous id and/or an object, with the field names read."""

    resident_pseudo_id: uuid.UUID | None = None
    object_type: str = ""
    object_id: str = ""
    fields: Sequence[str] = field(default_factory=list)
    # {"field": {"old": ..., "new": ...}} for privileged changes to an account (no personal data).
    changes: dict[str, Any] = field(default_factory=dict)


def resident_subject(
    resident: Any, object_type: str, object_id: object, fields: Sequence[str] = ()
) -> Subject:
    """The subject for something about one resident: their pseudonymous id, the object and the field names."""
    return Subject(
        resident_pseudo_id=resident.pseudo_id,
        object_type=object_type,
        object_id=str(object_id),
        fields=fields,
    )


_pending: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_pending", default=None)

HASHED_FIELDS = (
    "id", "sequence", "occurred_at", "action", "outcome", "http_status", "actor_user_id", "actor_display",
    "actor_role", "actor_organisation_id", "actor_organisation_name", "on_behalf_of_user_id", "purpose",
    "legal_basis_or_consent_id", "subject_resident_pseudo_id", "object_type", "object_id", "fields",
    "source_system", "client_ip", "request_id", "break_glass", "break_glass_reason", "prev_hash",
)  # fmt: skip
# Hashed only when present, so the entries written before the field existed still verify.
OPTIONAL_HASHED_FIELDS = ("changes",)


def actor_for_user(user: Any, *, client_ip: str | None = None, channel: str = "web") -> Actor:
    """Return the Actor for a Django user (anonymous allowed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(display="anonymous", role="anonymous", client_ip=client_ip, channel=channel)
    role = role_of(user)
    organisation = getattr(user, "organisation", None)
    return Actor(
        user_id=user.public_id,
        display=user.get_username(),
        role=role.value if role else "",
        organisation_id=organisation.public_id if organisation else None,
        organisation_name=organisation.name if organisation else "",
        client_ip=client_ip,
        channel=channel,
    )


def actor_for_request(request: Any) -> Actor:
    """Return the Actor for the request's user, with the client address."""
    return actor_for_user(getattr(request, "user", None), client_ip=client_ip_for(request))


def actor_for_current_request() -> Actor:
    """The Actor of the request being handled (for signal handlers), or "system" outside a request."""
    from omzien.lib.request_context import current_request

    request = current_request.get()
    return actor_for_request(request) if request is not None else Actor(display="system", role="system")


def client_ip_for(request: Any) -> str | None:
    """Return the client's address as the trusted proxy saw it (``omzien.lib.client``)."""
    return client_address(request)


def canonical(values: dict[str, Any]) -> str:
    """Return the canonical JSON of an entry's hashed fields (stable across databases)."""

    def normal(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    hashed = {name: normal(values[name]) for name in HASHED_FIELDS}
    hashed |= {name: values[name] for name in OPTIONAL_HASHED_FIELDS if values.get(name)}
    return json.dumps(hashed, sort_keys=True, separators=(",", ":"))


def entry_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256((values["prev_hash"] + canonical(values)).encode()).hexdigest()


def _entry_values(
    *,
    action: str,
    outcome: str,
    actor: Actor,
    subject: Subject,
    purpose: str,
    legal_basis: str,
    http_status: int | None,
    break_glass_reason: str,
    occurred_at: datetime,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "occurred_at": occurred_at,
        "action": action,
        "outcome": outcome,
        "http_status": http_status,
        "actor_user_id": actor.user_id,
        "actor_display": actor.display[:150],
        "actor_role": actor.role,
        "actor_organisation_id": actor.organisation_id,
        "actor_organisation_name": actor.organisation_name,
        "on_behalf_of_user_id": actor.on_behalf_of_user_id,
        "purpose": purpose,
        "legal_basis_or_consent_id": legal_basis,
        "subject_resident_pseudo_id": subject.resident_pseudo_id,
        "object_type": subject.object_type,
        "object_id": str(subject.object_id)[:64],
        "fields": sorted(subject.fields),
        "changes": subject.changes,
        "source_system": f"{settings.OMZIEN_INSTANCE_ID}/{actor.channel}",
        "client_ip": normalised_address(actor.client_ip),
        "request_id": current_request_id.get() if current_request_id.get() != "-" else "",
        "break_glass": bool(break_glass_reason),
        "break_glass_reason": break_glass_reason[:300],
    }


def chains_configured() -> int:
    """How many chains writers spread over: ``OMZIEN_AUDIT_CHAINS`` on PostgreSQL; one on SQLite, which lets
    one writer in at a time anyway."""
    return max(1, int(settings.OMZIEN_AUDIT_CHAINS)) if connection.vendor == "postgresql" else 1


def _head_for_append(chain: int | None) -> AuditChainHead:
    """Lock and return the head of a chain to append to: ``chain`` if given, else the first one no other
    transaction holds (a head this transaction already holds counts as free, so it keeps appending there).

    Only when every chain is held does the writer wait, for one chosen at random, holding no other head
    meanwhile: heads are never waited for while one is held, so two writers cannot deadlock on them.
    """
    heads = AuditChainHead.objects.select_for_update(skip_locked=chain is None)
    if chain is not None:
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=chain)], ignore_conflicts=True)
        return heads.get(pk=chain)
    count = chains_configured()
    head = heads.filter(pk__lte=count).order_by("pk").first()
    if head is not None:
        return head
    missing = set(range(1, count + 1)) - set(AuditChainHead.objects.values_list("pk", flat=True))
    if missing:  # chains are made when first needed (or when OMZIEN_AUDIT_CHAINS grew)
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=pk) for pk in sorted(missing)], ignore_conflicts=True
        )
        head = heads.filter(pk__in=missing).order_by("pk").first()
        if head is not None:
            return head
    return AuditChainHead.objects.select_for_update().get(pk=random.randint(1, count))  # noqa: S311 - spreading, not security


def _next_sequences(head: AuditChainHead, count: int) -> list[int]:
    """Numbers across all chains, in the order entries are written: PostgreSQL's ``audit_entry_sequence`` (no
    writer waits for another; a rollback leaves a gap), else one more than the highest so far."""
    if connection.vendor != "postgresql":  # one writer at a time: the highest of every chain, plus one
        last = max(head.last_sequence, *AuditChainHead.objects.values_list("last_sequence", flat=True))
        return list(range(last + 1, last + 1 + count))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('audit_entry_sequence') FROM generate_series(1, %s)", [count])
        return [row[0] for row in cursor.fetchall()]


def _append(rows: list[dict[str, Any]], *, chain: int | None = None) -> list[dict[str, Any]]:
    """Chain and insert the rows into one chain whose head this transaction locks until it ends; return them
    with their chain, place, sequence and hashes."""
    if not rows:
        return []
    # No savepoint of its own: an entry that cannot be written fails the caller's whole action (and two
    # round trips fewer for every audited action).
    with transaction.atomic(savepoint=False):
        head = _head_for_append(chain)
        position, last_hash = head.last_position, head.last_hash
        sequences = _next_sequences(head, len(rows))
        for values, sequence in zip(rows, sequences, strict=True):
            position += 1
            values["chain"], values["chain_position"], values["sequence"] = head.pk, position, sequence
            values["prev_hash"] = last_hash
            values["entry_hash"] = last_hash = entry_hash(values)
        _insert(rows)
        head.last_position, head.last_sequence, head.last_hash = position, sequences[-1], last_hash
        head.save(update_fields=["last_position", "last_sequence", "last_hash"])
    return rows


def _insert(rows: list[dict[str, Any]]) -> None:
    """One prepared INSERT run for every row (``executemany``), with each value made ready for the database
    by its model field exactly as ``bulk_create`` would, but without a model instance per row and without
    the query compiler: for a list of a few hundred people that was most of the page's time (issue #16)."""
    statement, columns = _insert_statement(connection.vendor)
    prepared: dict[tuple[str, Any], Any] = {}  # one action's entries share their time, actor and address
    ready = []
    for values in rows:
        row = []
        for name, prepare, shared in columns:
            value = values[name]
            if prepare is not None and value is not None:
                if shared:
                    key = (name, value)
                    if key not in prepared:
                        prepared[key] = prepare(value, connection)
                    value = prepared[key]
                else:
                    value = prepare(value, connection)
            row.append(value)
        ready.append(tuple(row))
    with connection.cursor() as cursor:
        cursor.executemany(statement, ready)


_Prepare = Callable[[Any, Any], Any]
# Fields whose Python value is already what the database is given (``get_db_prep_save`` returns it as is).
_AS_IS = (models.CharField, models.IntegerField, models.BooleanField)


@functools.cache
def _insert_statement(vendor: str) -> tuple[str, list[tuple[str, _Prepare | None, bool]]]:
    """The INSERT of every column of the access log, and per column the field's name, its preparation (``None``
    where the value goes in as it is) and whether its value is usually the same for all of an action's rows
    (prepared once per action then)."""
    quote = connection.ops.quote_name
    fields = AccessLogEntry._meta.concrete_fields
    columns = [
        (f.attname, _preparation(f), isinstance(f, models.DateTimeField | models.GenericIPAddressField))
        for f in fields
    ]
    table, names = quote(str(AccessLogEntry._meta.db_table)), ", ".join(quote(str(f.column)) for f in fields)
    statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - the model's own columns
    return statement, columns


def _preparation(field: Any) -> _Prepare | None:
    if isinstance(field, _AS_IS):
        return None
    prepare: _Prepare = field.get_db_prep_save
    if isinstance(field, models.UUIDField):  # what UUIDField.get_db_prep_value gives, without its checks
        if connection.features.has_native_uuid_field:
            return lambda value, using: value if type(value) is uuid.UUID else prepare(value, using)
        return lambda value, using: value.hex if type(value) is uuid.UUID else prepare(value, using)
    return prepare


def record(
    *,
    action: str,
    actor: Actor,
    subjects: Iterable[Subject],
    purpose: str,
    outcome: str = Outcome.SUCCESS,
    legal_basis: str = "",
    http_status: int | None = None,
    break_glass_reason: str = "",
) -> list[dict[str, Any]]:
    """Write one entry per subject, in the caller's transaction; return the entries' values as written."""
    now = timezone.now()
    rows = [
        _entry_values(
            action=action, outcome=outcome, actor=actor, subject=subject, purpose=purpose,
            legal_basis=legal_basis, http_status=http_status, break_glass_reason=break_glass_reason,
            occurred_at=now,
        )
        for subject in subjects
    ]  # fmt: skip
    return _append(rows)


def record_viewed(*, actor: Actor, subject: Subject, purpose: str, legal_basis: str = "") -> None:
    """Write that a person's record (or part of it) was shown."""
    record(action=Action.READ, actor=actor, subjects=[subject], purpose=purpose, legal_basis=legal_basis)


def record_listed(
    *,
    actor: Actor,
    shown: Iterable[Any],
    fields: Sequence[str],
    purpose: str,
    object_type: str = "resident",
    action: str = Action.LIST,
) -> None:
    """Write that these people were shown in a list (or search results): one entry each, none for none.

    The one way to log a list (issue #14): each item is a resident, or a record about a person
    without one (a self-test contact request), named by its pseudonymous id if it has one and by its
    public id (else its key); a room whose items name their resident otherwise passes ready
    ``Subject``s. Only the field *names* the page shows are written.
    """
    subjects = [
        item
        if isinstance(item, Subject)
        else Subject(
            resident_pseudo_id=getattr(item, "pseudo_id", None),
            object_type=object_type,
            object_id=str(getattr(item, "public_id", None) or item.pk),
            fields=fields,
        )
        for item in shown
    ]
    if subjects:
        record(action=action, actor=actor, subjects=subjects, purpose=purpose)


def record_denied(
    *, action: str, actor: Actor, subject: Subject, purpose: str, http_status: int = 404
) -> None:
    """Write a refused attempt so that no rollback can erase it (see the module docstring)."""
    values = _entry_values(
        action=action, outcome=Outcome.DENIED, actor=actor, subject=subject, purpose=purpose, legal_basis="",
        http_status=http_status, break_glass_reason="", occurred_at=timezone.now(),
    )  # fmt: skip
    if not connection.in_atomic_block:
        _append([values])
        return
    pending = _pending.get()
    if pending is None:
        # Outside a request or an audit_scope nobody would flush it later: refuse to lose it.
        raise RuntimeError("record_denied inside a transaction needs an audit_scope() or AuditMiddleware")
    pending.append(values)


def flush_pending() -> int:
    """Write the parked denied entries (call only outside any transaction); return how many."""
    pending = _pending.get()
    if not pending:
        return 0
    rows, pending[:] = list(pending), []
    _append(rows)
    return len(rows)


@contextmanager
def audit_scope() -> Iterator[None]:
    """Collect denied entries made inside transactions and write them when the scope ends."""
    token = _pending.set([])
    try:
        yield
    finally:
        try:
            flush_pending()
        finally:
            _pending.reset(token)


class AuditMiddleware:
    """Opens an audit scope around each request, so denied entries outlive a failed transaction."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with audit_scope():
            return self.get_response(request)
