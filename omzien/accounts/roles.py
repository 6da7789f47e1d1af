# SPDX-License-Identifier: EUPL-1.2
"""The nine roles. A role is a Django Group (created by a migration, managed in the admin).

Code asks ``user_role(user)`` and checks permissions; it never compares role strings in scattered
places. Which role may reach which URL is in ``omzien.conf.url_policy``; which residents a role
sees is in ``omzien.residents.permissions``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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


# Roles that work with other people's records or with the whole system: a second factor is required.
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
# Roles with the shorter idle timeout for staff (residents, volunteers and hosts get the longer one).
STAFF_ROLES = TWO_FACTOR_REQUIRED


def user_role(user: object) -> Role | None:
    """Return the user's role, or None for anonymous users and accounts without one.

    An account has one role; should it be in several role groups, the first in ``Role`` order counts.
    The group names are cached on the user object for the rest of the request.
    """
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_omzien_role", "unset")
    if cached != "unset":
        return cached if isinstance(cached, Role) else None
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    role = next((role for role in Role if role.value in names), None)
    user._omzien_role = role  # type: ignore[attr-defined]
    return role


def needs_two_factor(user: object) -> bool:
    """Return True when the user's role requires a second factor."""
    return user_role(user) in TWO_FACTOR_REQUIRED
