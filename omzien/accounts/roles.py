# SPDX-License-Identifier: EUPL-1.2
"""The roles: the nine of the accounts room and those other rooms add. A role is a Django Group.

Every room declares its roles (``RoleDecl``) and the permissions it grants to each role in its
``room.py``; this module collects them (``role_decls``, ``role_permissions``), and the groups are
created and re-synced after every migrate. Code asks ``user_role(user)`` and checks permissions; it
never compares role strings in scattered places. Which role may reach which URL is in
``omzien.conf.url_policy``; which residents a role sees is in ``omzien.residents.permissions``.

An account may hold more than one role (a resident who volunteers): the role in use is chosen per
session (``ROLE_SESSION_KEY``) and ``user_role`` answers with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import RoleDecl, collector, rooms

# Where the session keeps the role in use of an account with more than one role.
ROLE_SESSION_KEY = "omzien_role"


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    VOLUNTEER = "volunteer", _("volunteer")
    MEAL_HOST = "meal_host", _("meal host")
    NEIGHBOURHOOD_PROFESSIONAL = "neighbourhood_professional", _("neighbourhood team professional")
    COORDINATOR = "coordinator", _("coordinator")
    ACTIVITY_PROVIDER = "activity_provider", _("activity provider")
    SOCIAL_BROKER = "social_broker", _("social broker")
    POLICY_OFFICER = "policy_officer", _("policy officer")
    ADMINISTRATOR = "administrator", _("administrator")


class AddedRole(str):
    """A role another room adds: a plain string (its value) that also answers ``.value`` and ``.label``,
    as a ``Role`` member does, so code and templates treat both alike."""

    label: Any

    def __new__(cls, value: str, label: Any) -> AddedRole:
        role = super().__new__(cls, value)
        role.label = label
        return role

    @property
    def value(self) -> str:
        return str(self)

    def __getnewargs__(self) -> tuple[str, Any]:  # type: ignore[override]
        return str(self), self.label

    def __deepcopy__(self, memo: dict[int, Any]) -> AddedRole:
        return self  # immutable, as a Role member is


# The nine roles' staff flag (a second factor and the short idle timeout); other rooms' roles say it
# in their RoleDecl. Kept as a constant for the nine; code asks ``role_needs_two_factor``.
TWO_FACTOR_REQUIRED = frozenset(
    {
        Role.NEIGHBOURHOOD_PROFESSIONAL,
        Role.COORDINATOR,
        Role.ACTIVITY_PROVIDER,
        Role.SOCIAL_BROKER,
        Role.POLICY_OFFICER,
        Role.ADMINISTRATOR,
    }
)
STAFF_ROLES = TWO_FACTOR_REQUIRED


@collector
def role_decls() -> dict[str, RoleDecl]:
    """Every declared role by value, in room order (the accounts room's nine first)."""
    found: dict[str, RoleDecl] = {}
    for room in rooms():
        for decl in room.roles:
            if decl.value in found:
                raise ValueError(f"role {decl.value!r} is declared twice (second time by {room.label})")
            found[decl.value] = decl
    return found


@collector
def all_roles() -> tuple[Role | AddedRole, ...]:
    """Every role, as ``Role`` members for the nine and ``AddedRole`` for the ones other rooms add."""
    known = {role.value: role for role in Role}
    return tuple(known.get(value) or AddedRole(value, decl.label) for value, decl in role_decls().items())


def role_for_value(value: str | None) -> Role | AddedRole | None:
    """Return the role with this value, or None when no room declares it."""
    return next((role for role in all_roles() if role.value == value), None)


def role_needs_two_factor(role: str | None) -> bool:
    """Return True for roles that work with others' records or the whole system (staff)."""
    decl = role_decls().get(str(role)) if role else None
    return bool(decl and decl.two_factor)


@collector
def role_permissions() -> dict[str, tuple[str, ...]]:
    """The Django permissions ("app.codename") each role's group holds, collected from every room.

    Which *objects* a role reaches is decided by the access functions, not here.
    """
    table: dict[str, list[str]] = {value: [] for value in role_decls()}
    for room in rooms():
        for role, permissions in room.permissions.items():
            if role not in table:
                raise ValueError(f"{room.label} grants permissions to an undeclared role {role!r}")
            table[role].extend(permission for permission in permissions if permission not in table[role])
    return {role: tuple(permissions) for role, permissions in table.items()}


# The permission that lets a role's access functions show residents at all (object-level checks decide
# which). Granting a role that holds it is a privileged change: four eyes (accounts.services).
SEES_RESIDENTS = "residents.view_resident"


def roles_seeing_residents() -> frozenset[str]:
    """The values of the roles whose group may see residents' records (any room's roles included)."""
    return frozenset(role for role, permissions in role_permissions().items() if SEES_RESIDENTS in permissions)


def __getattr__(name: str) -> Any:
    # ``ROLE_PERMISSIONS`` was a constant before rooms declared their own permissions.
    if name == "ROLE_PERMISSIONS":
        return role_permissions()
    raise AttributeError(name)


def user_roles(user: object) -> tuple[Role | AddedRole, ...]:
    """Return every role the account holds (its groups that are roles), in declaration order.

    Cached on the user object for the rest of the request.
    """
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_omzien_roles", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    held = tuple(role for role in all_roles() if role.value in names)
    user._omzien_roles = held  # type: ignore[attr-defined]
    return held


def user_role(user: object) -> Role | AddedRole | None:
    """Return the role in use, or None for anonymous users and accounts without one.

    An account with several roles uses the one chosen for this session (``role_in_use_set``, kept on
    the user object by ``RoleInUseMiddleware``), else the first in declaration order.
    """
    held = user_roles(user)
    if not held:
        return None
    chosen = getattr(user, "_omzien_role_in_use", None)
    return next((role for role in held if role.value == chosen), held[0])


def needs_two_factor(user: object) -> bool:
    """Return True when the user must pass a second factor: one of their roles requires it, or they chose it.

    Any staff role the account holds counts, whichever is in use: the second factor protects the
    account. Residents, volunteers and meal hosts may link an authenticator app themselves; from
    then on their log-in asks for its code too.
    """
    if any(role_needs_two_factor(role) for role in user_roles(user)):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_omzien_has_device", None)
    if cached is None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        user._omzien_has_device = cached  # type: ignore[attr-defined]
    return bool(cached)
