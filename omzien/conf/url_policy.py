# SPDX-License-Identifier: EUPL-1.2
"""Who may reach each URL pattern: the one policy table the URL walker test checks.

Every room declares the rows of its URLs in its ``room.py`` (``Room.url_policy``); this module
collects them. Every named URL pattern must have an entry, found by its full name ('admin:index')
or by its namespace ('admin:*'). A new URL without an entry fails the suite (the 18F/tock idea). An
entry names the roles that may use it (or PUBLIC), the HTTP method the walker uses, the status an
allowed visitor gets, and sample arguments that name real objects in the walker's world.
``EVERY_ROLE`` and ``WITH_RESIDENTS`` are expanded here into the roles the rooms declare, so a role
a room adds reaches those pages without a change elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from omzien.lib.rooms import (
    ANONYMOUS,
    EVERY_ROLE,
    EVERY_ROLE_MARK,
    PUBLIC,
    WITH_RESIDENTS,
    WITH_RESIDENTS_MARK,
    UrlRule,
    collector,
    rooms,
)

__all__ = [
    "ANONYMOUS", "EVERY_ROLE", "PUBLIC", "WITH_RESIDENTS", "UrlRule", "policy", "rule_for",
]  # fmt: skip


def _roles() -> tuple[str, ...]:
    from omzien.accounts.roles import role_decls

    return tuple(role_decls())


def _expand(allowed: frozenset[str]) -> frozenset[str]:
    from omzien.accounts.roles import role_decls

    values = {str(value) for value in allowed}
    if EVERY_ROLE_MARK in values:
        values |= set(role_decls())
    if WITH_RESIDENTS_MARK in values:
        values |= {value for value, decl in role_decls().items() if decl.sees_residents}
    return frozenset(values - {EVERY_ROLE_MARK, WITH_RESIDENTS_MARK})


@collector
def policy() -> dict[str, UrlRule]:
    """The URL policy table: every room's rows, with the pseudo-roles expanded into role values."""
    table: dict[str, UrlRule] = {}
    for room in rooms():
        for name, rule in room.url_policy.items():
            if name in table:
                raise ValueError(f"URL {name!r} has a policy row in two rooms (second: {room.label})")
            table[name] = replace(rule, allowed=_expand(rule.allowed))
    return table


def __getattr__(name: str) -> Any:
    # POLICY and ROLES were constants before the rooms declared their own rows and roles.
    if name == "POLICY":
        return policy()
    if name == "ROLES":
        return _roles()
    raise AttributeError(name)


def rule_for(name: str) -> UrlRule | None:
    """Return the policy entry for a URL name, exact match first, then its namespace wildcard."""
    table = policy()
    if name in table:
        return table[name]
    if ":" in name:
        return table.get(name.split(":", 1)[0] + ":*")
    return None
