# SPDX-License-Identifier: EUPL-1.2
"""NEN 7513 access-log entries (fields as in security.md A2) and the heads of their hash chains.

Entries are only ever inserted. On PostgreSQL the application's role has no UPDATE or DELETE on the
table (migration 0002); on every database each entry carries SHA-256(previous hash ‖ canonical
entry), and ``omzien audit verify`` detects an altered, removed or reordered row.

The log is several chains side by side (``OMZIEN_AUDIT_CHAINS``, issue 26): a writer appends to whichever
chain no other transaction holds, so audited actions in different transactions do not wait for each other.
Each chain is linked and numbered on its own (``chain_position``, without gaps) and has its own head;
``sequence`` numbers every entry across the chains in the order they were written (from a database sequence
on PostgreSQL, so a rolled-back entry leaves a gap there that means nothing).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("create")
    READ = "read", _("read")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXECUTE = "execute", _("execute")
    LIST = "list", _("list")
    SEARCH = "search", _("search")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")
    LOGIN = "login", _("log in")
    LOGIN_FAILED = "login_failed", _("failed log-in")
    LOCKOUT = "lockout", _("lock-out")
    LOGOUT = "logout", _("log out")
    MFA_OK = "mfa_ok", _("second factor accepted")
    MFA_FAILED = "mfa_failed", _("second factor refused")
    MFA_CHANGE = "mfa_change", _("second factor changed")
    PASSWORD_CHANGE = "password_change", _("password changed")
    ROLE_CHANGE = "role_change", _("role changed")
    SESSION_REVOKED = "session_revoked", _("sessions ended")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    ERROR = "error", _("error")


class AccessLogEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.BigIntegerField(unique=True, editable=False)
    # Which chain the entry is linked into, and its place there (1, 2, 3, … without gaps).
    chain = models.PositiveSmallIntegerField(default=1, editable=False)
    chain_position = models.BigIntegerField(editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True)
    actor_user_id = models.UUIDField(null=True, db_index=True)
    actor_display = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=40)
    actor_organisation_id = models.UUIDField(null=True)
    actor_organisation_name = models.CharField(max_length=200)
    on_behalf_of_user_id = models.UUIDField(null=True)
    purpose = models.CharField(max_length=40)
    legal_basis_or_consent_id = models.CharField(max_length=80)
    subject_resident_pseudo_id = models.UUIDField(null=True, db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    fields = models.JSONField(default=list)
    # Old and new values of a privileged change (roles, organisation, superuser), never personal data.
    changes = models.JSONField(default=dict, blank=True)
    source_system = models.CharField(max_length=80)
    client_ip = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64)
    break_glass = models.BooleanField(default=False)
    break_glass_reason = models.CharField(max_length=300)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access-log entries")
        indexes = [models.Index(fields=["action", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "chain_position"], name="audit_entry_place_in_chain"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.outcome}"

    def changes_lines(self) -> list[str]:
        """The old and new values of a privileged change, one line each, for the auditor's view."""
        lines = []
        for name, change in (self.changes or {}).items():
            if isinstance(change, dict) and "old" in change:
                lines.append(
                    f"{name}: {change['old'] if change['old'] not in (None, '') else '—'} → {change['new']}"
                )
            else:
                lines.append(f"{name}: {change}")
        return lines


class AuditChainHead(models.Model):
    """One row per chain (its number is the key): the last entry's place, sequence and hash. Locked while
    appending, so each chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_position = models.BigIntegerField(default=0)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain {self.pk} at entry {self.last_position} (#{self.last_sequence})"


class AuditChainAnchor(models.Model):
    """One row per chain (its number is the key): where the kept part of that chain starts once expired
    entries left it (NEN 7513 retention).

    ``first_position`` is the oldest entry kept and ``prev_hash`` the hash of the last one removed; the chain
    verifies from here. The same two values stand, hashed, in the chain's ``retention`` entry that removed the
    prefix, so moving the anchor without such an entry, or altering it, is detected (``audit.integrity``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    first_position = models.BigIntegerField(default=1)
    prev_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain {self.pk} kept from entry {self.first_position}"
